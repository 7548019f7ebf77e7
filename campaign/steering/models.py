"""Steering the campaign: supervision notices, classification thresholds and township rankings."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaign.validators import validate_name


class SupervisionNotice(models.Model):
    """A supervision notice (重点工作督办通知单) from the county to one township or one department."""

    class Status(models.TextChoices):
        ISSUED = "issued", _("issued")
        REPLIED = "replied", _("replied")
        RETURNED = "returned", _("sent back")
        ACCEPTED = "accepted", _("accepted")

    # The recipient still owes a reply in these states.
    OPEN_STATES = (Status.ISSUED, Status.RETURNED)

    county = models.ForeignKey(
        "villages.County", on_delete=models.PROTECT, related_name="+", verbose_name=_("county")
    )
    township = models.ForeignKey(
        "villages.Township",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervision_notices",
        verbose_name=_("township"),
    )
    department = models.ForeignKey(
        "villages.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervision_notices",
        verbose_name=_("county department"),
    )
    number = models.PositiveIntegerField(_("number"))
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("subject"), max_length=200, validators=[validate_name])
    body = models.TextField(_("requirements"), blank=True)
    deadline = models.DateField(_("deadline"))
    report_to = models.CharField(_("report to"), max_length=100)
    report_to_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ISSUED)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("issued by")
    )
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    replied_at = models.DateTimeField(_("replied"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("supervision notice")
        verbose_name_plural = _("supervision notices")
        constraints = [
            # Exactly one recipient: a township or a department.
            models.CheckConstraint(
                name="notice_one_recipient",
                condition=(Q(township__isnull=False, department__isnull=True))
                | Q(township__isnull=True, department__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["county", "year", "number"], name="notice_number_unique_per_year"
            ),
            models.CheckConstraint(
                name="notice_accepted_has_time",
                condition=~Q(status="accepted") | Q(accepted_at__isnull=False),
            ),
        ]
        indexes = [models.Index(fields=["county", "status", "deadline"])]

    def __str__(self):
        return f"{self.year}-{self.number:03d} {self.title}"

    @property
    def recipient(self):
        return self.township or self.department

    @property
    def is_overdue(self):
        return self.status in self.OPEN_STATES and self.deadline < timezone.localdate()

    @property
    def reference(self):
        return f"〔{self.year}〕{self.number}"


class NoticeItem(models.Model):
    """One item of work the notice asks for; the recipient marks it done."""

    notice = models.ForeignKey(SupervisionNotice, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("no."))
    text = models.CharField(_("item"), max_length=500)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["notice_id", "position"]
        verbose_name = _("notice item")
        verbose_name_plural = _("notice items")
        constraints = [models.UniqueConstraint(fields=["notice", "position"], name="notice_item_position")]

    def __str__(self):
        return self.text

    @property
    def is_done(self):
        return self.done_at is not None


class NoticeReply(models.Model):
    """What the recipient reports back; several replies when the county sends the notice back."""

    notice = models.ForeignKey(SupervisionNotice, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("reply"))
    created_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("notice reply")
        verbose_name_plural = _("notice replies")

    def __str__(self):
        return f"{self.notice} · {self.created_at:%Y-%m-%d}"


def attachment_path(instance, filename):
    # The stored name never reuses what the user typed, only the checked extension.
    ext = filename.rsplit(".", 1)[-1].lower()
    return f"steering/notices/{instance.reply.notice_id}/{timezone.now():%Y%m%d%H%M%S%f}.{ext}"


class NoticeAttachment(models.Model):
    reply = models.ForeignKey(NoticeReply, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    content_type = models.CharField(max_length=100)

    class Meta:
        ordering = ["id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.original_name


class NoticeEvent(models.Model):
    """One row per change of a notice: who, when, from where, what; never edited or deleted."""

    class Action(models.TextChoices):
        ISSUED = "issued", _("issued")
        REPLIED = "replied", _("replied")
        ITEM_DONE = "item_done", _("item marked done")
        ITEM_REOPENED = "item_reopened", _("item reopened")
        RETURNED = "returned", _("sent back")
        ACCEPTED = "accepted", _("accepted")

    notice = models.ForeignKey(SupervisionNotice, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("notice event")
        verbose_name_plural = _("notice events")

    def __str__(self):
        return f"{self.notice} · {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("Notice history is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Notice history is append-only.")


class SteeringSettings(models.Model):
    """Per-campaign thresholds for classification and the weights of the township ranking."""

    campaign = models.OneToOneField(
        "campaign.Campaign", on_delete=models.CASCADE, related_name="steering_settings"
    )
    advanced_min = models.DecimalField(
        _("advanced from (points)"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("90"),
        validators=[MinValueValidator(0)],
    )
    lagging_below = models.DecimalField(
        _("lagging below (points)"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("75"),
        validators=[MinValueValidator(0)],
    )
    own_weight = models.PositiveSmallIntegerField(
        _("weight of the township's own score (%)"), default=50, validators=[MaxValueValidator(100)]
    )
    villages_weight = models.PositiveSmallIntegerField(
        _("weight of its villages' mean score (%)"), default=50, validators=[MaxValueValidator(100)]
    )

    class Meta:
        verbose_name = _("steering settings")
        verbose_name_plural = _("steering settings")
        constraints = [
            models.CheckConstraint(
                name="steering_thresholds_do_not_overlap", condition=Q(lagging_below__lte=F("advanced_min"))
            ),
            models.CheckConstraint(
                name="steering_weights_sum_to_100",
                condition=Q(own_weight__lte=100, villages_weight__lte=100)
                & Q(own_weight=100 - F("villages_weight")),
            ),
        ]

    def __str__(self):
        return str(self.campaign)

    def clean(self):
        errors = {}
        if (
            self.advanced_min is not None
            and self.lagging_below is not None
            and self.lagging_below > self.advanced_min
        ):
            errors["lagging_below"] = _(
                "The lagging threshold (%(lagging)s) must not be above the advanced threshold "
                "(%(advanced)s): the two classes would overlap."
            ) % {"lagging": self.lagging_below, "advanced": self.advanced_min}
        if (
            self.own_weight is not None
            and self.villages_weight is not None
            and self.own_weight + self.villages_weight != 100
        ):
            errors["villages_weight"] = _("The two weights must add up to 100%.")
        if errors:
            raise ValidationError(errors)


class Classification(models.TextChoices):
    ADVANCED = "advanced", _("advanced")
    AVERAGE = "average", _("average")
    LAGGING = "lagging", _("lagging")


class TownshipRanking(models.Model):
    """A township's place in a campaign's annual ranking, with the figures it was computed from."""

    campaign = models.ForeignKey(
        "campaign.Campaign", on_delete=models.CASCADE, related_name="township_rankings"
    )
    township = models.ForeignKey(
        "villages.Township", on_delete=models.PROTECT, related_name="rankings", verbose_name=_("township")
    )
    own_score = models.DecimalField(_("own score"), max_digits=6, decimal_places=2, null=True)
    villages_mean = models.DecimalField(_("villages' mean score"), max_digits=6, decimal_places=2, null=True)
    village_count = models.PositiveIntegerField(_("villages scored"), default=0)
    score = models.DecimalField(_("ranking score"), max_digits=6, decimal_places=2)
    rank = models.PositiveSmallIntegerField(_("rank"))
    bottom_two = models.BooleanField(_("bottom two"), default=False)
    # 组织委员末位转岗: bottom two in this and the previous campaign.
    transfer_flag = models.BooleanField(_("organization member flagged for transfer"), default=False)
    organization_member = models.ForeignKey(
        "cadres.Cadre",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organization committee member"),
    )
    previous_rank = models.PositiveSmallIntegerField(_("previous rank"), null=True, blank=True)
    computed_at = models.DateTimeField(_("computed"), default=timezone.now)

    class Meta:
        ordering = ["campaign_id", "rank"]
        verbose_name = _("township ranking")
        verbose_name_plural = _("township rankings")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "township"], name="one_ranking_per_township_campaign"
            ),
            models.CheckConstraint(name="ranking_rank_positive", condition=Q(rank__gte=1)),
        ]

    def __str__(self):
        return f"{self.campaign} · {self.rank}. {self.township}"
