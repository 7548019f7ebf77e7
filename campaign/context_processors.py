"""The navigation: each role sees only the sections it can use.

Each app declares its own entries as ``nav_items`` on its AppConfig:
a list of ``(order, url name, label, roles)``; this collects them. Entries
ordered below 10 are a role's daily work and stand alone in the bar; the rest
are grouped into menus by the app (URL namespace) they belong to, so the bar
stays readable however many pages the campaign grows.
"""

from django.apps import apps
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

PRIMARY_BELOW = 10
GROUPS = {
    "villages": ("registry", _("Registry")),
    "cadres": ("registry", _("Registry")),
    "importer": ("registry", _("Registry")),
    "appraisal": ("appraisal", _("Appraisal")),
    "steering": ("steering", _("Steering")),
    "reports": ("reports", _("Reports and briefings")),
    "indicators": ("indicators", _("Village indicators")),
}
GROUP_ORDER = ["appraisal", "steering", "indicators", "reports", "registry"]


def nav_items_for(user):
    entries = []
    for config in apps.get_app_configs():
        entries.extend(getattr(config, "nav_items", ()))
    items = []
    for order, url_name, label, roles in sorted(entries, key=lambda e: e[0]):
        if user.role in roles:
            items.append(
                {
                    "url": reverse(url_name),
                    "label": label,
                    "order": order,
                    "namespace": url_name.split(":")[0],
                }
            )
    return items


def nav_menu_for(user, path=""):
    """The bar: a list of links and of groups ``{"label", "children"}``; a group of one becomes a link."""
    primary, grouped = [], {}
    for item in nav_items_for(user):
        item["active"] = bool(path) and path.startswith(item["url"])
        key, label = GROUPS.get(item["namespace"], (item["namespace"], item["label"]))
        if item["order"] < PRIMARY_BELOW:
            primary.append(item)
        else:
            grouped.setdefault(key, {"label": label, "children": []})["children"].append(item)
    menu = list(primary)
    for key in sorted(grouped, key=lambda k: GROUP_ORDER.index(k) if k in GROUP_ORDER else len(GROUP_ORDER)):
        group = grouped[key]
        if len(group["children"]) == 1:
            menu.append(group["children"][0])
        else:
            group["active"] = any(i["active"] for i in group["children"])
            menu.append(group)
    return menu


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_menu": nav_menu_for(user, request.path),
        "unread_notifications": user.notifications.filter(read_at__isnull=True).count(),
        "show_admin_link": user.is_staff,
    }
