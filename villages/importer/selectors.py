"""Reads of import jobs, through the user's scope."""

from campaign.roles import Role
from villages.importer.models import ImportJob
from villages.importer.schema import TOWNSHIP_KINDS, Kind


def import_jobs_for(user):
    """The county administrator sees the county's imports; a township user those of the township."""
    qs = ImportJob.objects.select_related("created_by", "applied_by", "township")
    if user.role == Role.COUNTY_ADMIN and user.county_id:
        return qs.filter(county_id=user.county_id)
    if user.role == Role.TOWNSHIP and user.township_id:
        return qs.filter(township_id=user.township_id)
    return qs.none()


def importable_kinds(user):
    """The kinds of sheet the user may import (and download a template for)."""
    if user.role == Role.COUNTY_ADMIN:
        return list(Kind)
    if user.role == Role.TOWNSHIP:
        return list(TOWNSHIP_KINDS)
    return []
