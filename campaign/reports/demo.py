"""Demo data: a progress report and a published briefing for the demo county (called by seed_demo).

Idempotent: the report is keyed on the period and the briefing on the report.
"""

from campaign.models import Campaign
from campaign.reports.models import Briefing

DEMO_TEXT = {
    "editor_note": "本期简报通报全县“三级联创”活动推进情况，请各乡镇党委对照检查，抓好落实。",
    "highlights": (
        "各乡镇党委把“三级联创”作为抓基层、打基础的重要抓手，层层召开动员会，细化创建目标。\n\n"
        "部分乡镇推行党员积分制管理，党员参与创建的积极性明显提高。"
    ),
    "problems": "个别村自检报告佐证材料不齐全，三会一课记录不规范；少数乡镇检查验收进度滞后。",
    "next_steps": (
        "各乡镇党委要在规定时限内完成对所辖村的检查验收，及时申请复检。\n\n"
        "县委组织部将对进度滞后的乡镇下发督办通知单，并在下期简报中通报。"
    ),
}


def seed(county):
    from campaign.reports.services import briefing_publish, briefing_update, bulletin_make

    campaign = Campaign.objects.filter(county=county).order_by("-year").first()
    if campaign is None:
        return None
    briefing = bulletin_make(campaign=campaign, render=False)
    if not briefing.published:
        briefing_update(briefing=briefing, **DEMO_TEXT)
        briefing_publish(briefing=briefing)
    elif briefing.status != Briefing.Status.DONE:
        from campaign.reports.services import briefing_request_pdf

        briefing_request_pdf(briefing=briefing)
    return briefing
