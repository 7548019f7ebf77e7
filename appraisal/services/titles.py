"""Approval and titles: naming, vetoes, revocation, star withdrawal (expiry and reminders: ``expiry``)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
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
