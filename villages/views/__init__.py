"""Registry pages, one module per kind of object."""

from villages.views.departments import (
    department_create,
    department_delete,
    department_detail,
    department_list,
    department_update,
)
from villages.views.party_orgs import (
    party_org_create,
    party_org_delete,
    party_org_detail,
    party_org_list,
    party_org_update,
)
from villages.views.townships import (
    township_create,
    township_delete,
    township_detail,
    township_list,
    township_update,
)
from villages.views.villages import (
    village_create,
    village_delete,
    village_detail,
    village_list,
    village_mine,
    village_update,
)

__all__ = [
    "department_create",
    "department_delete",
    "department_detail",
    "department_list",
    "department_update",
    "party_org_create",
    "party_org_delete",
    "party_org_detail",
    "party_org_list",
    "party_org_update",
    "township_create",
    "township_delete",
    "township_detail",
    "township_list",
    "township_update",
    "village_create",
    "village_delete",
    "village_detail",
    "village_list",
    "village_mine",
    "village_update",
]
