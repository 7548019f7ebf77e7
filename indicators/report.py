"""The indicators' section of the progress report and the briefing: targets met and missed, by township.

Registered on the AppConfig (``report_sections``) for the reports app's hook
(``campaign/reports/sections.py``): ``figures(campaign, today)`` is called while the report is taken
and returns JSON-ready data in Chinese (the language of the printed briefing), frozen with the
report; ``indicators/report_section.html`` prints it, on the web page and in the PDF alike.
"""

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators import rollups, targets
from indicators.models import CollectionWindow
from indicators.templatetags.indicator_tags import plain_number
from villages.models import Village

KEY = "indicators"


def _percent(value):
    return f"{plain_number(value)}%" if value is not None else "—"


def figures(campaign, today):
    """The year's figures for the report, or None when the county collects no sheets that year."""
    county_id = campaign.county_id
    if not CollectionWindow.objects.filter(county_id=county_id, year=campaign.year).exists():
        return None
    with translation.override("zh-hans"):
        villages = Village.objects.filter(township__county_id=county_id)
        whole, townships = rollups.county_rollup(county_id, villages, campaign.year, today=today)
        indicators = whole.indicators
        results = [
            {
                "text": targets.describe(r.target, indicators),
                "state": r.state,
                "state_label": str(r.state_label),
                "figure": _percent(r.figure) if r.figure is not None else "",
                "passing": r.passing,
                "with_data": r.with_data,
                "missing": len(r.missing),
            }
            for r in whole.results
        ]
        rows = []
        for first, township in townships:
            rows.append(
                {
                    "name": first.township_name,
                    "villages": township.completeness.villages,
                    "confirmed": township.completeness.confirmed,
                    "met": len(township.met),
                    "not_met": len(township.not_met),
                    "missed": [targets.describe(r.target, indicators) for r in township.not_met],
                }
            )
        c = whole.completeness
        met = [r["text"] for r in results if r["state"] == targets.MET]
        missed = [r["text"] for r in results if r["state"] == targets.NOT_MET]
        summary = [
            _(
                "Of the county's %(villages)s villages, %(confirmed)s have their %(year)s indicator sheet "
                "confirmed by the township (%(percent)s); %(submitted)s wait for confirmation."
            )
            % {
                "villages": c.villages,
                "confirmed": c.confirmed,
                "year": campaign.year,
                "percent": _percent(c.percent),
                "submitted": c.submitted,
            }
        ]
        if results:
            line = _("%(met)s of the %(total)s targets are met") % {"met": len(met), "total": len(results)}
            if met:
                line += _(" (%(list)s)") % {"list": "；".join(met)}
            if missed:
                line += _("; not met: %(list)s") % {"list": "；".join(missed)}
            summary.append(line + "。")
        return {
            "year": campaign.year,
            "villages": c.villages,
            "confirmed": c.confirmed,
            "percent": _percent(c.percent),
            "met": len(met),
            "total": len(results),
            "targets": results,
            "townships": rows,
            "summary": summary,
        }


def totals(data):
    return {key: data[key] for key in ("villages", "confirmed", "met", "total")}


def _section():
    try:
        from campaign.reports.sections import ReportSection
    except ImportError:  # the reports app's hook is not in this tree (yet): nothing to register with
        return None
    return ReportSection(
        key=KEY,
        heading=gettext_lazy("Village indicators"),
        figures=figures,
        template="indicators/report_section.html",
        totals=totals,
    )


SECTION = _section()
