"""Progress reports (frozen snapshots of a campaign) and the documents printed from them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from campaign.models import BackgroundJob
from campaign.validators import validate_name


class RenderStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("pdf status", "draft")
    QUEUED = "queued", pgettext_lazy("pdf status", "queued")
    RUNNING = "running", pgettext_lazy("pdf status", "running")
    DONE = "done", pgettext_lazy("pdf status", "done")
    FAILED = "failed", pgettext_lazy("pdf status", "failed")


# Each text of a briefing: about five printed pages at most (GB/T 9704: 22 lines of 28 characters).
BRIEFING_TEXT_MAX = 3000
BRIEFING_TEXT_MAX_LINES = 120


def validate_briefing_lines(value):
    lines = value.count("\n") + 1 if value else 0
    if lines > BRIEFING_TEXT_MAX_LINES:
        raise ValidationError(
            _("This text has %(count)s lines; a section of a briefing may have at most %(limit)s.")
            % {"count": lines, "limit": BRIEFING_TEXT_MAX_LINES},
            code="too_many_lines",
        )


BRIEFING_TEXT_VALIDATORS = [MaxLengthValidator(BRIEFING_TEXT_MAX), validate_briefing_lines]


class ProgressReport(models.Model):
    """The campaign's state frozen at one moment; one per campaign and period."""

    campaign = models.ForeignKey(
        "campaign.Campaign",
        on_delete=models.PROTECT,
        related_name="progress_reports",
        verbose_name=_("campaign"),
    )
    # "2026-11" (monthly), "2026-B6" (every two months), "2026-Q4" (quarterly).
    period = models.CharField(_("period"), max_length=20)
    taken_at = models.DateTimeField(_("taken at"))
    data = models.JSONField(_("figures"), encoder=DjangoJSONEncoder, default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-taken_at", "-id"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "period"], name="one_progress_report_per_period")
        ]

    def __str__(self):
        return f"{self.campaign} · {self.period}"


class Briefing(BackgroundJob):
    """A numbered briefing (工作简报 第N期) built from a report plus the county's own text."""

    Status = RenderStatus

    campaign = models.ForeignKey(
        "campaign.Campaign", on_delete=models.PROTECT, related_name="briefings", verbose_name=_("campaign")
    )
    report = models.ForeignKey(
        ProgressReport,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="briefings",
        verbose_name=_("progress report"),
    )
    # Issues are numbered per campaign, that is per year: 2026年第N期.
    number = models.PositiveIntegerField(_("issue number"))
    running_number = models.PositiveIntegerField(
        _("running issue number (总第N期)"),
        null=True,
        blank=True,
        help_text=_("Optional: the number counted over all years."),
    )
    special = models.BooleanField(
        _("special issue"),
        default=False,
        help_text=_("A second briefing on the same report, e.g. on one topic; it has its own number."),
    )
    copies = models.PositiveIntegerField(_("copies printed"), default=60)
    title = models.CharField(
        _("briefing name"), max_length=60, default="三级联创工作简报", validators=[validate_name]
    )
    # Bounded: a briefing of 10,000 lines took 48 s to lay out and kept 830 MB in the web worker.
    editor_note = models.TextField(
        _("editor's note"), blank=True, max_length=BRIEFING_TEXT_MAX, validators=BRIEFING_TEXT_VALIDATORS
    )
    highlights = models.TextField(
        _("highlights"), blank=True, max_length=BRIEFING_TEXT_MAX, validators=BRIEFING_TEXT_VALIDATORS
    )
    problems = models.TextField(
        _("problems"), blank=True, max_length=BRIEFING_TEXT_MAX, validators=BRIEFING_TEXT_VALIDATORS
    )
    next_steps = models.TextField(
        _("next steps"), blank=True, max_length=BRIEFING_TEXT_MAX, validators=BRIEFING_TEXT_VALIDATORS
    )
    issuing_office = models.CharField(_("issuing office"), max_length=100)
    issued_on = models.DateField(_("date issued"))
    report_to = models.CharField(_("reported to (报)"), max_length=300, blank=True)
    send_to = models.CharField(_("sent to (送)"), max_length=300, blank=True)
    issue_to = models.CharField(_("issued to (发)"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=RenderStatus.choices, default=RenderStatus.DRAFT
    )
    failure_reason = models.TextField(_("reason for the failure"), blank=True)
    # Relative to MEDIA_ROOT; only served by the permission-checked download view.
    pdf = models.CharField(_("PDF file"), max_length=255, blank=True)
    pdf_rendered_at = models.DateTimeField(_("PDF made at"), null=True, blank=True)
    published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["campaign_id", "-number"]
        verbose_name = _("briefing")
        verbose_name_plural = _("briefings")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "number"], name="one_briefing_per_number"),
            # A scheduled run that is delivered twice still makes one regular briefing; special
            # issues on the same report are allowed.
            models.UniqueConstraint(
                fields=["report"],
                condition=Q(report__isnull=False, special=False),
                name="one_briefing_per_report",
            ),
            models.CheckConstraint(name="briefing_copies_at_least_one", condition=Q(copies__gte=1)),
            models.CheckConstraint(name="briefing_number_positive", condition=Q(number__gte=1)),
            models.CheckConstraint(name="briefing_title_not_empty", condition=~Q(title="")),
            models.CheckConstraint(
                name="published_briefing_has_report", condition=Q(published=False) | Q(report__isnull=False)
            ),
        ]

    def __str__(self):
        return f"{self.title} {self.issue_label}"

    @property
    def issue_label(self):
        """2026年第3期（总第27期）: numbered per year, with the optional running number."""
        label = f"{self.campaign.year}年第{self.number}期"
        if self.running_number:
            label += f"（总第{self.running_number}期）"
        return label


