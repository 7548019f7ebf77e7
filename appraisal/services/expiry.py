"""The daily run over titles: expiry at the end of validity, and the reminders before and after it."""

import datetime

from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from appraisal.models import Title, TitleEvent
from appraisal.services.common import _today

REMINDER_DAYS = (90, 30)
EXPIRY_CHUNK = 2000


EXPIRE_SQL = """
WITH expired AS (
    UPDATE appraisal_title SET status = %(expired)s, expired_on = valid_until + 1
    WHERE id IN (
        SELECT id FROM appraisal_title WHERE status = %(valid)s AND valid_until < %(today)s
        ORDER BY id LIMIT %(chunk)s FOR UPDATE SKIP LOCKED
    )
    RETURNING id, valid_until
)
INSERT INTO appraisal_titleevent
    (title_id, actor_id, action, star, reason, effective_on, ip_address, created_at)
SELECT id, NULL, %(action)s, '', '', valid_until + 1, NULL, now() FROM expired
"""


@transaction.atomic
def title_expire(*, today=None):
    """Expire every valid title past its end date; idempotent, and catches up after downtime.

    Returns the number of titles expired. A title valid until D expires on D + 1,
    whenever this runs; rows another worker holds are skipped and left to it.
    """
    today = today or _today()
    if connection.vendor == "postgresql":
        # One statement per chunk (update and history row together): 50,000 titles in about a second.
        params = {
            "expired": Title.Status.EXPIRED,
            "valid": Title.Status.VALID,
            "today": today,
            "chunk": 10000,
            "action": TitleEvent.Action.EXPIRED,
        }
        expired = 0
        with connection.cursor() as cursor:
            while True:
                cursor.execute(EXPIRE_SQL, params)
                if not cursor.rowcount:
                    return expired
                expired += cursor.rowcount
    expired = 0
    while True:
        batch = list(
            Title.objects.select_for_update()
            .filter(status=Title.Status.VALID, valid_until__lt=today)
            .order_by("id")
            .values_list("id", "valid_until")[:EXPIRY_CHUNK]
        )
        if not batch:
            return expired
        Title.objects.filter(pk__in=[pk for pk, _until in batch]).update(status=Title.Status.EXPIRED)
        by_day = {}
        for pk, until in batch:
            by_day.setdefault(until + datetime.timedelta(days=1), []).append(pk)
        for day, pks in by_day.items():
            Title.objects.filter(pk__in=pks).update(expired_on=day)
        TitleEvent.objects.bulk_create(
            [
                TitleEvent(title_id=pk, action=TitleEvent.Action.EXPIRED, effective_on=day)
                for day, pks in by_day.items()
                for pk in pks
            ]
        )
        expired += len(batch)


# Titles that expired while nothing ran (downtime, or before reminders existed) are announced for a month.
EXPIRED_NOTICE_DAYS = 30


def _reminder_line(title, threshold, today):
    if threshold == 0:
        return _("%(subject)s: the %(stars)s-star title expired on %(day)s; it enters a new round.") % {
            "subject": title.subject,
            "stars": title.star_count,
            "day": f"{title.expired_on or title.valid_until:%Y-%m-%d}",
        }
    return ngettext(
        "%(subject)s: the %(stars)s-star title is valid until %(until)s (%(days)s day left).",
        "%(subject)s: the %(stars)s-star title is valid until %(until)s (%(days)s days left).",
        (title.valid_until - today).days,
    ) % {
        "subject": title.subject,
        "stars": title.star_count,
        "until": f"{title.valid_until:%Y-%m-%d}",
        "days": (title.valid_until - today).days,
    }


def _reminder_title(items, today):
    if len(items) == 1:
        title, threshold = items[0]
        if threshold == 0:
            return _("The title of %(subject)s has expired") % {"subject": title.subject}
        return _("The title of %(subject)s expires in %(days)s days") % {
            "subject": title.subject,
            "days": (title.valid_until - today).days,
        }
    expired = sum(1 for _t, threshold in items if threshold == 0)
    if expired == len(items):
        return ngettext("%(n)s title has expired", "%(n)s titles have expired", expired) % {"n": expired}
    return ngettext(
        "%(n)s title expires soon or has expired", "%(n)s titles expire soon or have expired", len(items)
    ) % {"n": len(items)}


@transaction.atomic
def title_send_reminders(*, today=None):
    """Remind holders before their titles expire (90 and 30 days) and tell them once they have.

    Each title is reminded once per step (``Title.reminded_days``). Every user concerned (the holder:
    village secretary, township or department; and the village's township) gets **one** message per
    run listing all their titles, not one per title. Returns the number of messages created.
    """
    import hashlib

    from django.urls import reverse
    from django.utils import translation

    from appraisal.services.handoffs import send, subjects_and_townships, title_url

    today = today or _today()
    horizon = today + datetime.timedelta(days=max(REMINDER_DAYS))
    due = []
    for title in (
        Title.objects.select_for_update(of=("self",))
        .filter(status=Title.Status.VALID, valid_until__gte=today, valid_until__lte=horizon)
        .select_related("village", "township", "department")
        .order_by("valid_until", "id")
    ):
        left = (title.valid_until - today).days
        threshold = min(d for d in REMINDER_DAYS if left <= d)
        if title.reminded_days is None or title.reminded_days > threshold:
            due.append((title, threshold))
    for title in (
        Title.objects.select_for_update(of=("self",))
        .filter(
            status=Title.Status.EXPIRED, expired_on__gte=today - datetime.timedelta(days=EXPIRED_NOTICE_DAYS)
        )
        .exclude(reminded_days=0)
        .select_related("village", "township", "department")
        .order_by("expired_on", "id")
    ):
        due.append((title, 0))
    if not due:
        return 0
    per_user, users = {}, {}
    holders = subjects_and_townships([t for t, _d in due])
    for title, threshold in due:
        for user in holders[title.pk]:
            users[user.pk] = user
            per_user.setdefault(user.pk, []).append((title, threshold))
    created = 0
    with translation.override(settings.LANGUAGE_CODE):
        for user_id, items in per_user.items():
            digest = hashlib.sha1(
                ",".join(f"{t.pk}:{d}" for t, d in items).encode(), usedforsecurity=False
            ).hexdigest()
            if len(items) == 1:
                url = title_url(items[0][0])
            else:
                url = reverse("appraisal:title_list") + (
                    "?state=expired" if all(d == 0 for _t, d in items) else "?state=expiring"
                )
            created += send(
                [users[user_id]],
                title=_reminder_title(items, today),
                body="\n".join(_reminder_line(t, d, today) for t, d in items),
                url=url,
                key=f"title-reminders:{today:%Y%m%d}:{digest}",
            )
    for threshold in {d for _t, d in due}:
        Title.objects.filter(pk__in=[t.pk for t, d in due if d == threshold]).update(reminded_days=threshold)
    return created
