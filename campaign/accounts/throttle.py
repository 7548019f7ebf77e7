"""Login throttling on django-axes: counters in the database, so every web worker shares them.

A username is locked after ``LOGIN_FAILURE_LIMIT`` failures within ``AXES_COOLOFF_TIME``; an
address after ``LOGIN_ADDRESS_FAILURE_LIMIT`` (higher: a township office shares one address).
The address is ``campaign.net.client_ip``, so a forged X-Forwarded-For cannot dodge a lock.
Every failure and every lock is logged (logger ``campaign.security``) with username, address
and time, and kept in axes' AccessFailureLog; county administrators see and lift their county's
locks on /accounts/locks/ (campaign/accounts/views.py).
"""

import logging

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db.models import Max, Sum
from django.dispatch import receiver
from django.utils import timezone

from campaign.net import client_ip

log = logging.getLogger("campaign.security")


class LoginThrottleHandler(AxesDatabaseHandler):
    """Axes' database handler with a separate, higher limit per address than per username."""

    def get_failures(self, request, credentials=None):
        by_user, by_address = (
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        if by_address >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            return max(by_user, settings.AXES_FAILURE_LIMIT)
        return by_user

    def reset_user_attempts(self, request, credentials=None):
        # A successful login clears that username's count only: clearing the address's too would
        # let someone who knows one password reset the counter while guessing the others.
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count


class LoginThrottleBackend(AxesStandaloneBackend):
    """Axes' backend, but ``authenticate()`` without a request (tests' ``client.login``) is not refused.

    Every login the app offers passes the request (LoginView); without one there is no address
    to count against, and the model backend alone decides.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def locks_now():
    """(usernames locked, addresses locked) at this moment, each as {key: (failures, last attempt)}."""
    threshold = timezone.now() - settings.AXES_COOLOFF_TIME
    recent = AccessAttempt.objects.filter(attempt_time__gte=threshold)
    found = []
    for field, limit in (
        ("username", settings.AXES_FAILURE_LIMIT),
        ("ip_address", settings.LOGIN_ADDRESS_FAILURE_LIMIT),
    ):
        rows = (
            recent.exclude(**{f"{field}__isnull": True})
            .values(field)
            .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
            .filter(failures__gte=limit)
        )
        found.append({row[field]: (row["failures"], row["last"]) for row in rows})
    return found[0], found[1]


@receiver(user_login_failed)
def log_login_failure(sender, credentials, request=None, **kwargs):
    log.warning(
        "Login failed: username=%r address=%s at=%s",
        (credentials or {}).get("username"),
        client_ip(request) if request is not None else None,
        timezone.now().isoformat(),
    )


@receiver(user_locked_out)
def log_lock(sender, request=None, username=None, ip_address=None, **kwargs):
    log.warning(
        "Login locked: username=%r address=%s at=%s", username, ip_address, timezone.now().isoformat()
    )
