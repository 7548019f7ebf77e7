"""Writes of reports, briefings and printed documents. Views, commands and tasks call these."""

import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from campaign.access import require_role
from campaign.celery import transient_errors
from campaign.jobs import current_worker, enqueue
from campaign.reports import pdf
from campaign.reports.figures import build_report_data
from campaign.reports.models import Briefing, ProgressReport, RenderStatus
from campaign.reports.schedule import period_for
from campaign.reports.selectors import latest_report, previous_report
from campaign.reports.snapshot import snapshot
from campaign.roles import Role

log = logging.getLogger(__name__)

BRIEFING_TEXT_FIELDS = (
    "title",
    "special",
    "running_number",
    "copies",
    "editor_note",
    "highlights",
    "problems",
    "next_steps",
    "issuing_office",
    "issued_on",
    "report_to",
    "send_to",
    "issue_to",
    "number",
    "report",
)


def _default_office(campaign):
    return f"中共{campaign.county.name}委组织部"


def report_take(*, campaign, period=None, user=None, refresh=False, now=None):
    """The campaign's report for ``period`` (default: the current one), made if it does not exist.

    Idempotent: a second call for the same period returns the same row (the
    database constraint decides between two racing workers). ``refresh``
    recomputes the figures of an existing report ("regenerate on demand").
    Returns ``(report, created)``.
    """
    now = now or timezone.now()
    period = period or period_for(timezone.localdate(now))
    # Every figure from one consistent reading of the data (campaign/reports/snapshot.py).
    with snapshot():
        return _report_take(campaign, period, user, refresh, now)


def _report_take(campaign, period, user, refresh, now):
    existing = ProgressReport.objects.select_for_update().filter(campaign=campaign, period=period).first()
    if existing is not None and not refresh:
        return existing, False
    previous = (
        ProgressReport.objects.filter(campaign=campaign, taken_at__lt=now)
        .exclude(period=period)
        .order_by("-taken_at", "-id")
        .first()
    )
    data = build_report_data(campaign, now=now, previous=previous)
    if existing is not None:
        existing.data = data
        existing.taken_at = now
        existing.full_clean()
        existing.save(update_fields=["data", "taken_at"])
        return existing, False
    report = ProgressReport(campaign=campaign, period=period, taken_at=now, data=data, created_by=user)
    report.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        # Another worker made it between our look-up and our insert.
        return ProgressReport.objects.get(campaign=campaign, period=period), False
    return report, True


def next_briefing_number(campaign):
    return (Briefing.objects.filter(campaign=campaign).aggregate(n=Max("number"))["n"] or 0) + 1


def _check_editor(user, campaign):
    if user is None:
        return  # the scheduler and management commands act for the county
    require_role(user, Role.COUNTY_ADMIN)
    if user.county_id != campaign.county_id:
        raise ValidationError(_("This campaign belongs to another county."))


def _save_briefing(briefing):
    if briefing.published and briefing.report_id is None:
        raise ValidationError({"report": _("A published briefing needs its progress report.")})
    if (
        briefing.report_id
        and not briefing.special
        and Briefing.objects.filter(report_id=briefing.report_id, special=False)
        .exclude(pk=briefing.pk)
        .exists()
    ):
        # Said in words, beside the field: never the constraint's name (one_briefing_per_report).
        raise ValidationError(
            {
                "special": _(
                    "This report already has its regular briefing. A second briefing on it is a special "
                    "issue: tick “special issue” (it gets its own number)."
                )
            }
        )
    try:
        briefing.full_clean()
    except ValidationError as error:
        # Make the unique-number clash read like a sentence, beside the field.
        if (
            "__all__" in error.message_dict
            and Briefing.objects.filter(campaign_id=briefing.campaign_id, number=briefing.number)
            .exclude(pk=briefing.pk)
            .exists()
        ):
            raise ValidationError(
                {
                    "number": _("Issue %(number)s already exists for this campaign.")
                    % {"number": briefing.number}
                }
            ) from error
        raise
    briefing.save()
    return briefing


