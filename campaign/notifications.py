"""The one way to send an in-app notification (and an e-mail when configured)."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from campaign.models import Notification


def notify(*, users, title, body="", url="", key=""):
    """Notify each of ``users``; with a ``key`` each user gets it at most once, however often this runs.

    Returns the number of notifications created.
    """
    users = [u for u in users if u is not None and u.is_active]
    if not users:
        return 0
    existing = set()
    if key:
        existing = set(Notification.objects.filter(key=key, user__in=users).values_list("user_id", flat=True))
    fresh = [u for u in users if u.id not in existing]
    # ignore_conflicts: two workers racing on the same reminder still write one row.
    Notification.objects.bulk_create(
        [Notification(user=u, title=title, body=body, url=url, key=key) for u in fresh], ignore_conflicts=True
    )
    if getattr(settings, "NOTIFY_BY_EMAIL", False):
        recipients = [u.email for u in fresh if u.email]
        if recipients:
            transaction.on_commit(
                lambda: send_mail(title, f"{body}\n{url}".strip(), None, recipients, fail_silently=True)
            )
    return len(fresh)
