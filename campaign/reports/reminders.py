"""The weekly deadline reminder: who still has work before (or past) a stage deadline is told so.

Sent once per user, deadline and ISO week (the notification key), however
often the task runs; the text is in Chinese, the language of the app.
"""

import datetime
from collections import Counter

from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from appraisal.models import Appraisal, Track
from campaign.models import User
from campaign.notifications import notify
from campaign.roles import Role

S = Appraisal.Status
HORIZON_DAYS = 7


def _pending(campaign):
    """For each deadline field: [(Q of the appraisals still to move, who must move them)]."""
    return {
        "self_report_deadline": [(Q(status=S.DRAFT), "subject")],
        "township_check_deadline": [(Q(status=S.SUBMITTED, track=Track.VILLAGE), "township")],
        "county_recheck_deadline": [
            (Q(status=S.TOWNSHIP_CHECKED, track=Track.VILLAGE), "township"),
            (
                Q(status=S.RECHECK_REQUESTED, track=Track.VILLAGE)
                | (Q(status=S.SUBMITTED) & ~Q(track=Track.VILLAGE)),
                "county",
            ),
        ],
        "approval_deadline": [(Q(status__in=[S.RECHECKED, S.PUBLICIZED]), "county")],
    }


def _recipients(campaign, appraisals, who):
    """Counter of user id → number of appraisals that user must move."""
    counts = Counter()
    users = User.objects.filter(is_active=True, county_id=campaign.county_id)
    rows = list(appraisals.values_list("track", "township_id", "village_id", "department_id"))
    if not rows:
        return counts
    if who == "county":
        for user_id in users.filter(role__in=[Role.COUNTY_ADMIN, Role.COUNTY_REVIEWER]).values_list(
            "id", flat=True
        ):
            counts[user_id] += len(rows)
        return counts
    by_township = Counter(t for _track, t, _v, _d in rows if t)
    for user_id, township_id in users.filter(role=Role.TOWNSHIP).values_list("id", "township_id"):
        counts[user_id] += by_township[township_id]
    if who == "subject":
        villages = Counter(v for track, _t, v, _d in rows if track == Track.VILLAGE)
        departments = Counter(d for track, _t, _v, d in rows if track == Track.DEPARTMENT)
        for user_id, village_id in users.filter(role=Role.VILLAGE).values_list("id", "village_id"):
            counts[user_id] += villages[village_id]
        for user_id, department_id in users.filter(role=Role.DEPARTMENT).values_list("id", "department_id"):
            counts[user_id] += departments[department_id]
    return +counts  # drop zeros


def deadline_remind(*, campaign, today=None):
    """Notify everyone with appraisals due within a week or overdue; returns the number of notifications."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=HORIZON_DAYS)
    year, week, _day = today.isocalendar()
    appraisals = Appraisal.objects.filter(campaign=campaign)
    sent = 0
    with translation.override("zh-hans"):
        for field, groups in _pending(campaign).items():
            deadline = getattr(campaign, field)
            if deadline is None or deadline > horizon:
                continue
            label = campaign._meta.get_field(field).verbose_name
            counts = Counter()
            for condition, who in groups:
                counts.update(_recipients(campaign, appraisals.filter(condition), who))
            for user in User.objects.filter(id__in=counts):
                values = {"n": counts[user.id], "deadline": label, "date": deadline.isoformat()}
                if deadline < today:
                    title = _("%(n)s appraisals are late: %(deadline)s was %(date)s") % values
                else:
                    title = _("%(n)s appraisals are due: %(deadline)s is %(date)s") % values
                sent += notify(
                    users=[user],
                    title=title,
                    body=str(campaign),
                    url="/appraisal/",
                    key=f"deadline:{campaign.pk}:{field}:{year}-W{week:02d}",
                )
    return sent
