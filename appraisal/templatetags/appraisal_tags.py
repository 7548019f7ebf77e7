from django import template

register = template.Library()

STATUS_CLASS = {
    "draft": "bg-secondary",
    "submitted": "bg-primary",
    "township_checked": "bg-info text-dark",
    "recheck_requested": "bg-warning text-dark",
    "rechecked": "bg-info text-dark",
    "not_recommended": "bg-dark",
    "publicized": "bg-warning text-dark",
    "approved": "bg-success",
    "vetoed": "bg-danger",
}


@register.filter
def get(mapping, key):
    if mapping is None:
        return None
    return mapping.get(key)


@register.filter
def status_class(status):
    return STATUS_CLASS.get(status, "bg-secondary")


@register.filter
def points(value):
    """Points without trailing zeros (5, 4.5)."""
    if value is None or value == "":
        return "—"
    try:
        return f"{value.normalize():f}"
    except AttributeError:
        return value


@register.filter
def number(value):
    """Points for an input's value: like ``points``, but empty (not a dash) when there are none."""
    if value is None or value == "":
        return ""
    try:
        return f"{value.normalize():f}"
    except AttributeError:
        return value
