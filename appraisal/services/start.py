"""Opening a round: the appraisals of a campaign's subjects."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from appraisal.models import (
    Appraisal,
    AppraisalEvent,
    Track,
)
from appraisal.selectors import rubric_current
from appraisal.services.common import Action, Status, _event, _require_role
from campaign.roles import Role

# ---------------------------------------------------------------- starting a round


@transaction.atomic
def appraisal_start(*, campaign, track, subject, user=None):
    """The subject's appraisal in the campaign, created as a draft on the current rubric if missing."""
    field = {Track.VILLAGE: "village", Track.TOWNSHIP: "township", Track.DEPARTMENT: "department"}[track]
    existing = Appraisal.objects.filter(campaign=campaign, track=track, **{field: subject}).first()
    if existing:
        return existing
    rubric = rubric_current(campaign, track)
    if rubric is None:
        raise ValidationError(_("The campaign has no rubric for this track yet."))
    township = subject if track == Track.TOWNSHIP else getattr(subject, "township", None)
    appraisal = Appraisal(
        campaign=campaign,
        rubric=rubric,
        track=track,
        county_id=campaign.county_id,
        township=township,
        **({field: subject} if field != "township" else {}),
    )
    appraisal.full_clean()
    appraisal.save()
    _event(appraisal, user, Action.CREATED, to_status=Status.DRAFT)
    return appraisal


@transaction.atomic
def campaign_open_appraisals(*, campaign, user):
    """Create a draft appraisal for every village, township and department of the county that lacks one."""
    _require_role(user, Role.COUNTY_ADMIN)
    if user.county_id != campaign.county_id:
        raise PermissionDenied
    from villages.models import Department, Township, Village

    created = 0
    for track, subjects in (
        (
            Track.VILLAGE,
            Village.objects.filter(township__county_id=campaign.county_id).select_related("township"),
        ),
        (Track.TOWNSHIP, Township.objects.filter(county_id=campaign.county_id)),
        (Track.DEPARTMENT, Department.objects.filter(county_id=campaign.county_id)),
    ):
        rubric = rubric_current(campaign, track)
        if rubric is None:
            continue
        field = {
            Track.VILLAGE: "village_id",
            Track.TOWNSHIP: "township_id",
            Track.DEPARTMENT: "department_id",
        }[track]
        have = set(Appraisal.objects.filter(campaign=campaign, track=track).values_list(field, flat=True))
        new = []
        for subject in subjects:
            if subject.id in have:
                continue
            new.append(
                Appraisal(
                    campaign=campaign,
                    rubric=rubric,
                    track=track,
                    county_id=campaign.county_id,
                    township_id=subject.township_id
                    if track == Track.VILLAGE
                    else (subject.id if track == Track.TOWNSHIP else None),
                    village_id=subject.id if track == Track.VILLAGE else None,
                    department_id=subject.id if track == Track.DEPARTMENT else None,
                )
            )
        Appraisal.objects.bulk_create(new)
        AppraisalEvent.objects.bulk_create(
            [
                AppraisalEvent(appraisal=a, actor=user, action=Action.CREATED, to_status=Status.DRAFT)
                for a in new
            ]
        )
        created += len(new)
    return created
