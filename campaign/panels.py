"""Panels: a higher app adds a section to a lower app's page without the lower app importing it.

The layering is one way (``villages`` ← ``cadres`` ← ``appraisal`` ← steering, reports and the
ledgers), yet a village's page should show its indicator sheets and its rectification history.
As with ``nav_items``, each app declares what it adds on its AppConfig::

    panels = {"village_detail": [(50, "indicators.panels.village_sheets")]}

A provider is called as ``provider(request=request, obj=obj, **extra)`` and returns ``None`` (nothing
to show, e.g. out of scope or no data) or a ``Panel``. Pages render a slot with
``{% load panels %}{% panels "village_detail" village %}``; code that needs the data rather than
HTML calls ``collect(slot, request, obj)``.

Slots in use (page → slot, object passed):
- village page → ``village_detail``, the ``Village``
- appraisal page → ``appraisal_detail``, the ``Appraisal``
- self-report → ``self_report``, the ``Appraisal``
- a role's home / to-do page → ``todo``, the ``User`` (items to act on)
- the approval page → ``approval``, the ``Campaign``, with ``appraisals=`` the subjects under notice
  (warnings shown beside the five-star cap warning)
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.template.loader import render_to_string
from django.utils.module_loading import import_string


@dataclass
class Panel:
    template: str
    context: dict = field(default_factory=dict)
    order: int = 50


def providers(slot):
    found = []
    for config in apps.get_app_configs():
        for order, path in getattr(config, "panels", {}).get(slot, ()):
            found.append((order, path))
    return [import_string(path) for _, path in sorted(found)]


def collect(slot, request, obj, **extra):
    """The panels of ``slot`` for ``obj``, in order, skipping providers that have nothing to show."""
    panels = []
    for provider in providers(slot):
        panel = provider(request=request, obj=obj, **extra)
        if panel is not None:
            panels.append(panel)
    return sorted(panels, key=lambda p: p.order)


def render(slot, request, obj, **extra):
    return "".join(
        render_to_string(panel.template, {"obj": obj, **panel.context}, request=request)
        for panel in collect(slot, request, obj, **extra)
    )
