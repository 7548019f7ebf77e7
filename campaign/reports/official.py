"""What each printed document says: certificates (证书), the naming decision (命名决定, a 红头文件) and its
list (命名表彰名单), the county self-check (先进县自检报告), the public notice (公示) and the supervision
notice (督办通知单).

Each ``*_context`` returns plain data (lists and dicts, no lazy querysets): ``document_source`` is
called inside one database snapshot (``snapshot.snapshot``), and everything a document prints must
have been read there. The figures of the naming and the self-check come from one
``build_report_data`` reading, so the text, the tables and the charts of a document agree.
"""

import datetime
from collections import defaultdict

from django.utils import timezone
from django.utils.translation import gettext as _

from appraisal.models import Appraisal, Objection, PublicNotice, Star, Title, Track, VetoEvent
from campaign.reports import charts
from campaign.reports.documents import CHINESE_NUMERALS, report_view_model
from campaign.reports.figures import _date_label, build_report_data
from campaign.reports.models import Document
from campaign.reports.services import print_settings_for
from villages.models import PartyOrganization

TRACK_HONOUR = {
    Track.VILLAGE: "村党组织",
    Track.TOWNSHIP: "乡镇党委",
    Track.DEPARTMENT: "县直部门",
}
DIGITS = "〇一二三四五六七八九"
# 套打: where each element of the text-only certificate goes on the pre-printed A4 landscape sheet
# (mm from the sheet's top-left corner; the county adjusts them in its print settings).
OVERLAY_ELEMENTS = {
    "recipient": (_("recipient"), (48, 62)),
    "honour": (_("honour"), (70, 92)),
    "stars": (_("stars earned"), (60, 118)),
    "valid": (_("validity"), (60, 130)),
    "issuer": (_("issuer"), (180, 150)),
    "date": (_("date"), (180, 162)),
    "number": (_("certificate number"), (30, 190)),
}
SHEET = (297, 210)  # A4 landscape, mm


def honour_name(track, star_count):
    """“五星级”村党组织, “三星级”乡镇党委, or 群众满意的县直部门."""
    if track == Track.DEPARTMENT:
        return "群众满意的县直部门"
    return f"“{CHINESE_NUMERALS[star_count - 1] if star_count else '零'}星级”{TRACK_HONOUR[track]}"


def chinese_date(day):
    """二〇二六年十一月十六日 (the numerals of a certificate or a seal)."""

    def number(n):
        if n < 10:
            return CHINESE_NUMERALS[n - 1]
        tens, ones = divmod(n, 10)
        return (
            ("" if tens == 1 else CHINESE_NUMERALS[tens - 1])
            + "十"
            + (CHINESE_NUMERALS[ones - 1] if ones else "")
        )

    return "".join(DIGITS[int(d)] for d in str(day.year)) + f"年{number(day.month)}月{number(day.day)}日"


def committee(campaign):
    return f"中共{campaign.county.name}委员会"


def department(campaign):
    return f"中共{campaign.county.name}委组织部"


def full_names(titles):
    """{title id: the organisation's full name}: 林西镇四道洼村党总支, 中共林西镇委员会, a department's."""
    villages = {t.village_id for t in titles if t.village_id}
    townships = {t.township_id for t in titles if t.township_id and not t.village_id}
    departments = {t.department_id for t in titles if t.department_id}
    orgs = {}
    for org in PartyOrganization.objects.filter(
        kind__in=[*PartyOrganization.VILLAGE_KINDS], village_id__in=villages
    ).order_by("id"):
        orgs.setdefault(("v", org.village_id), org.name)
    for org in PartyOrganization.objects.filter(
        kind=PartyOrganization.Kind.TOWNSHIP_COMMITTEE, township_id__in=townships
    ).order_by("id"):
        orgs.setdefault(("t", org.township_id), org.name)
    for org in PartyOrganization.objects.filter(
        kind=PartyOrganization.Kind.DEPARTMENT, department_id__in=departments
    ).order_by("id"):
        orgs.setdefault(("d", org.department_id), org.name)
    names = {}
    for t in titles:
        if t.village_id:
            org = orgs.get(("v", t.village_id)) or f"{t.village.name}党组织"
            names[t.pk] = f"{t.township.name}{org}"
        elif t.department_id:
            names[t.pk] = orgs.get(("d", t.department_id)) or f"{t.department.name}党组织"
        else:
            names[t.pk] = orgs.get(("t", t.township_id)) or f"中共{t.township.name}委员会"
    return names


def _star_names(campaign_id, titles):
    wanted = {(t.track, code) for t in titles for code in t.stars}
    names = {}
    for track, code, name in Star.objects.filter(rubric__campaign_id=campaign_id).values_list(
        "rubric__track", "code", "name"
    ):
        if (track, code) in wanted:
            names[(track, code)] = name
    return names


