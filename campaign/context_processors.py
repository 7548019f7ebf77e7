"""The navigation: each role sees only the sections it can use.

Each app declares its own entries as ``nav_items`` on its AppConfig:
a list of ``(order, url name, label, roles)``; this collects them.
"""

from django.apps import apps
from django.urls import reverse


def nav_items_for(user):
    entries = []
    for config in apps.get_app_configs():
        entries.extend(getattr(config, "nav_items", ()))
    items = []
    for _order, url_name, label, roles in sorted(entries, key=lambda e: e[0]):
        if user.role in roles:
            items.append({"url": reverse(url_name), "label": label})
    return items


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = nav_items_for(user)
    for item in items:
        item["active"] = request.path.startswith(item["url"])
    return {
        "nav_items": items,
        "unread_notifications": user.notifications.filter(read_at__isnull=True).count(),
        "show_admin_link": user.is_staff,
    }
