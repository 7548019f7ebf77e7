"""Demo data of the appraisal for the demo county (called by ``seed_demo``): deterministic and idempotent.

What it creates (dates are fixed, around the demo's "now", late November 2026):

- the 2026 campaign (deadlines from 10 November to 31 December 2026, ratings open in November and
  December) with the default rubrics and a draft appraisal for every village, township and department;
  township 01 (林西镇)'s villages in every state: 0101 a draft half filled in (``cun0101`` lands there),
  0102 submitted with narratives and evidence (photos, a PDF), 0103 returned, 0104 checked, 0105 reported
  for re-check (in one batch with 0106–0112), 0106 returned by the county to the township, 0107 re-checked,
  0108 not recommended, 0109–0110 under a public notice that has ended (one with a pending objection),
  0111–0112 approved with their titles; more submitted villages in townships 02–04; a veto in
  township 02; the township 01 and department 01 reports submitted; ratings of the departments from
  below and by their peers;
- the 2022, 2023 and 2025 campaigns' titles: expired (2022), expiring within 90 days (2023, one
  revoked and one with a star withdrawn) and valid (2025).

Everything goes through the services, as the real users would, so the history is complete.
"""

import datetime
from decimal import Decimal

from django.db import transaction

from appraisal import services
from appraisal.models import Appraisal, Indicator, Title, TitleEvent, Track
from campaign.models import Campaign, User
from villages.models import Department, Township, Village

S = Appraisal.Status
YEAR = 2026
ALL_STARS = ["leadership", "members", "mechanism", "prosperity", "feedback"]


def _user(username):
    return User.objects.get(username=username)


def _scores(appraisal, fraction):
    values = {}
    for i, indicator in enumerate(
        Indicator.objects.filter(star__rubric=appraisal.rubric).order_by("star__order", "order")
    ):
        # A little variety between indicators, the same on every run.
        wobble = Decimal("0.1") * (i % 3)
        share = max(Decimal(0), min(Decimal(1), fraction - wobble))
        values[indicator.id] = ((indicator.max_points * share).quantize(Decimal("0.1")), "")
    return values


NARRATIVES = [
    "班子成员每月集中学习一次，全年开展专题学习12次，学习记录完整。",
    "“两委”班子健全，分工明确，全年无违纪问题。",
    "书记带头发展肉牛养殖，带动28户群众增收。",
    "班子中35岁以下成员2名、女委员1名，后备干部3名。",
    "党员设岗定责全覆盖，承诺践诺事项按季度公示。",
    "今年发展35岁以下党员1名，入党积极分子4名。",
    "“三会一课”按期召开，书记参加培训8天。",
]


def _narrated(appraisal, fraction):
    """Self-scores with the village's own narrative (情况说明) on the first indicators."""
    values = _scores(appraisal, fraction)
    for (indicator_id, (points, _remark)), text in zip(list(values.items()), NARRATIVES, strict=False):
        values[indicator_id] = (points, text)
    return values


def _corrected(appraisal, fraction):
    """The township's scores, with a remark wherever it corrected the self-score downwards."""
    from appraisal.models import Score

    own = dict(
        Score.objects.filter(appraisal=appraisal, tier=Score.Tier.SELF).values_list("indicator_id", "points")
    )
    values = _scores(appraisal, fraction)
    for indicator_id, (points, _remark) in values.items():
        if own.get(indicator_id) is not None and points < own[indicator_id]:
            values[indicator_id] = (points, "佐证材料不够完整，酌情扣分。")
    return values


def _summary(village):
    return (
        f"{village.name}党支部对照“五星级”村党组织验收评比细则逐项自检：领导班子团结，"
        "党员队伍结构持续优化，“三会一课”等制度落实到位；村集体经济收入较上年增长，"
        "群众满意度较高。不足之处是年轻党员偏少，下一步将加强后备干部培养。"
    )


