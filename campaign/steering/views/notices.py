"""Supervision notices: list, issue, reply, mark items, accept or send back, files, export."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaign.access import get_in_scope, role_required
from campaign.files import clean_filename
from campaign.roles import Role
from campaign.steering import selectors, services
from campaign.steering.forms import NoticeFilterForm, NoticeForm, ReplyForm, ReviewForm
from campaign.steering.models import NoticeAttachment, NoticeItem, SupervisionNotice
from campaign.steering.views.common import client_ip, is_htmx, paginate, query_string_without_page
from campaign.steering.xlsx import xlsx_response
from campaign.uploads import upload_limit
from villages.models import Township
from villages.selectors import townships_for


def _filters(request):
    form = NoticeFilterForm(request.GET or None)
    filters = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "status": data["status"],
            "overdue": data["overdue"],
            "year": data["year"],
            "q": data["q"],
        }
    township = request.GET.get("township", "")
    if township.isdigit():
        filters["township"] = int(township)
    department = request.GET.get("department", "")
    if department.isdigit():
        filters["department"] = int(department)
    return form, filters


@role_required(*selectors.NOTICE_ROLES)
def notice_list(request):
    form, filters = _filters(request)
    notices = selectors.notice_list(request.user, **filters)
    township_choices = []
    if request.user.role in (Role.COUNTY_ADMIN, Role.COUNTY_REVIEWER, Role.COUNTY_LEADER):
        township_choices = list(townships_for(request.user).values_list("id", "name"))
    return render(
        request,
        "steering/notice_list.html",
        {
            "page_obj": paginate(request, notices),
            "filter_form": form,
            "township_choices": township_choices,
            "selected_township": filters.get("township"),
            "query_string": query_string_without_page(request),
            "today": timezone.localdate(),
            "can_issue": request.user.role == Role.COUNTY_ADMIN,
            "counts": selectors.notice_counts(request.user),
        },
    )


@role_required(Role.COUNTY_ADMIN)
def notice_create(request):
    form = NoticeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        recipient = data["recipient"]
        is_township = isinstance(recipient, Township)
        try:
            notice = services.notice_issue(
                user=request.user,
                township=recipient if is_township else None,
                department=None if is_township else recipient,
                title=data["title"],
                body=data["body"],
                items=data["items"],
                deadline=data["deadline"],
                report_to=data["report_to"],
                report_to_phone=data["report_to_phone"],
                ip=client_ip(request),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Notice %(ref)s issued.") % {"ref": notice.reference})
            return redirect("steering:notice_detail", pk=notice.pk)
    return render(request, "steering/notice_form.html", {"form": form})


def _add_error(form, error):
    """A service's ValidationError on the form: beside its field when it names one, else above the form."""
    form.add_error(None, error if hasattr(error, "error_dict") else error.messages)


def _detail_context(request, notice, **extra):
    user = request.user
    context = {
        "notice": notice,
        "items": list(notice.items.all()),
        "replies": list(notice.replies.all()),
        "events": list(notice.events.all()),
        "can_reply": services.is_recipient(user, notice)
        and notice.status != SupervisionNotice.Status.ACCEPTED,
        "can_mark": services.is_recipient(user, notice)
        and notice.status != SupervisionNotice.Status.ACCEPTED,
        "can_review": services.is_issuer_side(user, notice)
        and notice.status == SupervisionNotice.Status.REPLIED,
        "reply_form": ReplyForm(),
        "review_form": ReviewForm(),
    }
    context.update(extra)
    return context


