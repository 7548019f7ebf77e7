"""Writes for steering: the supervision-notice workflow, reminders, settings and rankings.

Every change of a notice goes through one function here: it checks the role, the scope and the
current state, locks the row, writes the new state and an event row, and notifies the other side.
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from campaign.files import clean_filename
from campaign.models import User
from campaign.notifications import notify
from campaign.roles import Role
from campaign.steering.models import (
    NoticeAttachment,
    NoticeEvent,
    NoticeItem,
    NoticeReply,
    SteeringSettings,
    SupervisionNotice,
)

Status = SupervisionNotice.Status
Action = NoticeEvent.Action

# Extension → the leading bytes the file must start with (what the browser says is not trusted).
ALLOWED_UPLOADS = {
    "pdf": (b"%PDF",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "doc": (b"\xd0\xcf\x11\xe0",),
    "xls": (b"\xd0\xcf\x11\xe0",),
    "txt": None,
}
MAX_ATTACHMENTS = 10


def _recipient_users(notice):
    if notice.township_id:
        return list(User.objects.filter(role=Role.TOWNSHIP, township_id=notice.township_id, is_active=True))
    return list(User.objects.filter(role=Role.DEPARTMENT, department_id=notice.department_id, is_active=True))


def is_recipient(user, notice):
    if user.role == Role.TOWNSHIP:
        return notice.township_id is not None and notice.township_id == user.township_id
    if user.role == Role.DEPARTMENT:
        return notice.department_id is not None and notice.department_id == user.department_id
    return False


def is_issuer_side(user, notice):
    return user.role == Role.COUNTY_ADMIN and user.county_id == notice.county_id


def _event(notice, *, action, user, from_status="", comment="", ip=None):
    NoticeEvent.objects.create(
        notice=notice,
        action=action,
        from_status=from_status,
        to_status=notice.status,
        user=user,
        comment=comment,
        ip_address=ip,
    )


def _locked(notice):
    return SupervisionNotice.objects.select_for_update().get(pk=notice.pk)


def _url(notice):
    return reverse("steering:notice_detail", args=[notice.pk])


@transaction.atomic
def notice_issue(
    *,
    user,
    title,
    items,
    deadline,
    report_to,
    township=None,
    department=None,
    body="",
    report_to_phone="",
    ip=None,
    today=None,
):
    """Issue a notice to one township or department of the issuer's county; notifies the recipient."""
    if user.role != Role.COUNTY_ADMIN:
        raise PermissionDenied
    today = today or timezone.localdate()
    errors = {}
    if (township is None) == (department is None):
        errors["recipient"] = _("Choose one township or one county department.")
    recipient = township or department
    if recipient is not None and recipient.county_id != user.county_id:
        errors["recipient"] = _("%(name)s is not in your county.") % {"name": recipient}
    if deadline is not None and deadline < today:
        errors["deadline"] = _("The deadline %(date)s is in the past.") % {"date": deadline}
    items = [line.strip() for line in items if line and line.strip()]
    if not items:
        errors["items"] = _("List at least one item of work.")
    if errors:
        raise ValidationError(errors)
    year = today.year
    # The county's notices of the year are numbered 1, 2, 3…; the lock keeps two issuers apart.
    list(SupervisionNotice.objects.select_for_update().filter(county_id=user.county_id, year=year))
    last = SupervisionNotice.objects.filter(county_id=user.county_id, year=year).aggregate(n=Max("number"))
    notice = SupervisionNotice(
        county_id=user.county_id,
        township=township,
        department=department,
        number=(last["n"] or 0) + 1,
        year=year,
        title=title,
        body=body,
        deadline=deadline,
        report_to=report_to,
        report_to_phone=report_to_phone,
        issued_by=user,
    )
    notice.full_clean()
    notice.save()
    for position, text in enumerate(items, start=1):
        item = NoticeItem(notice=notice, position=position, text=text[:500])
        item.full_clean()
        item.save()
    _event(notice, action=Action.ISSUED, user=user, ip=ip)
    notify(
        users=_recipient_users(notice),
        title=_("Supervision notice: %(title)s") % {"title": title},
        body=_("Deadline %(date)s. Report to %(person)s.") % {"date": deadline, "person": report_to},
        url=_url(notice),
        key=f"notice-issued:{notice.pk}",
    )
    return notice