def _certificate(title, full_name, star_names, document):
    day = title.named_on
    return {
        "recipient": full_name,
        "honour": honour_name(title.track, title.star_count),
        "star_names": [star_names[(title.track, c)] for c in title.stars if (title.track, c) in star_names],
        "year": title.campaign.year,
        "issuer": committee(title.campaign),
        "named_on": chinese_date(day) if document.chinese_date else _date_label(day),
        "valid_until": chinese_date(title.valid_until)
        if document.chinese_date
        else _date_label(title.valid_until),
        "number": f"{title.campaign.year}-{title.pk:04d}",
    }


def overlay_positions(county):
    """{element: (x mm, y mm)} of the text-only certificate, the county's or the defaults."""
    stored = print_settings_for(county).overlay or {}
    return {key: tuple(stored.get(key) or default) for key, (_label, default) in OVERLAY_ELEMENTS.items()}


def certificates_context(document, titles):
    titles = list(titles)
    names = full_names(titles)
    stars = _star_names(document.campaign_id, titles)
    return {
        "certificates": [_certificate(t, names[t.pk], stars, document) for t in titles],
        "overlay": document.variant == Document.Variant.OVERLAY,
        "positions": overlay_positions(document.campaign.county),
    }


def _titles(campaign):
    return list(
        Title.objects.filter(campaign=campaign)
        .exclude(status=Title.Status.REVOKED)
        .select_related("campaign__county", "township", "village", "department")
        .order_by("track", "-star_count", "township__code", "village__code", "department__code", "id")
    )


def naming_sections(campaign, titles):
    """The list's sections: townships, villages (by township), departments; star counts descending."""
    names = full_names(titles)
    groups = defaultdict(list)
    for title in titles:
        groups[(title.track, title.star_count)].append(title)
    order = {Track.TOWNSHIP: 0, Track.VILLAGE: 1, Track.DEPARTMENT: 2}
    sections = []
    for (track, stars), items in sorted(groups.items(), key=lambda kv: (order[kv[0][0]], -kv[0][1])):
        rows = []
        for i, title in enumerate(items, 1):
            rows.append(
                {
                    "no": i,
                    "township": title.township.name if title.township_id else "",
                    "name": names[title.pk],
                    "stars": title.star_count,
                    "valid_until": _date_label(title.valid_until),
                }
            )
        by_township = []
        if track == Track.VILLAGE:
            current = None
            for row in rows:
                if row["township"] != current:
                    by_township.append({"township": row["township"], "rows": []})
                    current = row["township"]
                by_township[-1]["rows"].append(row)
        sections.append(
            {
                "heading": honour_name(track, stars),
                "track": str(track),
                "stars": stars,
                "rows": rows,
                "by_township": by_township,
                "count": len(rows),
            }
        )
    for i, section in enumerate(sections):
        section["numeral"] = f"{CHINESE_NUMERALS[i % 10]}、"
    return sections


def naming_context(document):
    campaign = document.campaign
    titles = _titles(campaign)
    data = build_report_data(campaign)
    named = data["county"]["named"]
    sections = naming_sections(campaign, titles)
    named_on = max((t.named_on for t in titles), default=timezone.localdate())
    signed_on = document.signed_on or named_on
    marks = print_settings_for(campaign.county)
    decided = []
    for section in sections:
        first = section["rows"][0]["name"]
        many = f"等{section['count']}个" if section["count"] > 1 else ""
        decided.append(f"命名{first}{many}为{section['heading']}")
    decided = "；".join(decided) + "。" if decided else ""
    list_title = f"{campaign.year}年度“三级联创”先进集体名单"
    return {
        "campaign": {"year": campaign.year, "county": campaign.county.name},
        "organ_mark": marks.committee_mark,
        "number_label": document.number_label,
        "signer": document.signer,
        "title": f"中共{campaign.county.name}委关于命名{campaign.year}年度“三级联创”先进集体的决定",
        "recipients": document.recipients or "各乡镇党委，县直各部门党组（党委）",
        "decided": decided,
        "named": named,
        "total": named["total"],
        "years": campaign.title_validity_years,
        "valid_until": _date_label(min((t.valid_until for t in titles), default=named_on)),
        "sections": sections,
        "list_title": list_title,
        "issuer": committee(campaign),
        "signed_on": _date_label(signed_on),
        "copy_to": document.copy_to,
        "banji_rows": [("抄送：", document.copy_to)],
        "printing_office": marks.committee_office,
        "printed_on": _date_label(signed_on),
        "copies": document.copies,
    }