def _add_evidence(appraisal, user):
    """Two photos (made with Pillow) and a one-page PDF, as a secretary would upload them."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image, ImageDraw

    indicators = list(
        Indicator.objects.filter(star__rubric=appraisal.rubric).order_by("star__order", "order")
    )
    for indicator, (name, colour) in zip(
        indicators[:2],
        (("学习会议现场.jpg", (176, 42, 48)), ("班子成员合影.png", (45, 106, 79))),
        strict=False,
    ):
        picture = Image.new("RGB", (1200, 800), colour)
        draw = ImageDraw.Draw(picture)
        for step in range(0, 1200, 60):
            draw.line([(step, 0), (step + 400, 800)], fill=(255, 255, 255), width=6)
        out = io.BytesIO()
        picture.save(out, "JPEG" if name.endswith(".jpg") else "PNG")
        services.evidence_add(
            appraisal=appraisal,
            indicator=indicator,
            upload=SimpleUploadedFile(name, out.getvalue()),
            user=user,
        )
    pdf = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )
    services.evidence_add(
        appraisal=appraisal,
        indicator=indicators[6],
        upload=SimpleUploadedFile("三会一课记录.pdf", pdf),
        user=user,
    )


def _campaign(county, year, **fields):
    campaign, _created = Campaign.objects.get_or_create(
        county=county, year=year, defaults={"name": f"{year}年度三级联创", **fields}
    )
    services.rubric_seed_default(campaign=campaign)
    return campaign


def _title(campaign, village, *, named_on, star_count, status=Title.Status.VALID):
    years = campaign.title_validity_years
    title = Title.objects.create(
        campaign=campaign,
        track=Track.VILLAGE,
        county_id=campaign.county_id,
        township=village.township,
        village=village,
        star_count=star_count,
        stars=ALL_STARS[:star_count],
        named_on=named_on,
        valid_until=services.add_years(named_on, years),
        status=status,
    )
    TitleEvent.objects.create(title=title, action=TitleEvent.Action.NAMED, effective_on=named_on)
    return title


@transaction.atomic
def seed(county):
    if Campaign.objects.filter(county=county, year=YEAR, appraisals__isnull=False).exists():
        return
    zzb, xiang01, xianwei = _user("zzb"), _user("xiang01"), _user("xianwei")
    campaign = _campaign(
        county,
        YEAR,
        self_report_deadline=datetime.date(2026, 11, 10),
        township_check_deadline=datetime.date(2026, 11, 30),
        county_recheck_deadline=datetime.date(2026, 12, 15),
        approval_deadline=datetime.date(2026, 12, 31),
        rating_opens_on=datetime.date(2026, 11, 1),
        rating_closes_on=datetime.date(2026, 12, 10),
    )
    services.campaign_open_appraisals(campaign=campaign, user=zzb)
    t01 = Township.objects.get(county=county, code="01")
    villages = {v.code: v for v in Village.objects.filter(township=t01)}

    def appraisal(village):
        return Appraisal.objects.get(campaign=campaign, village=village)

    def submit(village, fraction, evidence=False):
        a = appraisal(village)
        secretary = User.objects.get(role="village", village=village)
        services.appraisal_save_self(
            appraisal=a, user=secretary, scores=_narrated(a, fraction), self_report=_summary(village)
        )
        if evidence:
            _add_evidence(a, secretary)
        services.appraisal_submit(appraisal=a, user=secretary)
        return a

    # 0101: a draft half filled in.
    first = appraisal(villages["01"])
    half = dict(list(_scores(first, Decimal("0.9")).items())[:9])
    services.appraisal_save_self(appraisal=first, user=_user("cun0101"), scores=half)
    # 0102 submitted (with photos and documents as evidence), 0103 returned.
    submit(villages["02"], Decimal("0.95"), evidence=True)
    returned = submit(villages["03"], Decimal("0.85"))
    services.appraisal_return(
        appraisal=returned, user=xiang01, reason="“三会一课”会议记录佐证缺失，请补充后重新上报。"
    )
    # 0104–0112 checked by the township, with a survey.
    checked = {}
    for code, fraction in (("04", "0.9"), ("05", "0.95"), ("06", "0.8"), ("07", "0.9"), ("08", "0.7")):
        a = submit(villages[code], Decimal(fraction))
        services.survey_record(
            appraisal=a,
            user=xiang01,
            surveyed_on=datetime.date(2026, 11, 12),
            satisfied=60,
            fairly_satisfied=25,
            basically_satisfied=10,
            dissatisfied=5,
        )
        # The township corrects some self-scores downwards, so that the tiers differ on screen.
        township_fraction = Decimal(fraction) - (Decimal("0.05") if code in ("05", "07") else 0)
        services.appraisal_township_check(
            appraisal=a, user=xiang01, scores=_corrected(a, township_fraction), opinion="同意"
        )
        checked[code] = a
    for code, fraction in (("09", "1"), ("10", "0.95"), ("11", "1"), ("12", "0.9")):
        a = submit(villages[code], Decimal(fraction))
        services.appraisal_township_check(
            appraisal=a, user=xiang01, scores=_scores(a, Decimal(fraction)), opinion="同意"
        )
        checked[code] = a
    later = [checked[c] for c in ("05", "06", "07", "08", "09", "10", "11", "12")]
    services.appraisal_request_recheck(appraisals=later, user=xiang01)
    # 0106: the county sent it back to the township, which must check it again.
    services.appraisal_return(
        appraisal=checked["06"],
        user=zzb,
        reason="“小康建设业绩好”各项得分缺少统计数据佐证，请核实后重新检查验收。",
    )
    for code in ("07", "09", "10", "11", "12"):
        a = checked[code]
        fraction = {"07": "0.9", "09": "1", "10": "0.95", "11": "1", "12": "0.9"}[code]
        services.appraisal_county_recheck(
            appraisal=a, user=zzb, scores=_scores(a, Decimal(fraction)), opinion="复检通过"
        )
    a = checked["08"]
    services.appraisal_county_recheck(
        appraisal=a,
        user=zzb,
        scores=_scores(a, Decimal("0.6")),
        opinion="集体经济收入未达标",
        recommend=False,
    )
    approved_batch = [checked["11"], checked["12"]]
    services.public_notice_open(
        campaign=campaign,
        appraisals=approved_batch,
        user=zzb,
        starts_on=datetime.date(2026, 11, 2),
        title="第一批公示",
        # The demo's past: the notice was opened on its first day.
        today=datetime.date(2026, 11, 2),
    )
    services.appraisal_approve(appraisals=approved_batch, user=xianwei, today=datetime.date(2026, 11, 16))
    notice_batch = [checked["09"], checked["10"]]
    services.public_notice_open(
        campaign=campaign,
        appraisals=notice_batch,
        user=zzb,
        starts_on=datetime.date(2026, 11, 12),
        title="第二批公示",
        today=datetime.date(2026, 11, 12),
    )
    services.objection_record(
        appraisal=checked["10"],
        user=zzb,
        received_on=datetime.date(2026, 11, 13),
        raised_by="村民（匿名）",
        content="反映该村集体经济收入数据有出入。",
    )
    # Other townships: submitted villages waiting for their township; a veto in township 02.
    for code in ("02", "03", "04"):
        for village in Village.objects.filter(township__county=county, township__code=code).order_by("code")[
            :3
        ]:
            submit(village, Decimal("0.9"))
    vetoed = Village.objects.get(township__county=county, township__code="02", code="05")
    services.veto_record(
        campaign=campaign,
        track=Track.VILLAGE,
        subject=vetoed,
        user=zzb,
        kind="mass_petition",
        occurred_on=datetime.date(2026, 9, 18),
        description="因土地补偿问题发生30余人集体上访。",
    )
    # The township's and a department's own reports.
    own = Appraisal.objects.get(campaign=campaign, track=Track.TOWNSHIP, township=t01)
    services.appraisal_save_self(appraisal=own, user=xiang01, scores=_scores(own, Decimal("0.9")))
    services.appraisal_submit(appraisal=own, user=xiang01)
    dept = Department.objects.get(county=county, code="01")
    dept_appraisal = Appraisal.objects.get(campaign=campaign, track=Track.DEPARTMENT, department=dept)
    bumen = _user("bumen01")
    services.appraisal_save_self(
        appraisal=dept_appraisal, user=bumen, scores=_scores(dept_appraisal, Decimal("0.9"))
    )
    services.appraisal_submit(appraisal=dept_appraisal, user=bumen)
    grades = ["satisfied", "fairly_satisfied", "satisfied", "basically_satisfied", "dissatisfied"]
    # Ratings from below by the townships, and peer ratings (互评) by five departments.
    raters = list(User.objects.filter(role="township", township__county=county).order_by("username"))
    raters += list(
        User.objects.filter(
            role="department", department__county=county, department__code__in=["01", "02", "03", "04", "05"]
        )
    )
    for i, rater in enumerate(raters):
        for d in Department.objects.filter(county=county, code__in=["01", "02", "03"]).order_by("code"):
            if d.pk == rater.department_id:
                continue
            services.rating_record(
                campaign=campaign,
                department=d,
                user=rater,
                grade=grades[(i + int(d.code)) % len(grades)],
                today=datetime.date(2026, 11, 15),
            )

    # Earlier rounds' titles, in every state.
    others = Village.objects.filter(township__county=county, township__code__in=["05", "06", "07", "08"])
    others = list(others.order_by("township__code", "code")[:16])
    c2022 = _campaign(county, 2022)
    c2023 = _campaign(county, 2023)
    c2025 = _campaign(county, 2025)
    for village in others[:4]:
        _title(c2022, village, named_on=datetime.date(2023, 1, 10), star_count=5)
    services.title_expire(today=datetime.date(2026, 11, 22))
    expiring = [
        _title(c2023, v, named_on=datetime.date(2024, 1, 15), star_count=5 - i % 2)
        for i, v in enumerate(others[4:10])
    ]
    for village in others[10:16]:
        _title(c2025, village, named_on=datetime.date(2026, 1, 12), star_count=4)
    services.title_revoke(
        title=expiring[0], user=zzb, reason="村党支部书记违纪被免职。", revoked_on=datetime.date(2026, 6, 1)
    )
    services.title_withdraw_star(
        title=expiring[1],
        user=zzb,
        star="prosperity",
        reason="村集体经济收入连续下降。",
        effective_on=datetime.date(2026, 7, 1),
    )
