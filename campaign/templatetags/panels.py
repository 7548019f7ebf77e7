from django import template
from django.utils.safestring import mark_safe

from campaign import panels as registry

register = template.Library()


@register.simple_tag(takes_context=True)
def panels(context, slot, obj, **extra):
    """Render the panels other apps registered for ``slot`` (see ``campaign/panels.py``)."""
    request = context.get("request")
    if request is None:
        return ""
    # Each panel's template escapes its own content; the joined HTML is safe as a whole.
    return mark_safe(registry.render(slot, request, obj, **extra))  # noqa: S308
