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


@register.simple_tag(takes_context=True)
def annotation(context, slot, obj, item, **extra):
    """Render the notes other apps registered for one item of a page (see ``campaign/panels.py``)."""
    request = context.get("request")
    if request is None:
        return ""
    # Each note's template escapes its own content.
    return mark_safe(registry.render_annotation(slot, request, obj, item, **extra))  # noqa: S308
