"""Every hand-off tells the people who must act next, or who are affected (in the app, via ``notify``).

Who is told, per transition:

- submitted: a village's report → its township; a township's or department's → the county's checkers;
- returned for revision → the subject (back to draft); returned by the county to a township (a village
  reported for re-check goes back to "submitted") → the township, with the reason;
- a batch reported for re-check → the county's checkers of that area (administrators, and reviewers
  whose organizer's area holds the township or who have no area), one message per batch;
- a public notice opened, and ended (told by the daily run) → the county leader;
- withdrawn from a notice, an objection upheld, approved, not recommended, vetoed, title revoked,
  star withdrawn → the subject and its township;
- title reminders (90 and 30 days, expired) → the holder and its township, grouped per user and run
  (``appraisal.services.titles.title_send_reminders``).

Messages are written in the site's language (the recipient reads them later, outside this request).
Each has a key, so that a re-run or a retried task never tells anybody twice.
"""

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from appraisal.models import Track
from campaign.roles import Role

# ---------------------------------------------------------------- recipients


def _active(**filters):
    from campaign.models import User

    return User.objects.filter(is_active=True, **filters)


def subject_users(track, *, village_id=None, township_id=None, department_id=None):
    """The users of a subject itself: the village secretary, the township, or the department."""
    if track == Track.VILLAGE:
        return list(_active(role=Role.VILLAGE, village_id=village_id))
    if track == Track.TOWNSHIP:
        return list(_active(role=Role.TOWNSHIP, township_id=township_id))
    return list(_active(role=Role.DEPARTMENT, department_id=department_id))


def township_users(township_id):
    if township_id is None:
        return []
    return list(_active(role=Role.TOWNSHIP, township_id=township_id))


def subject_and_township(obj):
    """The subject of an appraisal, title or veto, and its township's users (a department has none).

    An advanced county's own title (the county track) is held by the county's administrators and
    leaders."""
    if obj.track == "county":
        return list(_active(role__in=[Role.COUNTY_ADMIN, Role.COUNTY_LEADER], county_id=obj.county_id))
    users = subject_users(
        obj.track, village_id=obj.village_id, township_id=obj.township_id, department_id=obj.department_id
    )
    if obj.track == Track.VILLAGE:
        users += township_users(obj.township_id)
    return _unique(users)


def subjects_and_townships(objs):
    """``subject_and_township`` for many titles (or appraisals) at once: {obj.pk: [users]}, four queries."""
    by = {"village": {}, "township": {}, "department": {}, "county": {}}
    wanted = {key: set() for key in by}
    for obj in objs:
        if obj.track == "county":
            wanted["county"].add(obj.county_id)
            continue
        if obj.track == Track.VILLAGE:
            wanted["village"].add(obj.village_id)
        if obj.track in (Track.VILLAGE, Track.TOWNSHIP):
            wanted["township"].add(obj.township_id)
        if obj.track == Track.DEPARTMENT:
            wanted["department"].add(obj.department_id)
    queries = {
        "village": dict(role=Role.VILLAGE, village_id__in=wanted["village"]),
        "township": dict(role=Role.TOWNSHIP, township_id__in=wanted["township"]),
        "department": dict(role=Role.DEPARTMENT, department_id__in=wanted["department"]),
        "county": dict(role__in=[Role.COUNTY_ADMIN, Role.COUNTY_LEADER], county_id__in=wanted["county"]),
    }
    for key, filters in queries.items():
        if wanted[key]:
            for user in _active(**filters).order_by("id"):
                by[key].setdefault(getattr(user, f"{key}_id"), []).append(user)
    out = {}
    for obj in objs:
        if obj.track == "county":
            users = by["county"].get(obj.county_id, [])
        elif obj.track == Track.DEPARTMENT:
            users = by["department"].get(obj.department_id, [])
        else:
            users = by["township"].get(obj.township_id, [])
            if obj.track == Track.VILLAGE:
                users = by["village"].get(obj.village_id, []) + users
        out[obj.pk] = _unique(users)
    return out


def county_checkers(county_id, township_id=None):
    """County administrators, and the reviewers whose scope holds the township (or who see the county)."""
    reviewers = Q(role=Role.COUNTY_REVIEWER, organizer_area__isnull=True)
    if township_id is None:
        # A department (or anything outside a township): every reviewer sees the county's departments.
        reviewers = Q(role=Role.COUNTY_REVIEWER)
    else:
        reviewers |= Q(role=Role.COUNTY_REVIEWER, organizer_area__townships=township_id)
    return _unique(_active(county_id=county_id).filter(Q(role=Role.COUNTY_ADMIN) | reviewers).distinct())


