"""Approval and titles: naming, vetoes, revocation, star withdrawal, expiry and reminders."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from appraisal.models import (
    Appraisal,
    Objection,
    PublicNotice,
    Title,
    TitleEvent,
    Track,
    VetoEvent,
)
from appraisal.selectors import titles_for
from appraisal.services import handoffs
from appraisal.services.common import (
    Action,
    AppraisalChanged,
    Status,
    _event,
    _lock_many,
    _recompute,
    _require_role,
    _require_scope,
    _set_status,
    _today,
)
from appraisal.services.self_report import validate_evidence_file
from campaign.roles import Role

# ---------------------------------------------------------------- approval and titles


def add_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def appraisal_approve(*, appraisals, user, today=None, ip=None):
    """publicized → approved for a batch once its notice has ended; an approval with stars issues a Title."""
    _require_role(user, Role.COUNTY_LEADER)
    for appraisal in appraisals:
        _require_scope(user, appraisal)
    today = today or _today()
    locked = _lock_many(appraisals, (Status.PUBLICIZED,))
    notices = {n.pk: n for n in PublicNotice.objects.filter(pk__in={a.notice_id for a in locked})}
    pending = set(
        Objection.objects.filter(appraisal__in=locked, outcome=Objection.Outcome.PENDING).values_list(
            "appraisal_id", flat=True
        )
    )
    for appraisal in locked:
        notice = notices.get(appraisal.notice_id)
        if notice is None or not notice.has_ended(today):
            raise ValidationError(
                _("The public notice for %(subject)s has not ended yet (it ends on %(end)s).")
                % {"subject": appraisal.subject, "end": notice.ends_on if notice else "—"}
            )
        if appraisal.pk in pending:
            raise ValidationError(
                _("An objection against %(subject)s is still pending.") % {"subject": appraisal.subject}
            )
    titles = []
    for appraisal in locked:
        _set_status(appraisal, Status.APPROVED)
        event = _event(
            appraisal, user, Action.APPROVED, from_status=Status.PUBLICIZED, to_status=Status.APPROVED, ip=ip
        )
        if appraisal.star_count == 0:
            handoffs.approved(appraisal, event, None)
            continue
        title = Title(
            campaign=appraisal.campaign,
            appraisal=appraisal,
            track=appraisal.track,
            county_id=appraisal.county_id,
            township_id=appraisal.township_id,
            village_id=appraisal.village_id,
            department_id=appraisal.department_id,
            star_count=appraisal.star_count,
            stars=list(appraisal.stars_earned),
            named_on=today,
            valid_until=add_years(today, appraisal.campaign.title_validity_years),
        )
        title.full_clean()
        title.save()
        TitleEvent.objects.create(
            title=title, actor=user, action=TitleEvent.Action.NAMED, effective_on=today, ip_address=ip
        )
        handoffs.approved(appraisal, event, title)
        titles.append(title)
    return titles


def _subject_filter(track, subject):
    if track == Track.VILLAGE:
        return {"track": track, "village": subject}
    if track == Track.TOWNSHIP:
        return {"track": track, "township": subject}
    return {"track": track, "department": subject}


@transaction.atomic
def veto_record(*, campaign, track, subject, user, kind, occurred_on, description, evidence=None, ip=None):
    """Record a veto: the subject's appraisal of the year ends as vetoed; any title in validity is revoked."""
    _require_role(user, Role.COUNTY_ADMIN)
    if campaign.county_id != user.county_id:
        raise PermissionDenied
    county_id = subject.county_id if track != Track.VILLAGE else subject.township.county_id
    if county_id != user.county_id:
        raise PermissionDenied
    if evidence is not None:
        validate_evidence_file(evidence)
    veto = VetoEvent(
        campaign=campaign,
        county_id=county_id,
        track=track,
        kind=kind,
        occurred_on=occurred_on,
        description=(description or "").strip(),
        recorded_by=user,
        village=subject if track == Track.VILLAGE else None,
        township=subject if track == Track.TOWNSHIP else getattr(subject, "township", None),
        department=subject if track == Track.DEPARTMENT else None,
    )
    if evidence is not None:
        veto.evidence.save(evidence.name, evidence, save=False)
    veto.full_clean()
    veto.save()
    appraisal = (
        Appraisal.objects.select_for_update()
        .select_related("rubric")
        .filter(campaign=campaign, **_subject_filter(track, subject))
        .first()
    )
    if appraisal is not None and appraisal.status != Status.VETOED:
        before = appraisal.status
        _set_status(appraisal, Status.VETOED, notice=None)
        _recompute(appraisal)
        _event(
            appraisal,
            user,
            Action.VETOED,
            from_status=before,
            to_status=Status.VETOED,
            comment=f"{veto.get_kind_display()}: {veto.description}",
            ip=ip,
        )
    today = _today()
    for title in Title.objects.select_for_update().filter(
        status=Title.Status.VALID, **_subject_filter(track, subject)
    ):
        _revoke(title, user, _("Veto: %(kind)s") % {"kind": veto.get_kind_display()}, today, ip)
    # One message for the veto (it says why); the titles it revoked are part of it.
    handoffs.vetoed(veto)
    return veto


def _revoke(title, user, reason, on, ip):
    title.status = Title.Status.REVOKED
    title.revoked_on = on
    title.revoke_reason = reason
    title.save(update_fields=["status", "revoked_on", "revoke_reason"])
    return TitleEvent.objects.create(
        title=title,
        actor=user,
        action=TitleEvent.Action.REVOKED,
        reason=reason,
        effective_on=on,
        ip_address=ip,
    )


def _lock_title(user, title):
    _require_role(user, Role.COUNTY_ADMIN)
    if not titles_for(user).filter(pk=title.pk).exists():
        raise PermissionDenied
    locked = Title.objects.select_for_update().get(pk=title.pk)
    if locked.status != Title.Status.VALID:
        raise AppraisalChanged(_("This title is no longer valid. Reload the page."))
    return locked


@transaction.atomic
def title_revoke(*, title, user, reason, revoked_on=None, ip=None):
    """取消称号: a valid title is revoked for a serious problem, with reason and date kept."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the revocation.")})
    title = _lock_title(user, title)
    event = _revoke(title, user, reason.strip(), revoked_on or _today(), ip)
    handoffs.title_revoked(title, event)
    return title


@transaction.atomic
def title_withdraw_star(*, title, user, star, reason, effective_on=None, ip=None):
    """摘星: withdraw one star from a valid title; the others stay."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for withdrawing the star.")})
    title = _lock_title(user, title)
    if star not in title.stars:
        raise ValidationError({"star": _("The title does not hold this star.")})
    title.stars = [code for code in title.stars if code != star]
    title.star_count = len(title.stars)
    title.save(update_fields=["stars", "star_count"])
    event = TitleEvent.objects.create(
        title=title,
        actor=user,
        action=TitleEvent.Action.STAR_WITHDRAWN,
        star=star,
        reason=reason.strip(),
        effective_on=effective_on or _today(),
        ip_address=ip,
    )
    from appraisal.selectors import star_names

    handoffs.star_withdrawn(title, event, star_names(title).get(star, star))
    return title


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