def county_self_check_context(document):
    campaign = document.campaign
    data = build_report_data(campaign)
    view = report_view_model(data)
    county = data["county"]
    named = county["named"]
    villages = county["villages"]
    five = named["village_five_star"]
    cap = _five_star_cap(campaign)
    vetoes = [
        {
            "subject": str(v.village or v.department or v.township),
            "kind": v.get_kind_display(),
            "occurred_on": _date_label(v.occurred_on),
        }
        for v in VetoEvent.objects.filter(campaign=campaign)
        .select_related("village", "township", "department")
        .order_by("occurred_on", "id")[:50]
    ]
    by_stars = named["village_by_stars"]
    chart = charts.columns([(f"{k}星", by_stars[str(k)]) for k in range(1, 6)], label="命名村党组织星级分布")
    signed_on = document.signed_on or timezone.localdate()
    marks = print_settings_for(campaign.county)
    rows = [r for r in data["townships"] if r["id"] != 0]
    return {
        **view,
        "campaign": {"year": campaign.year, "county": campaign.county.name},
        "title": f"{campaign.county.name}关于{campaign.year}年度农村基层组织建设先进县创建工作的自检报告",
        "as_official": document.as_official,
        "organ_mark": marks.department_mark,
        "number_label": document.number_label,
        "signer": document.signer,
        "recipients": document.recipients or "市委组织部",
        "county": county,
        "named": named,
        "five_star_villages": five,
        "five_star_share": round(100 * five / villages, 1) if villages else 0,
        "five_star_cap": cap,
        "named_rows": rows,
        "named_chart": chart,
        "vetoes": vetoes,
        "issuer": department(campaign),
        "signed_on": _date_label(signed_on),
        "copy_to": document.copy_to,
        "banji_rows": [("抄送：", document.copy_to)],
        "printing_office": marks.department_office,
        "printed_on": _date_label(signed_on),
        "copies": document.copies,
    }


def _five_star_cap(campaign):
    return campaign.five_star_cap_percent


def public_notice_context(document, notice):
    subjects = list(
        Appraisal.objects.filter(notice=notice)
        .select_related("township", "village", "department")
        .order_by("track", "township__code", "village__code", "department__code", "id")
    )
    rows = []
    for i, a in enumerate(subjects, 1):
        rows.append(
            {
                "no": i,
                "township": a.township.name if a.township_id and a.village_id else "",
                "name": str(a.subject),
                "honour": honour_name(a.track, a.star_count),
                "points": a.final_points,
                "withdrawn": a.status not in (Appraisal.Status.PUBLICIZED, Appraisal.Status.APPROVED),
            }
        )
    campaign = notice.campaign
    pending = Objection.objects.filter(notice=notice).count()
    heading = f"关于{campaign.year}年度“三级联创”先进集体拟命名对象的公示"
    return {
        "heading": heading,
        "subtitle": f"（{notice.title}）" if notice.title and notice.title not in heading else "",
        "notice": {
            "title": notice.title,
            "starts_on": _date_label(notice.starts_on),
            "ends_on": _date_label(notice.ends_on),
            "working_days": notice.working_days,
        },
        "campaign": {"year": campaign.year, "county": campaign.county.name},
        "rows": [r for r in rows if not r["withdrawn"]],
        "objections": pending,
        "issuer": department(campaign),
        "signed_on": _date_label(document.signed_on or notice.starts_on),
    }


def supervision_context(document, notice):
    items = list(notice.items.order_by("position").values_list("text", flat=True))
    campaign = document.campaign
    marks = print_settings_for(campaign.county)
    return {
        "reference": f"{marks.department_prefix[:1]}组督〔{notice.year}〕{notice.number}号",
        "notice": {
            "title": notice.title,
            "body": notice.body,
            "recipient": str(notice.recipient),
            "deadline": _date_label(notice.deadline),
            "report_to": notice.report_to,
            "phone": notice.report_to_phone,
            "issued_on": _date_label(timezone.localtime(notice.issued_at).date()),
        },
        "items": items,
        "issuer": department(campaign),
    }


def document_source(document):
    """(template name, context) of a document's PDF; called inside one snapshot."""
    kind = document.kind
    if kind == Document.Kind.CERTIFICATE:
        titles = Title.objects.select_related("campaign__county", "township", "village", "department").filter(
            pk=document.title_id, campaign_id=document.campaign_id
        )
        return "reports/pdf/certificate.html", certificates_context(document, titles)
    if kind == Document.Kind.CERTIFICATES:
        day = datetime.date.fromisoformat(document.batch)
        titles = [t for t in _titles(document.campaign) if t.named_on == day]
        return "reports/pdf/certificate.html", certificates_context(document, titles)
    if kind == Document.Kind.NAMING_LIST:
        return "reports/pdf/naming_list.html", naming_context(document)
    if kind == Document.Kind.NAMING_DECISION:
        return "reports/pdf/naming_decision.html", naming_context(document)
    if kind == Document.Kind.COUNTY_SELF_CHECK:
        return "reports/pdf/county_self_check.html", county_self_check_context(document)
    if kind == Document.Kind.PUBLIC_NOTICE:
        notice = PublicNotice.objects.select_related("campaign__county").get(
            pk=document.object_id, campaign_id=document.campaign_id
        )
        return "reports/pdf/public_notice.html", public_notice_context(document, notice)
    if kind == Document.Kind.SUPERVISION_NOTICE:
        from campaign.steering.models import SupervisionNotice

        notice = SupervisionNotice.objects.select_related("township", "department").get(
            pk=document.object_id, county_id=document.campaign.county_id
        )
        return "reports/pdf/supervision_notice.html", supervision_context(document, notice)
    raise ValueError(_("Unknown document kind: %(kind)s") % {"kind": kind})