@transaction.atomic
def briefing_create(*, campaign, user=None, report=None, **fields):
    """A new draft briefing, numbered after the campaign's last one unless a number is given."""
    _check_editor(user, campaign)
    unknown = set(fields) - set(BRIEFING_TEXT_FIELDS)
    if unknown:
        raise TypeError(f"unknown briefing fields: {sorted(unknown)}")
    fields.setdefault("number", next_briefing_number(campaign))
    fields.setdefault("issuing_office", _default_office(campaign))
    fields.setdefault("issued_on", timezone.localdate())
    fields.setdefault("report_to", "市委组织部")
    fields.setdefault("send_to", "县委、县政府领导")
    fields.setdefault("issue_to", "各乡镇党委，县直各部门党组织")
    briefing = Briefing(campaign=campaign, report=report, **fields)
    return _save_briefing(briefing)


@transaction.atomic
def briefing_update(*, briefing, user=None, **fields):
    """Change the county's text of a briefing; a published briefing's PDF is remade."""
    briefing = Briefing.objects.select_for_update().get(pk=briefing.pk)
    _check_editor(user, briefing.campaign)
    unknown = set(fields) - set(BRIEFING_TEXT_FIELDS)
    if unknown:
        raise TypeError(f"unknown briefing fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(briefing, name, value)
    _save_briefing(briefing)
    if briefing.published:
        briefing_request_pdf(briefing=briefing, user=user)
    return briefing


@transaction.atomic
def briefing_request_pdf(*, briefing, user=None):
    """Queue the PDF of a briefing (also "regenerate"): the status shows queued until a worker runs."""
    from campaign.reports.tasks import render_briefing

    if user is not None:
        _check_editor(user, briefing.campaign)
    now = timezone.now()
    times = {"queued_at": now, "started_at": None, "started_by": ""}
    Briefing.objects.filter(pk=briefing.pk).update(
        status=RenderStatus.QUEUED, failure_reason="", updated_at=now, **times
    )
    briefing.status = RenderStatus.QUEUED
    for name, value in times.items():
        setattr(briefing, name, value)
    enqueue(render_briefing, briefing.pk, on_failure=_job_failed(Briefing, briefing.pk))
    return briefing


def _job_failed(model, pk):
    """What marks a briefing or document failed when its task cannot be sent (campaign.jobs.enqueue)."""

    def mark(message):
        model.objects.filter(pk=pk, status=RenderStatus.QUEUED).update(
            status=RenderStatus.FAILED, failure_reason=message
        )

    return mark


@transaction.atomic
def briefing_publish(*, briefing, user=None):
    """Publish: needs a report and a title; makes the PDF (again)."""
    briefing = Briefing.objects.select_for_update().get(pk=briefing.pk)
    _check_editor(user, briefing.campaign)
    if briefing.report_id is None:
        raise ValidationError(_("A briefing cannot be published without a progress report."))
    if not briefing.title.strip():
        raise ValidationError({"title": _("The briefing needs a name.")})
    briefing.published = True
    briefing.published_at = timezone.now()
    _save_briefing(briefing)
    briefing_request_pdf(briefing=briefing, user=user)
    return briefing


@transaction.atomic
def briefing_unpublish(*, briefing, user):
    briefing = Briefing.objects.select_for_update().get(pk=briefing.pk)
    _check_editor(user, briefing.campaign)
    briefing.published = False
    briefing.published_at = None
    return _save_briefing(briefing)


def briefing_pdf_relpath(briefing):
    return f"briefings/{briefing.campaign.year}/briefing-{briefing.pk}.pdf"


def briefing_render(*, briefing_id):
    """Render a briefing's PDF (the worker's job). Idempotent; safe to run again after a crash.

    The status goes running → done, or failed with the reason. Transient errors
    (database or broker down) are raised again so that the task retries.
    """
    from campaign.reports.documents import briefing_context

    with transaction.atomic():
        briefing = Briefing.objects.select_for_update().filter(pk=briefing_id).first()
        if briefing is None:
            log.warning("briefing %s vanished before its PDF was made", briefing_id)
            return None
        briefing.status = RenderStatus.RUNNING
        briefing.failure_reason = ""
        briefing.started_at = timezone.now()
        briefing.started_by = current_worker()
        briefing.save(update_fields=["status", "failure_reason", "started_at", "started_by", "updated_at"])
    try:
        with transaction.atomic():
            # The row lock serializes two deliveries of the same task: the
            # second waits, then writes the same file again.
            briefing = (
                Briefing.objects.select_for_update(of=("self",))
                .select_related("campaign", "campaign__county", "report")
                .get(pk=briefing_id)
            )
            html = pdf.render_html("reports/pdf/briefing.html", briefing_context(briefing))
            relative = briefing_pdf_relpath(briefing)
            pdf.write_atomic(relative, pdf.render_pdf(html))
            briefing.pdf = relative
            briefing.pdf_rendered_at = timezone.now()
            briefing.status = RenderStatus.DONE
            briefing.save(update_fields=["pdf", "pdf_rendered_at", "status", "updated_at"])
            return relative
    except transient_errors():
        raise
    except Exception as error:
        log.exception("briefing %s: PDF failed", briefing_id)
        Briefing.objects.filter(pk=briefing_id).update(
            status=RenderStatus.FAILED, failure_reason=f"{type(error).__name__}: {error}"[:2000]
        )
        return None


@transaction.atomic
def bulletin_make(*, campaign, user=None, render=True):
    """The briefing of the current period: the report (made if needed), its briefing (made if needed).

    Running it twice makes one report and one briefing: both are keyed on the
    period. With ``render`` the PDF is queued (inline without Redis).
    """
    report, _created = report_take(campaign=campaign, user=user)
    briefing = Briefing.objects.filter(report=report).first()
    if briefing is None:
        try:
            with transaction.atomic():
                briefing = briefing_create(campaign=campaign, report=report, user=user)
        except (IntegrityError, ValidationError):
            briefing = Briefing.objects.filter(report=report).first()
            if briefing is None:
                raise
    if render:
        briefing_request_pdf(briefing=briefing)
    return briefing


__all__ = [
    "briefing_create",
    "briefing_publish",
    "briefing_render",
    "briefing_request_pdf",
    "briefing_unpublish",
    "briefing_update",
    "bulletin_make",
    "document_request",
    "latest_report",
    "next_briefing_number",
    "previous_report",
    "report_take",
]


DOCUMENT_ROLES = (Role.COUNTY_ADMIN, Role.COUNTY_LEADER)
# Documents sent as a 公文 take a 发文字号: the county committee's for the naming decision, the
# Organization Department's for the self-check sent up to the city.
NUMBERED = {"naming_decision": "committee", "county_self_check": "department"}


def _check_printer(user, campaign):
    """The county administrator and the county leader print their county's documents."""
    if user is None:
        return
    require_role(user, *DOCUMENT_ROLES)
    if user.county_id != campaign.county_id:
        raise ValidationError(_("This campaign belongs to another county."))


def print_settings_for(county):
    """The county's print settings, or the defaults derived from its name (not saved)."""
    from campaign.reports.models import PrintSettings

    found = PrintSettings.objects.filter(county=county).first()
    if found is not None:
        return found
    name = county.name
    short = name[:-1] if len(name) > 2 and name[-1] in "县旗区市" else name
    return PrintSettings(
        county=county,
        committee_mark=f"中共{name}委文件",
        committee_prefix=f"{short[0]}党发",
        committee_office=f"中共{name}委办公室",
        department_mark=f"中共{name}委组织部文件",
        department_prefix=f"{short[0]}组发",
        department_office=f"中共{name}委组织部",
        overlay={},
    )


def next_document_number(*, county, prefix, year):
    from campaign.reports.models import DocumentNumber

    taken = DocumentNumber.objects.filter(county=county, prefix=prefix, year=year).aggregate(n=Max("number"))
    return (taken["n"] or 0) + 1


def _take_number(document, *, county, prefix, year, number):
    """Hold 发文字号 ``prefix〔year〕number号`` for ``document``; a number used by another is refused."""
    from campaign.reports.models import DocumentNumber, number_label

    label = number_label(prefix, year, number)
    if number < 1:
        raise ValidationError({"number": _("A document number starts at 1.")})
    held = DocumentNumber.objects.select_for_update().filter(
        county=county, prefix=prefix, year=year, number=number
    )
    other = held.exclude(document=document).first()
    if other is not None:
        raise ValidationError(
            {
                "number": _(
                    "%(label)s is already used: choose another number (the next free one is %(next)s)."
                )
                % {"label": label, "next": next_document_number(county=county, prefix=prefix, year=year)}
            }
        )
    # The document gives up the number it held before, if it changes.
    DocumentNumber.objects.filter(document=document).exclude(prefix=prefix, year=year, number=number).delete()
    if not held.exists():
        try:
            with transaction.atomic():
                DocumentNumber.objects.create(
                    county=county, prefix=prefix, year=year, number=number, document=document
                )
        except IntegrityError as error:  # taken between the look-up and the insert
            raise ValidationError(
                {"number": _("%(label)s is already used: choose another number.") % {"label": label}}
            ) from error
    return label


OPTION_FIELDS = (
    "copies",
    "signed_on",
    "recipients",
    "copy_to",
    "signer",
    "as_official",
    "variant",
    "chinese_date",
)


@transaction.atomic
def document_request(*, campaign, kind, user=None, title=None, notice=None, batch="", number=None, **options):
    """Queue (or queue again) a printed document; one row per document, its PDF made by a worker.

    ``options`` are the document's print options (copies, date, recipients, signer, 公文 or not,
    certificate variant, date style); ``number`` the 发文字号's number for a document sent as a 公文.
    Bad values are refused with a message naming the field: a copy count below 1, a number already used.
    """
    from campaign.reports.models import Document
    from campaign.reports.tasks import render_document

    _check_printer(user, campaign)
    unknown = set(options) - set(OPTION_FIELDS)
    if unknown:
        raise TypeError(f"unknown document options: {sorted(unknown)}")
    if kind == Document.Kind.CERTIFICATE:
        if title is None or title.campaign_id != campaign.pk:
            raise ValidationError(_("A certificate needs a title of this campaign."))
    elif title is not None:
        raise ValidationError(_("Only a certificate is made for one title."))
    if kind == Document.Kind.CERTIFICATES and not batch:
        raise ValidationError(_("Choose the approval batch to print the certificates of."))
    if kind in (Document.Kind.PUBLIC_NOTICE, Document.Kind.SUPERVISION_NOTICE) and notice is None:
        raise ValidationError(_("Choose the notice to print."))
    copies = options.get("copies")
    if copies is not None and (not isinstance(copies, int) or copies < 1):
        raise ValidationError({"copies": _("Print at least one copy.")})
    document, _created = Document.objects.select_for_update().get_or_create(
        campaign=campaign,
        kind=kind,
        title_id=title.pk if title else 0,
        object_id=notice.pk if notice is not None else 0,
        batch=batch or "",
    )
    for name, value in options.items():
        setattr(document, name, value)
    if kind in NUMBERED and (kind != Document.Kind.COUNTY_SELF_CHECK or document.as_official):
        marks = print_settings_for(campaign.county)
        prefix = marks.committee_prefix if NUMBERED[kind] == "committee" else marks.department_prefix
        year = (document.signed_on or timezone.localdate()).year
        if number is None:
            held = document.number_label
            number = (
                next_document_number(county=campaign.county, prefix=prefix, year=year) if not held else None
            )
        if number is not None:
            document.number_label = _take_number(
                document, county=campaign.county, prefix=prefix, year=year, number=number
            )
    now = timezone.now()
    document.status = RenderStatus.QUEUED
    document.failure_reason = ""
    document.queued_at, document.started_at, document.started_by = now, None, ""
    document.requested_by = user if user is not None and user.pk else None
    document.full_clean(validate_unique=False, validate_constraints=False)
    document.save()
    enqueue(render_document, document.pk, on_failure=_job_failed(Document, document.pk))
    return document
