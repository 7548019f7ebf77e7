"""What goes into each printed document, and rendering the campaign documents (not briefings)."""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaign.jobs import current_worker
from campaign.reports import charts, pdf, sections
from campaign.reports.figures import _date_label
from campaign.reports.models import Document, RenderStatus
from campaign.reports.snapshot import snapshot

log = logging.getLogger(__name__)

CHINESE_NUMERALS = "一二三四五六七八九十"
LATE_NAMES_SHOWN = 12
# Two-line table headers: the stages' labels shortened where the full label would need three lines
# in a 15-column table (the text and the table's note give the full labels).
SHORT_STAGE = {
    "township_checked": "乡镇验收",
    "recheck_requested": "申请复检",
    "rechecked": "县级复检",
    "not_recommended": "未予推荐",
}


def _numbered(keys):
    return {key: f"{CHINESE_NUMERALS[i]}、" for i, key in enumerate(keys)}


def report_view_model(data):
    """Rows, sentences and charts of a report's figures, shared by the web page and the PDF."""
    stages = data.get("stages", [])
    county = data.get("county", {})
    townships = data.get("townships", [])
    rows = []
    for t in townships:
        by_stage = t.get("by_stage", {})
        rows.append(
            {
                **t,
                "stage_counts": [by_stage.get(s["key"], 0) for s in stages],
                "late": t.get("late", 0),
                "rank": t.get("rank"),
            }
        )
    summary = []
    if county:
        summary.append(
            _(
                "As of %(date)s, %(townships)s townships with %(villages)s villages take part in the "
                "campaign; %(subjects)s subjects are being appraised."
            )
            % {
                "date": data.get("taken_on_label", ""),
                "townships": county.get("townships", 0),
                "villages": county.get("villages", 0),
                "subjects": county.get("subjects", 0),
            }
        )
        if stages and county.get("by_stage"):
            parts = [f"{s['label']}{county['by_stage'].get(s['key'], 0)}个" for s in stages]
            summary.append(_("By stage: %(parts)s.") % {"parts": "，".join(parts)})
        if county.get("late"):
            names = county.get("late_names", [])[:LATE_NAMES_SHOWN]
            if names and len(names) < county["late"]:
                # A list cut short ends with 等N个 (N the whole count).
                summary.append(
                    _("%(late)s subjects are behind the stage deadlines, among them %(names)s.")
                    % {"late": county["late"], "names": "、".join(names)}
                )
            else:
                summary.append(
                    _("%(late)s subjects are behind the stage deadlines: %(names)s.")
                    % {"late": county["late"], "names": "、".join(names) or "—"}
                )
    title_summary = []
    stars_drawn = county.get("stars") or {}
    scored = sum(stars_drawn.values())
    if scored:
        title_summary.append(
            _("%(scored)s subjects have a final score from the county, %(five)s of them with five stars.")
            % {"scored": scored, "five": stars_drawn.get("5", 0)}
        )
    titles = county.get("titles") or {}
    if titles:
        title_summary.append(
            _(
                "%(named)s titles are valid, %(expiring)s of them expire within 90 days; "
                "%(expired)s have expired and %(revoked)s were revoked. %(vetoes)s veto events are on record."
            )
            % {
                "named": titles.get("valid", 0),
                "expiring": titles.get("expiring", 0),
                "expired": titles.get("expired", 0),
                "revoked": titles.get("revoked", 0),
                "vetoes": county.get("vetoes", 0),
            }
        )
    change = data.get("change")
    if change:
        summary.append(
            _(
                "Since the previous report (%(period)s): %(done)s more subjects approved, "
                "%(late)s late subjects."
            )
            % {
                "period": change.get("previous_period", ""),
                "done": f"{change.get('approved', 0):+d}",
                "late": f"{change.get('late', 0):+d}",
            }
        )
    stage_chart = None
    if rows and stages:
        stage_chart = charts.stacked_bars(
            [
                (r["name"], {s["key"]: c for s, c in zip(stages, r["stage_counts"], strict=True)})
                for r in rows
            ],
            [(s["key"], SHORT_STAGE.get(s["key"], s["label"])) for s in stages],
            label=_("Subjects at each stage, by township"),
        )
    star_chart = None
    stars = county.get("stars")
    if stars:
        star_chart = charts.columns(
            [(f"{k}星", stars.get(str(k), 0)) for k in range(6)],
            label=_("Subjects by number of stars earned"),
        )
    for stage in stages:
        stage["short"] = SHORT_STAGE.get(stage["key"], stage["label"])
    abbreviated = [s for s in stages if s["short"] != s["label"]]
    return {
        "stages": stages,
        "stage_note": "；".join(f"{s['short']}＝{s['label']}" for s in abbreviated),
        "subjects_total": county.get("subjects", 0),
        "scored_total": sum((stars or {}).values()),
        "township_rows": rows,
        "summary": summary,
        "title_summary": title_summary,
        "stage_chart": stage_chart,
        "star_chart": star_chart,
        "has_ranking": any(r.get("rank") for r in rows),
    }