def _refused_files(request):
    """Why files of this request were not kept: over the size of one file, or of the whole reply."""
    mb = 1024 * 1024
    if request.upload_too_large:
        return [
            _("The reply with its files is larger than %(mb)s MB; send fewer or smaller files.")
            % {"mb": settings.NOTICE_REPLY_MAX_BYTES // mb}
        ]
    return [
        _("%(name)s is larger than %(mb)s MB.") % {"name": name, "mb": settings.EVIDENCE_MAX_BYTES // mb}
        for _field, name in request.refused_uploads
    ]


@role_required(*selectors.NOTICE_ROLES)
def notice_detail(request, pk):
    notice = selectors.notice_detail(request.user, pk)
    return render(request, "steering/notice_detail.html", _detail_context(request, notice))


@require_POST
@role_required(Role.TOWNSHIP, Role.DEPARTMENT)
@upload_limit(
    max_request_bytes=lambda: settings.NOTICE_REPLY_MAX_BYTES,
    max_file_bytes=lambda: settings.EVIDENCE_MAX_BYTES,
)
def notice_reply(request, pk):
    notice = selectors.notice_detail(request.user, pk)
    form = ReplyForm(request.POST, request.FILES)
    refused = _refused_files(request)
    if refused:
        # The typed text is kept; the files are not stored (see campaign/uploads.py).
        form.is_valid()
        form.add_error("files", refused)
    elif form.is_valid():
        try:
            services.notice_reply(
                notice=notice,
                user=request.user,
                text=form.cleaned_data["text"],
                files=form.cleaned_data["files"],
                ip=client_ip(request),
            )
        except ValidationError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("Your reply has been sent to the county."))
            return redirect("steering:notice_detail", pk=notice.pk)
    notice = selectors.notice_detail(request.user, pk)
    return render(
        request, "steering/notice_detail.html", _detail_context(request, notice, reply_form=form), status=400
    )


@require_POST
@role_required(Role.TOWNSHIP, Role.DEPARTMENT)
def notice_item_toggle(request, pk, item_pk):
    notice = selectors.notice_detail(request.user, pk)
    item = get_object_or_404(NoticeItem, pk=item_pk, notice=notice)
    error = None
    try:
        item = services.notice_item_mark(
            item=item, user=request.user, done=request.POST.get("done") == "1", ip=client_ip(request)
        )
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if is_htmx(request):
        return render(
            request,
            "steering/_notice_item.html",
            {"item": item, "notice": notice, "can_mark": error is None, "item_error": error},
        )
    if error:
        messages.error(request, error)
    return redirect("steering:notice_detail", pk=notice.pk)


def _review(request, pk, service, success):
    notice = selectors.notice_detail(request.user, pk)
    form = ReviewForm(request.POST)
    form.is_valid()
    try:
        service(
            notice=notice,
            user=request.user,
            comment=form.cleaned_data.get("comment", ""),
            ip=client_ip(request),
        )
    except ValidationError as error:
        _add_error(form, error)
        notice = selectors.notice_detail(request.user, pk)
        return render(
            request,
            "steering/notice_detail.html",
            _detail_context(request, notice, review_form=form),
            status=400,
        )
    messages.success(request, success)
    return redirect("steering:notice_detail", pk=notice.pk)


@require_POST
@role_required(Role.COUNTY_ADMIN)
def notice_accept(request, pk):
    return _review(request, pk, services.notice_accept, _("The notice has been accepted."))


@require_POST
@role_required(Role.COUNTY_ADMIN)
def notice_return(request, pk):
    return _review(request, pk, services.notice_return, _("The notice has been sent back."))


@role_required(*selectors.NOTICE_ROLES)
def attachment_download(request, pk, attachment_pk):
    notice = get_in_scope(selectors.notices_for(request.user), pk=pk)
    attachment = get_object_or_404(NoticeAttachment, pk=attachment_pk, reply__notice=notice)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=clean_filename(attachment.original_name))


@role_required(*selectors.NOTICE_ROLES)
def notice_export(request):
    _form, filters = _filters(request)
    notices = selectors.notice_list(request.user, **filters).select_related(None)
    rows = notices.values_list(
        "year",
        "number",
        "title",
        "township__name",
        "department__name",
        "deadline",
        "status",
        "report_to",
        "item_count",
        "done_count",
        "issued_at",
        "replied_at",
        "accepted_at",
    )
    status_labels = dict(SupervisionNotice.Status.choices)
    today = timezone.localdate()
    open_states = {str(s) for s in SupervisionNotice.OPEN_STATES}

    def generate():
        for (
            year,
            number,
            title,
            township,
            department,
            deadline,
            status,
            report_to,
            items,
            done,
            *times,
        ) in rows.iterator(chunk_size=2000):
            overdue = status in open_states and deadline < today
            yield [
                f"〔{year}〕{number}",
                title,
                township or department,
                deadline,
                str(status_labels.get(status, status)),
                _("yes") if overdue else "",
                report_to,
                items,
                done,
                *times,
            ]

    headers = [
        _("Reference"),
        _("Matter under supervision"),
        _("To"),
        _("Deadline"),
        _("Status"),
        _("Overdue"),
        _("Report to"),
        _("Items"),
        _("Items done"),
        _("Issued"),
        _("Replied"),
        _("Accepted"),
    ]
    return xlsx_response(
        filename=_("supervision-notices-%(date)s.xlsx") % {"date": today.isoformat()},
        title=_("Supervision notices"),
        headers=headers,
        rows=generate(),
        widths=[12, 40, 16, 12, 10, 8, 12, 8, 8, 18, 18, 18],
    )
