"""The navigation: each role sees only the sections it can use."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from campaign.roles import Role

ALL = tuple(Role)
COUNTY = (Role.COUNTY_ADMIN, Role.COUNTY_REVIEWER, Role.COUNTY_LEADER, Role.CITY)

# (url name, label, roles that see it). Later sections append to this list.
NAV_ITEMS = [
    ("villages:township_list", _("Townships"), COUNTY),
    ("villages:village_list", _("Villages"), (*COUNTY, Role.TOWNSHIP)),
    ("villages:village_mine", _("My village"), (Role.VILLAGE,)),
    ("villages:department_list", _("Departments"), (*COUNTY, Role.DEPARTMENT)),
    (
        "villages:party_org_list",
        _("Party organizations"),
        (*COUNTY, Role.TOWNSHIP, Role.VILLAGE, Role.DEPARTMENT),
    ),
    ("cadres:cadre_list", _("Cadres"), (*COUNTY, Role.TOWNSHIP, Role.VILLAGE, Role.DEPARTMENT)),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = []
    for url_name, label, roles in NAV_ITEMS:
        if user.role in roles:
            items.append(
                {
                    "url": reverse(url_name),
                    "label": label,
                    "active": request.path.startswith(reverse(url_name)),
                }
            )
    return {
        "nav_items": items,
        "unread_notifications": user.notifications.filter(read_at__isnull=True).count(),
        "show_admin_link": user.role == Role.COUNTY_ADMIN and user.is_staff,
    }