def briefing_context(briefing):
    data = briefing.report.data if briefing.report_id else {}
    view = report_view_model(data)
    keys = []
    if view["summary"]:
        keys.append("overall")
        if view["township_rows"]:
            keys.append("townships")
        if view["star_chart"]:
            keys.append("stars")
    extra = sections.for_display(data, where="briefing")
    keys += [f"section:{section.key}" for section, _figures in extra]
    keys += [k for k in ("highlights", "problems", "next_steps") if getattr(briefing, k)]
    numbers = _numbered(keys)
    campaign = briefing.campaign
    headline = _("Progress of the %(year)s three-level joint creation campaign in %(county)s") % {
        "year": campaign.year,
        "county": campaign.county.name,
    }
    return {
        "briefing": briefing,
        "data": data,
        "headline": headline,
        "section_numbers": numbers,
        "banji_rows": [("报：", briefing.report_to), ("送：", briefing.send_to), ("发：", briefing.issue_to)],
        "issued_on_label": _date_label(briefing.issued_on),
        "extra_sections": [
            {"section": section, "figures": figures, "number": numbers[f"section:{section.key}"]}
            for section, figures in extra
        ],
        **view,
    }


def document_render(*, document_id):
    """Render a certificate, naming list or county self-check (the worker's job); idempotent."""
    from campaign.reports import official

    with transaction.atomic():
        document = Document.objects.select_for_update().filter(pk=document_id).first()
        if document is None:
            return None
        document.status = RenderStatus.RUNNING
        document.failure_reason = ""
        document.started_at = timezone.now()
        document.started_by = current_worker()
        document.save(update_fields=["status", "failure_reason", "started_at", "started_by"])
    try:
        # One snapshot for everything the document prints (campaign/reports/snapshot.py).
        with snapshot():
            document = (
                Document.objects.select_for_update(of=("self",))
                .select_related("campaign__county")
                .get(pk=document_id)
            )
            template, context = official.document_source(document)
            relative = f"documents/{document.campaign.year}/{document.kind}-{document.pk}.pdf"
            pdf.write_atomic(relative, pdf.render_pdf(pdf.render_html(template, context)))
            document.pdf = relative
            document.pdf_rendered_at = timezone.now()
            document.status = RenderStatus.DONE
            document.save(update_fields=["pdf", "pdf_rendered_at", "status"])
            return relative
    except Exception as error:
        from campaign.celery import transient_errors

        if isinstance(error, transient_errors()):
            raise
        log.exception("document %s: PDF failed", document_id)
        Document.objects.filter(pk=document_id).update(
            status=RenderStatus.FAILED, failure_reason=f"{type(error).__name__}: {error}"[:2000]
        )
        return None
