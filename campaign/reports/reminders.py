"""The weekly deadline reminder: who still has work before (or past) a stage deadline is told so.

Every subject of the campaign's county takes part: a village, township or
department that never opened its appraisal is as late for the self-report as
one still in draft, and its people are reminded like the others. Each subject
is behind at most one stage (the one its status is in), and each user gets
one notification per stage and ISO week (the notification key), listing the
subjects that wait for them: a township user gets one summary of its late
villages, not one notification per village. The text is in Chinese, the
language of the app.
"""

import datetime
from collections import defaultdict

from django.db.models import Exists, OuterRef
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from appraisal.models import Appraisal, Track
from campaign.models import User
from campaign.notifications import notify
from campaign.roles import Role
from villages.models import Department, Township, Village

S = Appraisal.Status
HORIZON_DAYS = 7
NAME_LIMIT = 20  # names listed in one notification; the count says how many in all
COUNTY = ("county", None)  # the county's administrators and reviewers

# Which stage deadline each (track, status) is behind, and who must move it.
# "subject" is the subject's own people (and, for a village, its township,
# which answers for its villages); "township" the township of the subject.
_VILLAGE_STAGES = {
    S.DRAFT: ("self_report_deadline", "subject"),
    S.SUBMITTED: ("township_check_deadline", "township"),
    S.TOWNSHIP_CHECKED: ("county_recheck_deadline", "township"),  # the township reports them for re-check
    S.RECHECK_REQUESTED: ("county_recheck_deadline", "county"),
    S.RECHECKED: ("approval_deadline", "county"),
    S.PUBLICIZED: ("approval_deadline", "county"),
}
# Townships and departments skip the township check: once submitted they wait for the county.
_OTHER_STAGES = {
    S.DRAFT: ("self_report_deadline", "subject"),
    S.SUBMITTED: ("county_recheck_deadline", "county"),
    S.RECHECKED: ("approval_deadline", "county"),
    S.PUBLICIZED: ("approval_deadline", "county"),
}
FIELDS = ("self_report_deadline", "township_check_deadline", "county_recheck_deadline", "approval_deadline")


def _responsible(track, who, township_id, village_id, department_id):
    """The (role, scope id) pairs that must move a subject of ``track``."""
    if who == "county":
        return [COUNTY]
    if who == "township":
        return [(Role.TOWNSHIP, township_id)]
    if track == Track.VILLAGE:
        return [(Role.VILLAGE, village_id), (Role.TOWNSHIP, township_id)]
    if track == Track.TOWNSHIP:
        return [(Role.TOWNSHIP, township_id)]
    return [(Role.DEPARTMENT, department_id)]


def waiting_subjects(campaign):
    """{deadline field: [(subject name, [(role, scope id)])]} of every subject not yet past that stage.

    Four queries whatever the size of the county: the appraisals, and the
    villages, townships and departments that have none in this campaign.
    """
    waiting = defaultdict(list)
    rows = (
        Appraisal.objects.filter(campaign=campaign, status__in=list(_VILLAGE_STAGES))
        .order_by("track", "township__code", "village__code", "department__code", "id")
        .values_list(
            "track",
            "status",
            "township_id",
            "village_id",
            "department_id",
            "village__name",
            "township__name",
            "department__name",
        )
    )
    for track, status, township_id, village_id, department_id, *names in rows:
        stages = _VILLAGE_STAGES if track == Track.VILLAGE else _OTHER_STAGES
        if status not in stages:
            continue
        field, who = stages[status]
        name = dict(zip((Track.VILLAGE, Track.TOWNSHIP, Track.DEPARTMENT), names, strict=True))[track]
        waiting[field].append((name, _responsible(track, who, township_id, village_id, department_id)))

    # Subjects that never started count as still in draft.
    mine = Appraisal.objects.filter(campaign=campaign)
    not_started = waiting["self_report_deadline"]
    for village_id, township_id, name in (
        Village.objects.filter(township__county_id=campaign.county_id)
        .exclude(Exists(mine.filter(village_id=OuterRef("pk"))))
        .order_by("township__code", "code")
        .values_list("id", "township_id", "name")
    ):
        not_started.append((name, _responsible(Track.VILLAGE, "subject", township_id, village_id, None)))
    for township_id, name in (
        Township.objects.filter(county_id=campaign.county_id)
        .exclude(Exists(mine.filter(track=Track.TOWNSHIP, township_id=OuterRef("pk"))))
        .values_list("id", "name")
    ):
        not_started.append((name, _responsible(Track.TOWNSHIP, "subject", township_id, None, None)))
    for department_id, name in (
        Department.objects.filter(county_id=campaign.county_id)
        .exclude(Exists(mine.filter(track=Track.DEPARTMENT, department_id=OuterRef("pk"))))
        .values_list("id", "name")
    ):
        not_started.append((name, _responsible(Track.DEPARTMENT, "subject", None, None, department_id)))
    return waiting


def _users_by_scope(campaign):
    """{(role, scope id) or COUNTY: [active users]} for the campaign's county (one query)."""
    scopes = defaultdict(list)
    users = User.objects.filter(is_active=True, county_id=campaign.county_id).only(
        "id", "role", "township_id", "village_id", "department_id", "is_active", "email"
    )
    for user in users:
        if user.role in (Role.COUNTY_ADMIN, Role.COUNTY_REVIEWER):
            scopes[COUNTY].append(user)
        elif user.role == Role.TOWNSHIP and user.township_id:
            scopes[(Role.TOWNSHIP, user.township_id)].append(user)
        elif user.role == Role.VILLAGE and user.village_id:
            scopes[(Role.VILLAGE, user.village_id)].append(user)
        elif user.role == Role.DEPARTMENT and user.department_id:
            scopes[(Role.DEPARTMENT, user.department_id)].append(user)
    return scopes


def _names(names):
    shown = "、".join(names[:NAME_LIMIT])
    if len(names) > NAME_LIMIT:
        return _("%(names)s and %(n)s more") % {"names": shown, "n": len(names) - NAME_LIMIT}
    return shown


def deadline_remind(*, campaign, today=None):
    """Notify everyone with subjects due within a week or overdue; returns the number of notifications."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=HORIZON_DAYS)
    year, week, _day = today.isocalendar()
    fields = [f for f in FIELDS if getattr(campaign, f) is not None and getattr(campaign, f) <= horizon]
    if not fields:
        return 0
    waiting = waiting_subjects(campaign)
    scopes = _users_by_scope(campaign)
    sent = 0
    with translation.override("zh-hans"):
        for field in fields:
            deadline = getattr(campaign, field)
            per_user = defaultdict(list)  # user → the names of the subjects waiting for them
            users = {}
            for name, responsible in waiting[field]:
                for scope in responsible:
                    for user in scopes.get(scope, ()):
                        users[user.id] = user
                        if name not in per_user[user.id]:
                            per_user[user.id].append(name)
            label = campaign._meta.get_field(field).verbose_name
            for user_id, names in per_user.items():
                values = {"n": len(names), "deadline": label, "date": deadline.isoformat()}
                if deadline < today:
                    title = _("%(n)s subjects are late: %(deadline)s was %(date)s") % values
                else:
                    title = _("%(n)s subjects are due: %(deadline)s is %(date)s") % values
                sent += notify(
                    users=[users[user_id]],
                    title=title,
                    body=_("%(campaign)s: %(names)s") % {"campaign": campaign, "names": _names(names)},
                    url="/appraisal/",
                    # One per user, stage and week: a subject is named once a week to each of its people.
                    key=f"deadline:{campaign.pk}:{field}:{year}-W{week:02d}",
                )
    return sent
