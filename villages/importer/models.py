"""One upload of a registry workbook: its file, its preview and what applying it did."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from campaign.models import BackgroundJob
from villages.models import County, Township


class ImportJob(BackgroundJob):
    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting to be checked")
        PREVIEWING = "previewing", _("checking the file")
        READY = "ready", _("ready to apply")
        INVALID = "invalid", _("has errors, nothing applied")
        APPLYING = "applying", _("applying")
        APPLIED = "applied", _("applied")
        FAILED = "failed", _("failed, nothing applied")
        CANCELLED = "cancelled", _("cancelled")

    RUNNING = (Status.QUEUED, Status.PREVIEWING, Status.APPLYING)
    # BackgroundJob: what counts as waiting for a worker and as being worked on.
    QUEUED_STATUSES = (Status.QUEUED,)
    RUNNING_STATUSES = (Status.PREVIEWING, Status.APPLYING)
    TIME_LIMIT_SETTING = "IMPORT_TASK_TIME_LIMIT"
    # Cancelled by the user: from any state but applying (which writes in one transaction).
    CANCELLABLE = (Status.QUEUED, Status.PREVIEWING, Status.READY, Status.INVALID, Status.FAILED)

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+", verbose_name=_("county"))
    # Set for a township user's import: every row must belong to this township.
    township = models.ForeignKey(
        Township,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("township"),
    )
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    # The language of the report: a background worker writes messages in the uploader's language.
    language = models.CharField(max_length=10, default="zh-hans")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows checked"), default=0)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("bad rows"), default=0)
    message = models.TextField(_("message"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    previewed_at = models.DateTimeField(_("checked"), null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("applied by"),
    )
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("registry import")
        verbose_name_plural = _("registry imports")
        indexes = [models.Index(fields=["county", "-created_at"])]

    def __str__(self):
        return self.original_name

    @property
    def is_running(self):
        return self.status in self.RUNNING

    @property
    def progress_percent(self):
        if not self.rows_total:
            return 0
        return min(100, round(100 * self.rows_done / self.rows_total))

    def total(self, action):
        return sum(kind.get(action, 0) for kind in self.counts.values())
