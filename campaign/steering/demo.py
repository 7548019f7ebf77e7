"""Demo data for steering, called by ``manage.py seed_demo`` after the appraisal demo.

``seed(county)``: supervision notices in every state (one overdue), steering settings and the
township ranking for the county's last two campaign years. Idempotent: a county that already has
notices keeps them, and rankings are recomputed from the appraisal results.
"""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from campaign.models import Campaign, User
from campaign.roles import Role
from campaign.steering import ranking, services
from campaign.steering.models import SteeringSettings, SupervisionNotice

NOTICES = [
    ("软弱涣散村党组织整顿推进情况", ["排查摸底并建立问题台账", "制定“一村一策”整顿方案", "报送整顿进展"]),
    ("“三会一课”制度落实情况", ["补齐会议记录", "上报党课开展情况"]),
    ("村级活动场所规范化建设", ["完成标识标牌更新", "上报场所使用台账"]),
    ("后备干部队伍建设", ["每村至少确定2名后备干部", "报送后备干部名册"]),
    ("驻村工作队考勤情况", ["核实驻村天数", "报送考勤表"]),
    ("农村党员冬春训", ["制定培训计划", "完成集中培训", "报送培训总结"]),
]


def _recipients(county):
    township_users = {
        u.township_id: u for u in User.objects.filter(role=Role.TOWNSHIP, county=county).order_by("id")
    }
    department_users = {
        u.department_id: u for u in User.objects.filter(role=Role.DEPARTMENT, county=county).order_by("id")
    }
    return township_users, department_users


def seed_notices(county, admin, today):
    from villages.models import Department, Township

    township_users, department_users = _recipients(county)
    townships = [t for t in Township.objects.filter(county=county).order_by("code") if t.id in township_users]
    departments = [
        d for d in Department.objects.filter(county=county).order_by("code") if d.id in department_users
    ]
    if not townships:
        return 0
    plan = ["issued", "replied", "returned", "accepted", "overdue", "issued-department"]
    made = 0
    for index, (state, (title, items)) in enumerate(zip(plan, NOTICES, strict=True)):
        if state == "issued-department" and departments:
            to = {"department": departments[0]}
            responder = department_users[departments[0].id]
        else:
            township = townships[index % len(townships)]
            to = {"township": township}
            responder = township_users[township.id]
        notice = services.notice_issue(
            user=admin,
            title=title,
            items=items,
            deadline=today + datetime.timedelta(days=5 + 3 * index),
            report_to="组织部组织股 王科长",
            report_to_phone="0476-5522011",
            body="请按要求抓好落实，按时报送办理情况。",
            **to,
        )
        made += 1
        if state in ("replied", "returned", "accepted"):
            services.notice_item_mark(item=notice.items.first(), user=responder, done=True)
            services.notice_reply(notice=notice, user=responder, text="已按要求完成第一项，其余正在推进。")
        if state in ("returned",):
            services.notice_return(notice=notice, user=admin, comment="第二项未见佐证材料，请补充后再报。")
        if state == "accepted":
            for item in notice.items.all():
                services.notice_item_mark(item=item, user=responder, done=True)
            services.notice_reply(notice=notice, user=responder, text="全部完成，附台账。")
            notice.refresh_from_db()
            services.notice_accept(notice=notice, user=admin, comment="同意办结。")
        if state == "overdue":
            # The service refuses a past deadline; the demo moves it back as time would have.
            SupervisionNotice.objects.filter(pk=notice.pk).update(
                deadline=today - datetime.timedelta(days=4),
                issued_at=timezone.now() - datetime.timedelta(days=20),
            )
    return made


MIN_RANKED = 3


def _synthetic_scores(campaign, last=None):
    """Deterministic scores for a demo year whose appraisal results are too thin to rank.

    ``last``: a township put last, so that the two-years rule shows in the demo.
    """
    from villages.models import Township

    rng = random.Random(campaign.year)
    computed = {}
    for t in Township.objects.filter(county_id=campaign.county_id).order_by("code"):
        own = Decimal(rng.randint(7600, 9600)) / 100
        mean = Decimal(rng.randint(7400, 9400)) / 100
        score = ((own + mean) / 2).quantize(Decimal("0.01"))
        computed[t.id] = (own, mean, 0, score)
    if last is not None and last in computed:
        computed[last] = (Decimal("71.00"), Decimal("70.00"), 0, Decimal("70.50"))
    return computed


def seed(county):
    today = timezone.localdate()
    admin = User.objects.filter(role=Role.COUNTY_ADMIN, county=county).order_by("id").first()
    if admin is None:
        return
    if not SupervisionNotice.objects.filter(county=county).exists():
        seed_notices(county, admin, today)
    campaigns = list(Campaign.objects.filter(county=county).order_by("-year")[:2])
    if not campaigns:
        return
    current = campaigns[0]
    previous = campaigns[1] if len(campaigns) > 1 else None
    if previous is None:
        previous, _created = Campaign.objects.get_or_create(
            county=county, year=current.year - 1, defaults={"name": f"{current.year - 1}年度三级联创"}
        )
    for campaign in (previous, current):
        SteeringSettings.objects.get_or_create(campaign=campaign)
    # Real results where the appraisal demo has enough of them, else deterministic demo scores; the
    # township last this year is put last the year before too, so that the transfer rule shows.
    now_scores = ranking.ranking_scores(current)
    if len(now_scores) < MIN_RANKED:
        now_scores = _synthetic_scores(current)
    last = min(now_scores, key=lambda tid: (now_scores[tid][3], -tid))
    before_scores = ranking.ranking_scores(previous)
    if len(before_scores) < MIN_RANKED:
        before_scores = _synthetic_scores(previous, last=last)
    ranking.ranking_store(campaign=previous, computed=before_scores)
    ranking.ranking_store(campaign=current, computed=now_scores)