class Document(BackgroundJob):
    """Another printed document of a campaign: certificates, the naming decision and list, the county
    self-check, a public notice (公示), a supervision notice (督办通知单)."""

    class Kind(models.TextChoices):
        CERTIFICATE = "certificate", _("certificate")
        CERTIFICATES = "certificates", _("certificates of an approval batch")
        NAMING_LIST = "naming_list", _("list of named subjects")
        NAMING_DECISION = "naming_decision", _("naming decision")
        COUNTY_SELF_CHECK = "county_self_check", _("county self-check report")
        PUBLIC_NOTICE = "public_notice", _("public notice")
        SUPERVISION_NOTICE = "supervision_notice", _("supervision notice")

    class Variant(models.TextChoices):
        STANDARD = "standard", _("full certificate")
        OVERLAY = "overlay", _("text only, for pre-printed stock (套打)")

    Status = RenderStatus

    campaign = models.ForeignKey(
        "campaign.Campaign", on_delete=models.PROTECT, related_name="documents", verbose_name=_("campaign")
    )
    kind = models.CharField(pgettext_lazy("printed document", "kind"), max_length=32, choices=Kind.choices)
    # The title a certificate is for; 0 for the campaign-wide documents.
    title_id = models.PositiveBigIntegerField(_("title awarded"), default=0)
    # The public or supervision notice printed; 0 for the other kinds.
    object_id = models.PositiveBigIntegerField(default=0)
    # The approval batch of a certificates document: the day its titles were named (ISO date).
    batch = models.CharField(max_length=10, blank=True, default="")
    # 发文字号 (e.g. 林党发〔2026〕12号) of a document sent as a 公文; the number is held in DocumentNumber.
    number_label = models.CharField(_("document number"), max_length=40, blank=True)
    copies = models.PositiveIntegerField(_("copies"), default=1)
    signed_on = models.DateField(_("date of the document"), null=True, blank=True)
    recipients = models.CharField(_("main recipients"), max_length=300, blank=True)
    copy_to = models.CharField(_("copied to"), max_length=300, blank=True)
    signer = models.CharField(_("signed off by (签发人)"), max_length=40, blank=True)
    as_official = models.BooleanField(_("sent as an official document"), default=False)
    variant = models.CharField(
        _("certificate variant"), max_length=16, choices=Variant.choices, default=Variant.STANDARD
    )
    chinese_date = models.BooleanField(_("date in Chinese numerals"), default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=RenderStatus.choices, default=RenderStatus.QUEUED
    )
    failure_reason = models.TextField(_("reason for the failure"), blank=True)
    pdf = models.CharField(_("PDF file"), max_length=255, blank=True)
    pdf_rendered_at = models.DateTimeField(_("PDF made at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("printed document")
        verbose_name_plural = _("printed documents")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "kind", "title_id", "object_id", "batch"], name="one_document_per_subject"
            ),
            models.CheckConstraint(name="document_copies_at_least_one", condition=Q(copies__gte=1)),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.campaign}"


class DocumentNumber(models.Model):
    """A 发文字号 taken: prefix + year + number, once per county (林党发〔2026〕12号)."""

    county = models.ForeignKey("villages.County", on_delete=models.PROTECT, related_name="+")
    prefix = models.CharField(_("prefix"), max_length=12)
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    document = models.ForeignKey(Document, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    taken_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["county_id", "prefix", "year", "number"]
        verbose_name = _("document number")
        verbose_name_plural = _("document numbers")
        constraints = [
            models.UniqueConstraint(
                fields=["county", "prefix", "year", "number"], name="document_number_once"
            ),
            models.CheckConstraint(name="document_number_positive", condition=Q(number__gte=1)),
        ]

    def __str__(self):
        return number_label(self.prefix, self.year, self.number)


def number_label(prefix, year, number):
    return f"{prefix}〔{year}〕{number}号"


class PrintSettings(models.Model):
    """A county's own marks on its documents, and the positions for pre-printed certificates."""

    county = models.OneToOneField("villages.County", on_delete=models.CASCADE, related_name="print_settings")
    committee_mark = models.CharField(_("county committee's organ mark"), max_length=40)
    committee_prefix = models.CharField(_("county committee's number prefix"), max_length=12)
    committee_office = models.CharField(_("county committee's printing office"), max_length=60)
    department_mark = models.CharField(_("Organization Department's organ mark"), max_length=40)
    department_prefix = models.CharField(_("Organization Department's number prefix"), max_length=12)
    department_office = models.CharField(_("Organization Department's printing office"), max_length=60)
    # {element: [x mm, y mm]} on an A4 landscape sheet, for the text-only certificate (套打).
    overlay = models.JSONField(_("positions on pre-printed certificates"), default=dict, blank=True)

    class Meta:
        verbose_name = _("print settings")
        verbose_name_plural = _("print settings")

    def __str__(self):
        return str(self.county)
