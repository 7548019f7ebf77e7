"""Certificates (证书), the list of named subjects (命名表彰名单) and the county self-check (先进县自检报告).

Each returns the template and context of its PDF; ``documents.document_render``
renders and stores it. All data come from the appraisal app's models.
"""

from collections import defaultdict

from django.utils import timezone
from django.utils.translation import gettext as _

from appraisal.models import Appraisal, Star, Title, Track, VetoEvent
from appraisal.selectors import five_star_share
from campaign.reports.documents import CHINESE_NUMERALS, report_view_model
from campaign.reports.figures import _date_label
from campaign.reports.models import Document

TRACK_HONOUR = {
    Track.VILLAGE: "村党组织",
    Track.TOWNSHIP: "乡镇党委",
    Track.DEPARTMENT: "县直部门",
}


def honour_name(track, star_count):
    """“五星级”村党组织, “三星级”乡镇党委, or 群众满意的县直部门."""
    if track == Track.DEPARTMENT:
        return "群众满意的县直部门"
    return f"“{CHINESE_NUMERALS[star_count - 1] if star_count else '零'}星级”{TRACK_HONOUR[track]}"


def committee(campaign):
    return f"中共{campaign.county.name}委员会"


def certificate_context(title):
    star_names = list(
        Star.objects.filter(
            rubric__campaign_id=title.campaign_id, rubric__track=title.track, code__in=title.stars
        )
        .order_by("order")
        .values_list("name", flat=True)
        .distinct()
    )
    return {
        "title": title,
        "subject": title.subject,
        "township": title.township if title.village_id else None,
        "honour": honour_name(title.track, title.star_count),
        "star_names": star_names,
        "campaign": title.campaign,
        "issuer": committee(title.campaign),
        "named_on": _date_label(title.named_on),
        "valid_until": _date_label(title.valid_until),
        "number": f"{title.campaign.year}-{title.pk:04d}",
    }


def naming_list_context(campaign):
    titles = (
        Title.objects.filter(campaign=campaign)
        .exclude(status=Title.Status.REVOKED)
        .select_related("township", "village", "department")
        .order_by("track", "-star_count", "township__code", "village__code", "department__code")
    )
    groups = defaultdict(list)
    for title in titles:
        groups[(title.track, title.star_count)].append(title)
    order = {Track.TOWNSHIP: 0, Track.VILLAGE: 1, Track.DEPARTMENT: 2}
    sections = [
        {"heading": honour_name(track, stars), "titles": items, "track": track}
        for (track, stars), items in sorted(groups.items(), key=lambda kv: (order[kv[0][0]], -kv[0][1]))
    ]
    for i, section in enumerate(sections):
        section["numeral"] = f"{CHINESE_NUMERALS[i % 10]}、"
    named_on = max((t.named_on for t in titles), default=timezone.localdate())
    return {
        "campaign": campaign,
        "issuer": committee(campaign),
        "sections": sections,
        "total": sum(len(s["titles"]) for s in sections),
        "named_on": _date_label(named_on),
        "valid_until": _date_label(min((t.valid_until for t in titles), default=named_on)),
        "years": campaign.title_validity_years,
    }


def county_self_check_context(campaign):
    from campaign.reports.services import report_take

    report, _created = report_take(campaign=campaign)
    data = report.data
    county = data["county"]
    five, villages, cap = five_star_share(campaign)
    approved = Appraisal.objects.filter(campaign=campaign, status=Appraisal.Status.APPROVED)
    by_track = {
        track: approved.filter(track=track).count()
        for track in (Track.VILLAGE, Track.TOWNSHIP, Track.DEPARTMENT)
    }
    vetoes = list(
        VetoEvent.objects.filter(campaign=campaign).select_related("village", "township", "department")[:50]
    )
    return {
        "campaign": campaign,
        "issuer": f"中共{campaign.county.name}委组织部",
        "data": data,
        "county": county,
        "approved_villages": by_track[Track.VILLAGE],
        "approved_townships": by_track[Track.TOWNSHIP],
        "approved_departments": by_track[Track.DEPARTMENT],
        "five_star_villages": five,
        "five_star_share": round(100 * five / villages, 1) if villages else 0,
        "five_star_cap": cap,
        "vetoes": [
            {
                "subject": str(v.village or v.department or v.township),
                "kind": v.get_kind_display(),
                "occurred_on": _date_label(v.occurred_on),
            }
            for v in vetoes
        ],
        "today": _date_label(timezone.localdate()),
        **report_view_model(data),
    }


def document_source(document):
    """(template name, context) of a document's PDF."""
    if document.kind == Document.Kind.CERTIFICATE:
        title = Title.objects.select_related("campaign__county", "township", "village", "department").get(
            pk=document.title_id, campaign_id=document.campaign_id
        )
        return "reports/pdf/certificate.html", certificate_context(title)
    if document.kind == Document.Kind.NAMING_LIST:
        return "reports/pdf/naming_list.html", naming_list_context(document.campaign)
    if document.kind == Document.Kind.COUNTY_SELF_CHECK:
        return "reports/pdf/county_self_check.html", county_self_check_context(document.campaign)
    raise ValueError(_("Unknown document kind: %(kind)s") % {"kind": document.kind})
