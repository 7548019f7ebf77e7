"""Rubrics and campaigns: editing, freezing, new versions, seeding and copying forward."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from appraisal.models import (
    Appraisal,
    Evidence,
    Indicator,
    Rubric,
    Score,
    Star,
    Track,
)
from appraisal.selectors import rubric_current, rubric_structure
from appraisal.services.common import Status, Tier, _recompute, _require_role
from campaign.roles import Role

# ---------------------------------------------------------------- rubrics


def _require_rubric_editor(user, rubric):
    _require_role(user, Role.COUNTY_ADMIN)
    if rubric.campaign.county_id != user.county_id:
        raise PermissionDenied
    if rubric.frozen:
        raise ValidationError(
            _(
                "This rubric is frozen because an appraisal using it was submitted. "
                "Create a new version to edit it."
            )
        )


@transaction.atomic
def rubric_update(*, rubric, user, **fields):
    _require_rubric_editor(user, rubric)
    for name in ("star_threshold", "satisfaction_floor", "satisfaction_cap_stars"):
        if name in fields:
            setattr(rubric, name, fields[name])
    rubric.full_clean()
    rubric.save()
    return rubric


@transaction.atomic
def star_update(*, star, user, name, order):
    _require_rubric_editor(user, star.rubric)
    star.name, star.order = name, order
    star.full_clean()
    star.save()
    return star


@transaction.atomic
def indicator_save(*, user, star, indicator=None, **fields):
    """Create or edit an indicator of an unfrozen rubric; self-scores above a lowered maximum are clamped."""
    _require_rubric_editor(user, star.rubric)
    indicator = indicator or Indicator(star=star)
    if indicator.pk and indicator.star_id != star.pk:
        raise ValidationError(_("This indicator is not part of the star."))
    for name in ("text", "max_points", "guidance", "evidence_expected", "evidence_required", "feed", "order"):
        if name in fields:
            setattr(indicator, name, fields[name])
    indicator.full_clean()
    indicator.save()
    scores = Score.objects.filter(indicator=indicator)
    scores.filter(points__gt=indicator.max_points).update(points=indicator.max_points)
    scores.update(max_points=indicator.max_points)
    for appraisal in (
        Appraisal.objects.filter(scores__indicator=indicator).distinct().select_related("rubric")
    ):
        _recompute(appraisal)
    return indicator


@transaction.atomic
def indicator_delete(*, user, indicator):
    _require_rubric_editor(user, indicator.star.rubric)
    if (
        Score.objects.filter(indicator=indicator).exists()
        or Evidence.objects.filter(indicator=indicator).exists()
    ):
        Score.objects.filter(indicator=indicator, tier=Tier.SELF, appraisal__status=Status.DRAFT).delete()
        if (
            Score.objects.filter(indicator=indicator).exists()
            or Evidence.objects.filter(indicator=indicator).exists()
        ):
            raise ValidationError(_("Evidence has been uploaded for this indicator; it cannot be deleted."))
    indicator.delete()


def _copy_rubric(source, *, campaign, version):
    """Copy a rubric's stars and indicators; returns (rubric, {old indicator id: new indicator id})."""
    copy = Rubric.objects.create(
        campaign=campaign,
        track=source.track,
        version=version,
        star_threshold=source.star_threshold,
        satisfaction_floor=source.satisfaction_floor,
        satisfaction_cap_stars=source.satisfaction_cap_stars,
    )
    mapping = {}
    for star in rubric_structure(source):
        new_star = Star.objects.create(
            rubric=copy, code=star.code, name=star.name, order=star.order, max_points=star.max_points
        )
        for indicator in star.indicators.all():
            old_id = indicator.id
            indicator.pk = None
            indicator.star = new_star
            indicator.save()
            mapping[old_id] = indicator.id
    return copy, mapping


@transaction.atomic
def rubric_new_version(*, rubric, user):
    """A frozen rubric is edited through a new version; drafts move to it, submitted reports keep theirs."""
    _require_role(user, Role.COUNTY_ADMIN)
    if rubric.campaign.county_id != user.county_id:
        raise PermissionDenied
    latest = rubric_current(rubric.campaign, rubric.track)
    copy, mapping = _copy_rubric(latest, campaign=rubric.campaign, version=latest.version + 1)
    drafts = list(
        Appraisal.objects.select_for_update()
        .filter(rubric=latest, status=Status.DRAFT)
        .values_list("pk", flat=True)
    )
    for old_id, new_id in mapping.items():
        Score.objects.filter(appraisal_id__in=drafts, indicator_id=old_id).update(indicator_id=new_id)
        Evidence.objects.filter(appraisal_id__in=drafts, indicator_id=old_id).update(indicator_id=new_id)
    Appraisal.objects.filter(pk__in=drafts).update(rubric=copy)
    return copy


@transaction.atomic
def rubric_copy_forward(*, source, campaign, user):
    """Copy the newest version of each of a campaign's rubrics into another (usually next year's) campaign."""
    _require_role(user, Role.COUNTY_ADMIN)
    if source.county_id != user.county_id or campaign.county_id != user.county_id:
        raise PermissionDenied
    copies = []
    for track in Track.values:
        if rubric_current(campaign, track) is not None:
            continue
        latest = rubric_current(source, track)
        if latest is not None:
            copies.append(_copy_rubric(latest, campaign=campaign, version=1)[0])
    return copies


@transaction.atomic
def rubric_seed_default(*, campaign, user=None, tracks=None):
    """Create version 1 of each track's rubric from the default (rubric-default.md); keeps existing ones."""
    from appraisal.default_rubric import DEFAULT_RUBRIC

    if user is not None:
        _require_role(user, Role.COUNTY_ADMIN)
        if campaign.county_id != user.county_id:
            raise PermissionDenied
    created = []
    for track in tracks or Track.values:
        if rubric_current(campaign, track) is not None:
            continue
        rubric = Rubric.objects.create(campaign=campaign, track=track, version=1)
        for star_order, (code, name, indicators) in enumerate(DEFAULT_RUBRIC[track], start=1):
            star = Star.objects.create(rubric=rubric, code=code, name=name, order=star_order)
            Indicator.objects.bulk_create(
                [
                    Indicator(
                        star=star,
                        text=text,
                        max_points=Decimal(points),
                        evidence_expected=evidence,
                        guidance=guidance,
                        feed=feed,
                        order=order,
                    )
                    for order, (text, points, evidence, guidance, feed) in enumerate(indicators, start=1)
                ]
            )
        created.append(rubric)
    return created


@transaction.atomic
def campaign_save(*, user, campaign=None, **fields):
    """Create or edit a campaign round of the administrator's county."""
    from campaign.models import Campaign

    _require_role(user, Role.COUNTY_ADMIN)
    campaign = campaign or Campaign(county_id=user.county_id)
    if campaign.county_id != user.county_id:
        raise PermissionDenied
    for name, value in fields.items():
        setattr(campaign, name, value)
    campaign.full_clean()
    campaign.save()
    return campaign
