"""Changes to places and organizations: the one way in for every write.

Each function checks the role and the scope of the acting user again (the
views already did: this is the second lock), validates with ``full_clean()``
and saves inside a transaction, so a refused change writes nothing.
Deleting something others depend on raises ``ProtectedError``; views explain it.
"""

from django.db import transaction

from villages.models import Department, PartyOrganization, Township, Village
from villages.permissions import (
    COUNTY_LEVEL_EDITORS,
    TOWNSHIP_LEVEL_EDITORS,
    check_county,
    check_township,
    require_editor,
)

TOWNSHIP_FIELDS = ("code", "name", "population")
VILLAGE_FIELDS = ("township", "code", "name", "is_poverty_key", "is_one_product", "households", "population")
DEPARTMENT_FIELDS = ("code", "name", "is_agriculture_related")
PARTY_ORG_FIELDS = ("kind", "name", "parent", "member_count", "township", "village", "department")


def _assign(instance, fields, allowed):
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unexpected fields: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(instance, name, value)


def _save(instance):
    instance.full_clean()
    instance.save()
    return instance


# Townships ---------------------------------------------------------------


@transaction.atomic
def township_create(*, user, **fields):
    """Add a township to the user's county."""
    require_editor(user, COUNTY_LEVEL_EDITORS)
    township = Township(county_id=user.county_id)
    _assign(township, fields, TOWNSHIP_FIELDS)
    return _save(township)


@transaction.atomic
def township_update(*, user, township, **fields):
    require_editor(user, COUNTY_LEVEL_EDITORS)
    check_county(user, township.county_id, field="code")
    _assign(township, fields, TOWNSHIP_FIELDS)
    return _save(township)


@transaction.atomic
def township_delete(*, user, township):
    require_editor(user, COUNTY_LEVEL_EDITORS)
    check_county(user, township.county_id)
    township.delete()


# Villages ------------------------------------------------------------------


@transaction.atomic
def village_create(*, user, township, **fields):
    """Add a village; township users only to their own township."""
    require_editor(user, TOWNSHIP_LEVEL_EDITORS)
    check_township(user, township)
    village = Village(township=township)
    _assign(village, fields, VILLAGE_FIELDS)
    return _save(village)


@transaction.atomic
def village_update(*, user, village, **fields):
    require_editor(user, TOWNSHIP_LEVEL_EDITORS)
    check_township(user, village.township)
    _assign(village, fields, VILLAGE_FIELDS)
    # Moving the village is a second attachment to check.
    check_township(user, village.township)
    return _save(village)


@transaction.atomic
def village_delete(*, user, village):
    require_editor(user, TOWNSHIP_LEVEL_EDITORS)
    check_township(user, village.township)
    village.delete()


# County departments --------------------------------------------------------


@transaction.atomic
def department_create(*, user, **fields):
    require_editor(user, COUNTY_LEVEL_EDITORS)
    department = Department(county_id=user.county_id)
    _assign(department, fields, DEPARTMENT_FIELDS)
    return _save(department)


@transaction.atomic
def department_update(*, user, department, **fields):
    require_editor(user, COUNTY_LEVEL_EDITORS)
    check_county(user, department.county_id, field="code")
    _assign(department, fields, DEPARTMENT_FIELDS)
    return _save(department)


@transaction.atomic
def department_delete(*, user, department):
    require_editor(user, COUNTY_LEVEL_EDITORS)
    check_county(user, department.county_id)
    department.delete()


# Party organizations -------------------------------------------------------


def _check_party_org_scope(user, org):
    if org.department_id is not None:
        # Department organizations are the county's business.
        require_editor(user, COUNTY_LEVEL_EDITORS)
        check_county(user, org.department.county_id, field="department")
    else:
        check_township(user, org.village.township if org.village_id else org.township)
    if org.parent_id is not None:
        check_county(user, org.parent.county_id, field="parent")


@transaction.atomic
def party_organization_create(*, user, **fields):
    """Add a party organization; its township and county follow from where it is attached."""
    require_editor(user, TOWNSHIP_LEVEL_EDITORS)
    org = PartyOrganization(county_id=user.county_id)
    _assign(org, fields, PARTY_ORG_FIELDS)
    _check_party_org_scope(user, org)
    return _save(org)


@transaction.atomic
def party_organization_update(*, user, party_organization, **fields):
    org = party_organization
    require_editor(user, TOWNSHIP_LEVEL_EDITORS)
    _check_party_org_scope(user, org)
    _assign(org, fields, PARTY_ORG_FIELDS)
    _check_party_org_scope(user, org)
    return _save(org)


@transaction.atomic
def party_organization_delete(*, user, party_organization):
    require_editor(user, TOWNSHIP_LEVEL_EDITORS)
    _check_party_org_scope(user, party_organization)
    party_organization.delete()