def county_leaders(county_id):
    return list(_active(role=Role.COUNTY_LEADER, county_id=county_id))


def _unique(users):
    seen, out = set(), []
    for user in users:
        if user.pk not in seen:
            seen.add(user.pk)
            out.append(user)
    return out


# ---------------------------------------------------------------- sending


def send(users, *, title, body="", url="", key=""):
    from campaign.notifications import notify

    with translation.override(settings.LANGUAGE_CODE):
        return notify(users=list(users), title=str(title), body=str(body), url=url, key=key)


def _in_site_language(build):
    """Build a message (strings, dates) in the site's language: ``build()`` returns (title, body)."""
    with translation.override(settings.LANGUAGE_CODE):
        return build()


def _day(value):
    """A date as the county reads it (a moment is turned to the county's day first)."""
    import datetime

    from django.utils import timezone

    if not value:
        return "—"
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    return f"{value:%Y-%m-%d}"


def _detail(appraisal):
    return reverse("appraisal:appraisal_detail", args=[appraisal.pk])


def title_url(title):
    """A title's page (an advanced county's title has a page of its own on the county track)."""
    from django.urls import NoReverseMatch

    if title.track == "county":
        try:
            return reverse("appraisal:county_title", args=[title.pk])
        except NoReverseMatch:
            pass
    return reverse("appraisal:title_detail", args=[title.pk])


def _event_key(event):
    return f"appraisal-event:{event.pk}"


def _tell_subject(appraisal, event, title, body):
    send(
        subject_and_township(appraisal), title=title, body=body, url=_detail(appraisal), key=_event_key(event)
    )


# ---------------------------------------------------------------- the appraisal's hand-offs


def submitted(appraisal, event):
    """A report was submitted: its checker must check it."""
    if appraisal.track == Track.VILLAGE:
        users = township_users(appraisal.township_id)
    else:
        township = appraisal.township_id if appraisal.track == Track.TOWNSHIP else None
        users = county_checkers(appraisal.county_id, township)
    title, body = _in_site_language(
        lambda: (
            _("%(subject)s submitted its self-inspection report: please check it")
            % {"subject": appraisal.subject},
            _("Submitted on %(day)s.") % {"day": _day(event.created_at)},
        )
    )
    send(
        users,
        title=title,
        body=body,
        url=reverse("appraisal:check", args=[appraisal.pk]),
        key=_event_key(event),
    )


def returned(appraisal, event, reason, *, by_county):
    """Returned for revision: to the subject (back to draft), or by the county to the township."""
    if event.to_status == "draft":
        users = subject_users(
            appraisal.track,
            village_id=appraisal.village_id,
            township_id=appraisal.township_id,
            department_id=appraisal.department_id,
        )
        url = reverse("appraisal:self_report", args=[appraisal.pk])
        title, body = _in_site_language(
            lambda: (
                _("Your self-inspection report was returned for revision by the county")
                if by_county
                else _("Your self-inspection report was returned for revision by the township"),
                _("Reason for return: %(reason)s") % {"reason": reason},
            )
        )
    else:
        users = township_users(appraisal.township_id)
        url = reverse("appraisal:check", args=[appraisal.pk])
        title, body = _in_site_language(
            lambda: (
                _("The county returned %(subject)s to the township: please check it again")
                % {"subject": appraisal.subject},
                _("Reason for return: %(reason)s") % {"reason": reason},
            )
        )
    send(users, title=title, body=body, url=url, key=_event_key(event))


def batch_reported(batch, appraisals):
    """A township reported villages for re-check: the county's checkers of the area re-check them."""
    names = "、".join(str(a.subject) for a in appraisals[:20])
    if len(appraisals) > 20:
        names += "…"
    title, body = _in_site_language(
        lambda: (
            ngettext(
                "%(township)s reported %(n)s village for re-check",
                "%(township)s reported %(n)s villages for re-check",
                len(appraisals),
            )
            % {"township": batch.township, "n": len(appraisals)},
            _("Reported on %(day)s: %(names)s.") % {"day": _day(batch.reported_at), "names": names},
        )
    )
    send(
        county_checkers(batch.township.county_id, batch.township_id),
        title=title,
        body=body,
        url=f"{reverse('appraisal:recheck_queue')}?batch={batch.pk}",
        key=f"recheck-batch:{batch.pk}",
    )


def not_recommended(appraisal, event, opinion):
    title, body = _in_site_language(
        lambda: (
            _("%(subject)s was not recommended this year") % {"subject": appraisal.subject},
            _("County opinion: %(opinion)s") % {"opinion": opinion} if opinion else "",
        )
    )
    send(
        subject_and_township(appraisal), title=title, body=body, url=_detail(appraisal), key=_event_key(event)
    )


