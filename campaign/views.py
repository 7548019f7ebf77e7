from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection, transaction
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from campaign.roles import Role


@login_required
def home(request):
    # A village secretary's work is the village's appraisal: land there.
    if request.user.role == Role.VILLAGE:
        return redirect("appraisal:mine")
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
    healthy = all(checks.values())
    body = {
        "status": "ok" if healthy else "unavailable",
        "checks": {k: "ok" if v else "down" for k, v in checks.items()},
    }
    return JsonResponse(body, status=200 if healthy else 503)