def validate_upload(upload):
    """Check an uploaded file's extension, size and leading bytes; raise ValidationError otherwise."""
    name = clean_filename(upload.name)
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in ALLOWED_UPLOADS:
        raise ValidationError(
            _("%(name)s: only PDF, Word, Excel, PNG, JPEG or text files are accepted.") % {"name": name}
        )
    limit = settings.EVIDENCE_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("%(name)s is larger than %(mb)s MB.") % {"name": name, "mb": limit // (1024 * 1024)}
        )
    if upload.size == 0:
        raise ValidationError(_("%(name)s is empty.") % {"name": name})
    signatures = ALLOWED_UPLOADS[ext]
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if signatures is not None and not any(head.startswith(sig) for sig in signatures):
        raise ValidationError(_("%(name)s is not a real .%(ext)s file.") % {"name": name, "ext": ext})
    if signatures is None and b"\x00" in head:
        raise ValidationError(_("%(name)s is not a text file.") % {"name": name})
    return name, ext


@transaction.atomic
def notice_reply(*, notice, user, text, files=(), ip=None):
    """The recipient reports back (text and files); the notice goes to the county for acceptance."""
    if not is_recipient(user, notice):
        raise PermissionDenied
    notice = _locked(notice)
    if notice.status == Status.ACCEPTED:
        raise ValidationError(
            _("This notice has been accepted: no further replies are taken."), code="notice_accepted"
        )
    if not text or not text.strip():
        raise ValidationError({"text": _("Write what was done.")})
    files = list(files)
    if len(files) > MAX_ATTACHMENTS:
        raise ValidationError({"files": _("Attach at most %(n)s files.") % {"n": MAX_ATTACHMENTS}})
    checked = []
    for upload in files:
        try:
            checked.append((upload, *validate_upload(upload)))
        except ValidationError as error:
            raise ValidationError({"files": error.messages}) from error
    if sum(upload.size for upload in files) > settings.NOTICE_REPLY_MAX_BYTES:
        raise ValidationError(
            {
                "files": _("The reply with its files is larger than %(mb)s MB; send fewer or smaller files.")
                % {"mb": settings.NOTICE_REPLY_MAX_BYTES // (1024 * 1024)}
            }
        )
    reply = NoticeReply.objects.create(notice=notice, author=user, text=text.strip())
    for upload, name, _ext in checked:
        attachment = NoticeAttachment(
            reply=reply,
            original_name=name[:200],
            size=upload.size,
            content_type=getattr(upload, "content_type", "") or "application/octet-stream",
        )
        attachment.file.save(name, upload, save=False)
        attachment.save()
    previous = notice.status
    notice.status = Status.REPLIED
    notice.replied_at = timezone.now()
    notice.save(update_fields=["status", "replied_at"])
    _event(notice, action=Action.REPLIED, user=user, from_status=previous, comment=text.strip()[:500], ip=ip)
    notify(
        users=[notice.issued_by],
        title=_("Reply to supervision notice %(ref)s") % {"ref": notice.reference},
        body=_("%(recipient)s replied: %(title)s") % {"recipient": notice.recipient, "title": notice.title},
        url=_url(notice),
        key=f"notice-replied:{notice.pk}:{reply.pk}",
    )
    return reply


@transaction.atomic
def notice_item_mark(*, item, user, done, ip=None):
    """The recipient marks one item done (or not done again) while the notice is not accepted."""
    notice = _locked(item.notice)
    if not is_recipient(user, notice):
        raise PermissionDenied
    if notice.status == Status.ACCEPTED:
        raise ValidationError(
            _("This notice has been accepted and can no longer be changed."), code="notice_accepted"
        )
    item = NoticeItem.objects.select_for_update().get(pk=item.pk)
    if bool(item.done_at) == bool(done):
        return item
    item.done_at = timezone.now() if done else None
    item.done_by = user if done else None
    item.save(update_fields=["done_at", "done_by"])
    _event(
        notice,
        action=Action.ITEM_DONE if done else Action.ITEM_REOPENED,
        user=user,
        from_status=notice.status,
        comment=item.text,
        ip=ip,
    )
    return item


@transaction.atomic
def notice_accept(*, notice, user, comment="", ip=None):
    """The county accepts the reply; the notice is closed and takes no more replies."""
    if not is_issuer_side(user, notice):
        raise PermissionDenied
    notice = _locked(notice)
    if notice.status != Status.REPLIED:
        raise ValidationError(_("Only a replied notice can be accepted."))
    previous = notice.status
    notice.status = Status.ACCEPTED
    notice.accepted_at = timezone.now()
    notice.save(update_fields=["status", "accepted_at"])
    _event(notice, action=Action.ACCEPTED, user=user, from_status=previous, comment=comment, ip=ip)
    notify(
        users=_recipient_users(notice),
        title=_("Supervision notice %(ref)s accepted") % {"ref": notice.reference},
        body=notice.title,
        url=_url(notice),
        key=f"notice-accepted:{notice.pk}",
    )
    return notice


@transaction.atomic
def notice_return(*, notice, user, comment, ip=None):
    """The county sends the reply back with a reason; the recipient must reply again."""
    if not is_issuer_side(user, notice):
        raise PermissionDenied
    notice = _locked(notice)
    if notice.status != Status.REPLIED:
        raise ValidationError(_("Only a replied notice can be sent back."))
    if not comment or not comment.strip():
        raise ValidationError({"comment": _("Say why the reply is sent back.")})
    previous = notice.status
    notice.status = Status.RETURNED
    notice.save(update_fields=["status"])
    returns = notice.events.filter(action=Action.RETURNED).count()
    _event(notice, action=Action.RETURNED, user=user, from_status=previous, comment=comment.strip(), ip=ip)
    notify(
        users=_recipient_users(notice),
        title=_("Supervision notice %(ref)s sent back") % {"ref": notice.reference},
        body=comment.strip(),
        url=_url(notice),
        key=f"notice-returned:{notice.pk}:{returns + 1}",
    )
    return notice


def notices_send_reminders(*, today=None, horizon_days=7):
    """Remind recipients of open notices due within ``horizon_days`` or overdue, once per notice per week.

    Idempotent: the notification key carries the ISO week, so running twice in a week sends nothing new.
    Returns the number of notifications created.
    """
    today = today or timezone.localdate()
    iso_year, iso_week, _day = today.isocalendar()
    due = SupervisionNotice.objects.filter(
        status__in=SupervisionNotice.OPEN_STATES, deadline__lte=today + datetime.timedelta(days=horizon_days)
    ).order_by("id")
    notices = list(due)
    township_ids = {n.township_id for n in notices if n.township_id}
    department_ids = {n.department_id for n in notices if n.department_id}
    by_township, by_department = {}, {}
    users = User.objects.filter(is_active=True).filter(
        Q(role=Role.TOWNSHIP, township_id__in=township_ids)
        | Q(role=Role.DEPARTMENT, department_id__in=department_ids)
    )
    for u in users:
        if u.role == Role.TOWNSHIP:
            by_township.setdefault(u.township_id, []).append(u)
        elif u.role == Role.DEPARTMENT:
            by_department.setdefault(u.department_id, []).append(u)
    sent = 0
    for notice in notices:
        recipients = by_township.get(notice.township_id, []) if notice.township_id else []
        if notice.department_id:
            recipients = by_department.get(notice.department_id, [])
        if notice.deadline < today:
            title = _("Overdue supervision notice %(ref)s: %(title)s")
        else:
            title = _("Supervision notice %(ref)s due soon: %(title)s")
        sent += notify(
            users=recipients,
            title=title % {"ref": notice.reference, "title": notice.title},
            body=_("Deadline %(date)s. Report to %(person)s.")
            % {"date": notice.deadline, "person": notice.report_to},
            url=_url(notice),
            key=f"notice-remind:{notice.pk}:{iso_year}-W{iso_week:02d}",
        )
    return sent


@transaction.atomic
def steering_settings_update(*, campaign, user, advanced_min, lagging_below, own_weight, villages_weight):
    """Set a campaign's classification thresholds and ranking weights (county administrators only)."""
    if user.role != Role.COUNTY_ADMIN or campaign.county_id != user.county_id:
        raise PermissionDenied
    obj, _created = SteeringSettings.objects.select_for_update().get_or_create(campaign=campaign)
    obj.advanced_min = advanced_min
    obj.lagging_below = lagging_below
    obj.own_weight = own_weight
    obj.villages_weight = villages_weight
    obj.full_clean()
    obj.save()
    return obj


def settings_for(campaign):
    """The campaign's steering settings, or the defaults (unsaved) when none were set."""
    try:
        return campaign.steering_settings
    except SteeringSettings.DoesNotExist:
        return SteeringSettings(campaign=campaign)