def approved(appraisal, event, title_obj):
    def build():
        if title_obj is not None:
            return (
                ngettext(
                    "%(subject)s was approved and named: %(n)s star",
                    "%(subject)s was approved and named: %(n)s stars",
                    appraisal.star_count,
                )
                % {"subject": appraisal.subject, "n": appraisal.star_count},
                _("The title is valid until %(until)s.") % {"until": _day(title_obj.valid_until)},
            )
        return (
            _("%(subject)s was approved without a star") % {"subject": appraisal.subject},
            "",
        )

    title, body = _in_site_language(build)
    url = reverse("appraisal:title_detail", args=[title_obj.pk]) if title_obj else _detail(appraisal)
    send(subject_and_township(appraisal), title=title, body=body, url=url, key=_event_key(event))


def withdrawn(appraisal, event, notice, reason):
    title, body = _in_site_language(
        lambda: (
            _("%(subject)s was withdrawn from the public notice") % {"subject": appraisal.subject},
            _("Reason for the withdrawal: %(reason)s") % {"reason": reason},
        )
    )
    send(
        subject_and_township(appraisal), title=title, body=body, url=_detail(appraisal), key=_event_key(event)
    )


def objection_upheld(appraisal, event, objection):
    title, body = _in_site_language(
        lambda: (
            _("An objection against %(subject)s was upheld: %(outcome)s")
            % {"subject": appraisal.subject, "outcome": objection.get_outcome_display()},
            _("How it was handled: %(handling)s") % {"handling": objection.handling},
        )
    )
    send(
        subject_and_township(appraisal), title=title, body=body, url=_detail(appraisal), key=_event_key(event)
    )


def vetoed(veto):
    title, body = _in_site_language(
        lambda: (
            _("Veto recorded against %(subject)s: %(kind)s")
            % {"subject": veto.subject, "kind": veto.get_kind_display()},
            _("%(day)s: %(description)s") % {"day": _day(veto.occurred_on), "description": veto.description},
        )
    )
    send(
        subject_and_township(veto),
        title=title,
        body=body,
        url=reverse("appraisal:veto_list"),
        key=f"veto:{veto.pk}",
    )


def notice_opened(notice, appraisals):
    title, body = _in_site_language(
        lambda: (
            ngettext(
                "Public notice opened for %(n)s subject",
                "Public notice opened for %(n)s subjects",
                len(appraisals),
            )
            % {"n": len(appraisals)},
            _("%(title)s: from %(start)s to %(end)s. It can be approved once the notice has ended.")
            % {"title": notice.title, "start": _day(notice.starts_on), "end": _day(notice.ends_on)},
        )
    )
    send(
        county_leaders(notice.campaign.county_id),
        title=title,
        body=body,
        url=reverse("appraisal:notice_detail", args=[notice.pk]),
        key=f"notice-opened:{notice.pk}",
    )


def notice_ended(notice, size):
    title, body = _in_site_language(
        lambda: (
            _("Public notice ended: %(title)s") % {"title": notice.title},
            ngettext(
                "It ended on %(end)s; %(n)s subject waits for approval.",
                "It ended on %(end)s; %(n)s subjects wait for approval.",
                size,
            )
            % {"end": _day(notice.ends_on), "n": size},
        )
    )
    return send(
        county_leaders(notice.campaign.county_id),
        title=title,
        body=body,
        url=reverse("appraisal:approval"),
        key=f"notice-ended:{notice.pk}",
    )


# ---------------------------------------------------------------- titles


def title_revoked(title, event):
    message, body = _in_site_language(
        lambda: (
            _("The title of %(subject)s was revoked") % {"subject": title.subject},
            _("Reason for revocation: %(reason)s") % {"reason": event.reason},
        )
    )
    send(
        subject_and_township(title),
        title=message,
        body=body,
        url=reverse("appraisal:title_detail", args=[title.pk]),
        key=f"title-event:{event.pk}",
    )


def star_withdrawn(title, event, star_name):
    message, body = _in_site_language(
        lambda: (
            _("A star was withdrawn from the title of %(subject)s: %(star)s")
            % {"subject": title.subject, "star": star_name},
            _("Reason for withdrawing the star: %(reason)s") % {"reason": event.reason},
        )
    )
    send(
        subject_and_township(title),
        title=message,
        body=body,
        url=reverse("appraisal:title_detail", args=[title.pk]),
        key=f"title-event:{event.pk}",
    )
