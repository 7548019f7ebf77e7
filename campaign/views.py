from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection, transaction
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from campaign.reports.fonts import faces_in_use, missing_fonts
from campaign.roles import Role

# Where each role's day starts (DESIGN.md, "Journeys"): the village and the
# department at their own appraisal, the township at its work queue, the
# leader at the batches awaiting approval, county staff and the city at the
# dashboard. Every other page is one click away in the navigation or the menu.
LANDING = {
    Role.VILLAGE: "appraisal:mine",
    Role.DEPARTMENT: "appraisal:mine",
    Role.TOWNSHIP: "appraisal:township_queue",
    Role.COUNTY_LEADER: "appraisal:approval",
    Role.COUNTY_ADMIN: "steering:dashboard",
    Role.COUNTY_REVIEWER: "steering:dashboard",
    Role.CITY: "steering:dashboard",
}


@login_required
def home(request):
    landing = LANDING.get(request.user.role)
    if landing:
        return redirect(landing)
    return render(request, "campaign/home.html")


@login_required
def menu(request):
    """Every section the user's role can open, grouped as in the navigation bar."""
    return render(request, "campaign/home.html")


def _database_ok():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # noqa: BLE001 - any failure means "down"
        return False


def _redis_ok():
    import redis

    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
        return bool(client.ping())
    except Exception:  # noqa: BLE001
        return False


# Outside ATOMIC_REQUESTS: opening the request's transaction would itself fail
# when the database is down, and the check must answer 503, not crash.
@transaction.non_atomic_requests
@never_cache
@require_GET
def healthz(request):
    """Liveness for load balancers and compose: no login, no data, only up or down."""
    checks = {"database": _database_ok()}
    if settings.REDIS_URL:
        checks["redis"] = _redis_ok()
    # Without the CJK fonts every PDF would print empty boxes (same test as the reports.E001 check).
    checks["fonts"] = not missing_fonts()
    healthy = all(checks.values())
    body = {
        "status": "ok" if healthy else "unavailable",
        "checks": {k: "ok" if v else "down" for k, v in checks.items()},
        # The face each font stack of the printed documents will use (仿宋, 小标宋, 黑体, 楷体, 宋体).
        "fonts": faces_in_use(),
    }
    return JsonResponse(body, status=200 if healthy else 503)
