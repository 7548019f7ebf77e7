"""The app's URLs plus two views that fail on purpose (tests/test_error_pages.py)."""

from django.db import OperationalError
from django.urls import path

from campaign.urls import handler403, handler404, handler500  # noqa: F401
from campaign.urls import urlpatterns as app_urlpatterns


def boom(request):
    raise RuntimeError("a bug")


def database_gone(request):
    raise OperationalError("server closed the connection unexpectedly")


urlpatterns = [path("boom/", boom), path("database-gone/", database_gone), *app_urlpatterns]
