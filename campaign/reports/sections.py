"""Sections other apps add to the progress report, its web page and the briefing.

The reports app sits above ``appraisal``, yet the village indicators and the rectification of weak
organizations (apps of their own) also belong in the month's report and briefing. As with
``nav_items`` and ``panels``, an app declares its sections on its AppConfig::

    report_sections = [(40, "indicators.report.SECTION")]

where the dotted path names a ``ReportSection``. Two halves, so that a document shows one set of
figures (issue 10, "one moment, one set of figures"):

- ``figures(campaign, today)`` is called while the report is taken, inside the same database
  snapshot as the report's own figures; it returns JSON-ready data (numbers, names, Chinese labels,
  never model instances), stored in ``ProgressReport.data["sections"][key]``. Return ``None`` when
  the section has nothing to say for this campaign.
- ``template`` renders that frozen data, the same template on the web page and in the PDF. It gets
  ``figures`` (the data), ``section`` (this object), ``number`` (the heading numeral, e.g. "四、")
  and ``paper`` (True when printing). Print paragraphs with ``{% load paper %}{% para text %}`` so
  that they are set on the 28-character grid in the PDF; use ``<h2>`` for the heading and the
  ``paper-table`` class for tables (see ``reports/pdf/common.css``). ``totals(figures)`` may return
  the section's key figures by name; tests compare them with what the text says.
"""

from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class ReportSection:
    key: str
    heading: Any  # a lazy translation; printed in Chinese
    figures: Any  # callable(campaign, today) -> dict | None
    template: str
    in_briefing: bool = True
    in_report: bool = True
    totals: Any = field(default=None)  # callable(figures) -> dict, optional


def registered():
    """Every declared section, in order (order, then key)."""
    found = []
    for config in apps.get_app_configs():
        for order, path in getattr(config, "report_sections", ()):
            section = import_string(path)
            found.append((order, section.key, section))
    return [section for _order, _key, section in sorted(found, key=lambda item: (item[0], item[1]))]


def take_figures(campaign, today):
    """The sections' figures for a report being taken (called inside the report's snapshot)."""
    out = {}
    for section in registered():
        data = section.figures(campaign, today)
        if data is not None:
            out[section.key] = data
    return out


def for_display(data, *, where):
    """[(section, figures)] of a report's frozen data, for ``where`` = "report" or "briefing"."""
    stored = (data or {}).get("sections") or {}
    shown = []
    for section in registered():
        if section.key not in stored:
            continue
        if (where == "briefing" and not section.in_briefing) or (where == "report" and not section.in_report):
            continue
        shown.append((section, stored[section.key]))
    return shown
