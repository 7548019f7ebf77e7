"""The error pages (403, 404, 500, 503) in the app's own layout, translated, with a way back.

403 and 404 are rendered with the full request context (navigation, the user's menu): the
database answered a moment ago. 500 and 503 are rendered bare: no context processors, no user,
no session, no database, because the failure may be exactly that. A database that cannot be
reached answers 503 with ``Retry-After`` ("try again shortly"), not Django's English
"Server Error (500)".
"""

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger("campaign.errors")

DATABASE_ERRORS = (OperationalError, InterfaceError)


def _retry_url(request):
    return request.get_full_path() if request is not None and request.method in ("GET", "HEAD") else ""


def _bare(request, template, status):
    """Render without touching the database or the session (no request context at all)."""
    body = loader.render_to_string(template, {"bare": True, "retry_url": _retry_url(request)})
    return HttpResponse(body, status=status)


def database_unavailable(request=None):
    response = _bare(request, "503.html", 503)
    response["Retry-After"] = str(settings.DATABASE_RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """A view that cannot reach the database answers 503 with Retry-After.

    Errors raised outside views (another middleware saving the session, say) reach
    ``server_error`` below, which answers the same way.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            logger.error("Database unavailable during %s %s: %s", request.method, request.path, exception)
            return database_unavailable(request)
        return None


@requires_csrf_token
def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


@requires_csrf_token
def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def csrf_failure(request, reason=""):
    """A form sent after its page expired (new login elsewhere, session ended): say so, in the layout."""
    return render(request, "403.html", {"csrf_failed": True}, status=403)


def server_error(request):
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_ERRORS):
        return database_unavailable(request)
    return _bare(request, "500.html", 500)
