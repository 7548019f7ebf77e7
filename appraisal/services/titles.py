"""Approval and titles: naming, vetoes, revocation, star withdrawal, expiry and reminders."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

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
from appraisal.services.common import (
    Action,
    AppraisalChanged,
    Status,
    _event,
    _lock_many,
    _notify,
    _recompute,
    _require_role,
    _require_scope,
    _set_status,
    _subject_users,
    _today,
)
from appraisal.services.self_report import validate_evidence_file
from campaign.files import clean_filename
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
        _notify(
            _subject_users(appraisal),
            event,
            _("%(subject)s was approved with %(n)s stars")
            % {"subject": appraisal.subject, "n": appraisal.star_count},
        )
        if appraisal.star_count == 0:
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
        veto.evidence.save(clean_filename(evidence.name), evidence, save=False)
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
    return veto


def _revoke(title, user, reason, on, ip):
    title.status = Title.Status.REVOKED
    title.revoked_on = on
    title.revoke_reason = reason
    title.save(update_fields=["status", "revoked_on", "revoke_reason"])
    TitleEvent.objects.create(
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
    _revoke(title, user, reason.strip(), revoked_on or _today(), ip)
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
    TitleEvent.objects.create(
        title=title,
        actor=user,
        action=TitleEvent.Action.STAR_WITHDRAWN,
        star=star,
        reason=reason.strip(),
        effective_on=effective_on or _today(),
        ip_address=ip,
    )
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


def title_send_reminders(*, today=None):
    """Notify the township (or department) of each title expiring within 90 and 30 days, once each."""
    from django.urls import reverse
    from django.utils import translation

    from campaign.models import Notification, User
    from campaign.notifications import notify

    today = today or _today()
    horizon = today + datetime.timedelta(days=max(REMINDER_DAYS))
    titles = list(
        Title.objects.filter(
            status=Title.Status.VALID, valid_until__gte=today, valid_until__lte=horizon
        ).select_related("village", "township", "department", "campaign")
    )
    if not titles:
        return 0

    def threshold(title):
        left = (title.valid_until - today).days
        return min(d for d in REMINDER_DAYS if left <= d)

    keys = {t.pk: f"title-expiry:{t.pk}:{threshold(t)}" for t in titles}
    # One query decides which reminders already went out, so a re-run is cheap.
    sent = set(Notification.objects.filter(key__in=keys.values()).values_list("key", flat=True))
    todo = [t for t in titles if keys[t.pk] not in sent]
    if not todo:
        return 0
    township_ids = {t.township_id for t in todo if t.township_id}
    department_ids = {t.department_id for t in todo if t.track == Track.DEPARTMENT}
    recipients = {}
    for user in User.objects.filter(is_active=True, role=Role.TOWNSHIP, township_id__in=township_ids):
        recipients.setdefault(("t", user.township_id), []).append(user)
    for user in User.objects.filter(is_active=True, role=Role.DEPARTMENT, department_id__in=department_ids):
        recipients.setdefault(("d", user.department_id), []).append(user)
    created = 0
    with translation.override(settings.LANGUAGE_CODE):
        for title in todo:
            who = ("d", title.department_id) if title.track == Track.DEPARTMENT else ("t", title.township_id)
            users = recipients.get(who, [])
            days = (title.valid_until - today).days
            created += notify(
                users=users,
                title=_("Title of %(subject)s expires in %(days)s days")
                % {"subject": title.subject, "days": days},
                body=_("The %(stars)s-star title named on %(named)s is valid until %(until)s.")
                % {"stars": title.star_count, "named": title.named_on, "until": title.valid_until},
                url=reverse("appraisal:title_detail", args=[title.pk]),
                key=keys[title.pk],
            )
    return created
