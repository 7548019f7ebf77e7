"""Rubrics, appraisals with their per-tier scores, public notices, vetoes and titles.

Nothing here changes ``Appraisal.status`` or ``Title.status`` by itself: every
transition goes through ``appraisal/services.py``, which checks role and
state, locks the row and writes an event.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from campaign.validators import validate_name
from villages.models import County, Department, Township, Village

POINTS = {"max_digits": 6, "decimal_places": 1}


class Track(models.TextChoices):
    VILLAGE = "village", _("village party organization")
    TOWNSHIP = "township", _("township party committee")
    DEPARTMENT = "department", _("county department")


class Rubric(models.Model):
    """The rules (验收评比细则) of one campaign for one track; a new version once frozen."""

    campaign = models.ForeignKey(
        "campaign.Campaign", on_delete=models.PROTECT, related_name="rubrics", verbose_name=_("campaign")
    )
    track = models.CharField(_("track"), max_length=16, choices=Track.choices)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    # Set when the first appraisal using this rubric is submitted; edits then
    # go into a new version so that submitted reports keep their rules.
    frozen = models.BooleanField(_("frozen"), default=False)
    star_threshold = models.DecimalField(
        _("points needed for a star"), **POINTS, default=Decimal("16"), validators=[MinValueValidator(0)]
    )
    satisfaction_floor = models.PositiveSmallIntegerField(
        _("satisfaction floor (%)"), default=60, validators=[MaxValueValidator(100)]
    )
    satisfaction_cap_stars = models.PositiveSmallIntegerField(
        _("stars at most below the floor"), default=2, validators=[MaxValueValidator(5)]
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["campaign_id", "track", "-version"]
        verbose_name = _("rubric")
        verbose_name_plural = _("rubrics")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "track", "version"], name="rubric_version_unique"),
        ]

    def __str__(self):
        return f"{self.campaign} · {self.get_track_display()} · v{self.version}"


class Star(models.Model):
    """One of the five stars (or the departments' five "goods")."""

    rubric = models.ForeignKey(
        Rubric, on_delete=models.CASCADE, related_name="stars", verbose_name=_("rubric")
    )
    code = models.SlugField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=50, validators=[validate_name])
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    max_points = models.DecimalField(_("maximum points"), **POINTS, default=Decimal("20"))

    class Meta:
        ordering = ["rubric_id", "order", "id"]
        verbose_name = _("star")
        verbose_name_plural = _("stars")
        constraints = [models.UniqueConstraint(fields=["rubric", "code"], name="star_code_unique_in_rubric")]

    def __str__(self):
        return self.name


class Indicator(models.Model):
    class Feed(models.TextChoices):
        MANUAL = "manual", _("scored by each tier")
        SURVEY = "survey", _("from the mass-satisfaction survey")
        RATING = "rating", _("from the ratings from below")
        PEER = "peer", _("from the peer ratings")

    star = models.ForeignKey(
        Star, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("star")
    )
    text = models.TextField(_("indicator"))
    max_points = models.DecimalField(
        _("maximum points"), **POINTS, default=Decimal("5"), validators=[MinValueValidator(Decimal("0.5"))]
    )
    guidance = models.TextField(_("guidance"), blank=True)
    evidence_expected = models.CharField(_("evidence expected"), max_length=200, blank=True)
    # Evidence is compulsory before submitting only where the rubric says so.
    evidence_required = models.BooleanField(_("evidence required"), default=False)
    feed = models.CharField(
        _("source of the score"), max_length=10, choices=Feed.choices, default=Feed.MANUAL
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["star__order", "order", "id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(condition=Q(max_points__gt=0), name="indicator_max_points_positive")
        ]

    def __str__(self):
        return self.text[:40]


class Appraisal(models.Model):
    """One subject's appraisal in one campaign: its report, every tier's scores and its result."""

    Track = Track

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        TOWNSHIP_CHECKED = "township_checked", _("checked by the township")
        RECHECK_REQUESTED = "recheck_requested", _("reported for re-check")
        RECHECKED = "rechecked", _("re-checked by the county")
        NOT_RECOMMENDED = "not_recommended", _("not recommended")
        PUBLICIZED = "publicized", _("under public notice")
        APPROVED = "approved", _("approved")
        VETOED = "vetoed", _("vetoed")

    FINAL_STATUSES = (Status.NOT_RECOMMENDED, Status.APPROVED, Status.VETOED)

    campaign = models.ForeignKey(
        "campaign.Campaign", on_delete=models.PROTECT, related_name="appraisals", verbose_name=_("campaign")
    )
    rubric = models.ForeignKey(
        Rubric, on_delete=models.PROTECT, related_name="appraisals", verbose_name=_("rubric")
    )
    track = models.CharField(_("track"), max_length=16, choices=Track.choices)
    # Denormalized so that scoping is one indexed filter for every role.
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+", verbose_name=_("county"))
    township = models.ForeignKey(
        Township,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appraisals",
        verbose_name=_("township"),
    )
    village = models.ForeignKey(
        Village,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appraisals",
        verbose_name=_("village"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appraisals",
        verbose_name=_("county department"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    self_points = models.DecimalField(_("self-assessment points"), **POINTS, null=True, blank=True)
    township_points = models.DecimalField(_("township points"), **POINTS, null=True, blank=True)
    final_points = models.DecimalField(_("final points"), **POINTS, null=True, blank=True)
    stars_earned = models.JSONField(_("stars earned"), default=list, blank=True)
    star_count = models.PositiveSmallIntegerField(_("stars"), default=0)
    satisfaction_rate = models.DecimalField(
        _("satisfaction rate (%)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    self_report = models.TextField(_("self-inspection report"), blank=True)
    township_opinion = models.TextField(_("township opinion"), blank=True)
    county_opinion = models.TextField(_("county opinion"), blank=True)
    # The reason of the latest return, shown to the subject until resubmitted.
    return_reason = models.TextField(_("reason for return"), blank=True)
    notice = models.ForeignKey(
        "PublicNotice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appraisals",
        verbose_name=_("public notice"),
    )
    # The latest batch the township reported it in (申请复检): the county re-checks batch by batch.
    recheck_batch = models.ForeignKey(
        "RecheckBatch",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appraisals",
        verbose_name=_("re-check batch"),
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["campaign_id", "track", "township_id", "village_id", "department_id"]
        verbose_name = _("appraisal")
        verbose_name_plural = _("appraisals")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "village"], condition=Q(track="village"), name="one_appraisal_per_village"
            ),
            models.UniqueConstraint(
                fields=["campaign", "township"],
                condition=Q(track="township"),
                name="one_appraisal_per_township",
            ),
            models.UniqueConstraint(
                fields=["campaign", "department"],
                condition=Q(track="department"),
                name="one_appraisal_per_department",
            ),
            models.CheckConstraint(
                name="appraisal_subject_matches_track",
                condition=(
                    Q(track="village", village__isnull=False, township__isnull=False, department__isnull=True)
                    | Q(
                        track="township",
                        village__isnull=True,
                        township__isnull=False,
                        department__isnull=True,
                    )
                    | Q(
                        track="department",
                        village__isnull=True,
                        township__isnull=True,
                        department__isnull=False,
                    )
                ),
            ),
            models.CheckConstraint(condition=Q(star_count__lte=5), name="appraisal_star_count_at_most_5"),
        ]
        indexes = [
            models.Index(fields=["campaign", "status"]),
            models.Index(fields=["county", "status"]),
            models.Index(fields=["township", "status"]),
        ]

    def __str__(self):
        return f"{self.subject} · {self.campaign}"

    @property
    def subject(self):
        if self.track == Track.VILLAGE:
            return self.village
        if self.track == Track.TOWNSHIP:
            return self.township
        return self.department

    @property
    def has_township_stage(self):
        return self.track == Track.VILLAGE

    @property
    def is_final(self):
        return self.status in self.FINAL_STATUSES


class RecheckBatch(models.Model):
    """What a township reported to the county for re-check together (申请复检), and when."""

    campaign = models.ForeignKey("campaign.Campaign", on_delete=models.PROTECT, related_name="+")
    township = models.ForeignKey(
        Township, on_delete=models.PROTECT, related_name="recheck_batches", verbose_name=_("township")
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("reported by")
    )
    reported_at = models.DateTimeField(_("reported"), auto_now_add=True)

    class Meta:
        ordering = ["-reported_at", "-id"]
        verbose_name = _("re-check batch")
        verbose_name_plural = _("re-check batches")

    def __str__(self):
        return f"{self.township} · {self.reported_at:%Y-%m-%d}"


class Score(models.Model):
    """One tier's points for one indicator; every tier keeps its own row."""

    class Tier(models.TextChoices):
        SELF = "self", _("self-assessment")
        TOWNSHIP = "township", _("township check")
        COUNTY = "county", _("county re-check")

    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="scores")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="scores")
    tier = models.CharField(_("tier"), max_length=10, choices=Tier.choices)
    points = models.DecimalField(_("points"), **POINTS)
    # Copied from the indicator so that the database itself can keep the range.
    max_points = models.DecimalField(_("maximum points"), **POINTS)
    remark = models.TextField(_("remark"), blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["appraisal_id", "indicator_id", "tier"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["appraisal", "indicator", "tier"], name="one_score_per_tier"),
            models.CheckConstraint(
                condition=Q(points__gte=0) & Q(points__lte=F("max_points")), name="score_within_range"
            ),
        ]

    def __str__(self):
        return f"{self.indicator_id}/{self.tier}: {self.points}"

    def clean(self):
        if (
            self.points is not None
            and self.max_points is not None
            and not (0 <= self.points <= self.max_points)
        ):
            raise ValidationError(
                {
                    "points": _("Enter between 0 and %(max)s points.")
                    % {"max": f"{self.max_points.normalize():f}"}
                }
            )


def evidence_path(instance, filename):
    # A fresh random name: the original one is kept in the row, never trusted on disk.
    import uuid
    from pathlib import PurePath

    suffix = PurePath(filename).suffix.lower()
    return f"evidence/{instance.appraisal.campaign_id}/{instance.appraisal_id}/{uuid.uuid4().hex}{suffix}"


class Evidence(models.Model):
    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="evidence")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    content_type = models.CharField(max_length=100, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["indicator_id", "uploaded_at", "id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self):
        return self.original_name


class AppendOnly(models.Model):
    """History rows are written once and never changed or deleted through the ORM."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.pop("_allow_update", False):
            raise ValidationError("History is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("History is append-only.")


class AppraisalEvent(AppendOnly):
    class Action(models.TextChoices):
        # A context of its own: "created" is also the created_at column ("创建时间");
        # as an event in the history it reads "创建".
        CREATED = "created", pgettext_lazy("appraisal event", "created")
        SAVED = "saved", _("self-assessment saved")
        EVIDENCE_ADDED = "evidence_added", _("evidence added")
        EVIDENCE_REMOVED = "evidence_removed", _("evidence removed")
        SUBMITTED = "submitted", _("submitted")
        RETURNED = "returned", _("returned for revision")
        TOWNSHIP_CHECKED = "township_checked", _("checked by the township")
        RECHECK_REQUESTED = "recheck_requested", _("reported for re-check")
        RECHECKED = "rechecked", _("re-checked by the county")
        NOT_RECOMMENDED = "not_recommended", _("not recommended")
        SCORES_CHANGED = "scores_changed", _("scores changed")
        SURVEY_RECORDED = "survey_recorded", _("satisfaction survey recorded")
        PUBLICIZED = "publicized", _("public notice opened")
        WITHDRAWN = "withdrawn", _("withdrawn from the public notice")
        OBJECTION = "objection", _("objection recorded")
        OBJECTION_HANDLED = "objection_handled", _("objection handled")
        APPROVED = "approved", _("approved and named")
        VETOED = "vetoed", _("vetoed")

    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=24, choices=Action.choices)
    from_status = models.CharField(_("from"), max_length=20, choices=Appraisal.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Appraisal.Status.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    # The township filled in a village's self-report for it (kept on the row: roles can change later).
    on_behalf = models.BooleanField(_("filled in by the township"), default=False)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["appraisal_id", "created_at", "id"]
        verbose_name = _("appraisal event")
        verbose_name_plural = _("appraisal events")

    def __str__(self):
        return f"{self.get_action_display()} · {self.created_at:%Y-%m-%d %H:%M}"


class SatisfactionSurvey(models.Model):
    """A mass-satisfaction survey (群众满意度测评) of one appraisal's subject."""

    appraisal = models.OneToOneField(Appraisal, on_delete=models.CASCADE, related_name="survey")
    surveyed_on = models.DateField(_("surveyed on"))
    sample_size = models.PositiveIntegerField(_("people asked"), validators=[MinValueValidator(1)])
    satisfied = models.PositiveIntegerField(_("satisfied"), default=0)
    fairly_satisfied = models.PositiveIntegerField(_("fairly satisfied"), default=0)
    basically_satisfied = models.PositiveIntegerField(_("basically satisfied"), default=0)
    dissatisfied = models.PositiveIntegerField(_("dissatisfied"), default=0)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)

    class Meta:
        verbose_name = _("mass-satisfaction survey")
        verbose_name_plural = _("mass-satisfaction surveys")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    sample_size=F("satisfied")
                    + F("fairly_satisfied")
                    + F("basically_satisfied")
                    + F("dissatisfied")
                ),
                name="survey_answers_add_up",
            )
        ]

    def __str__(self):
        return f"{self.appraisal_id}: {self.sample_size}"

    def clean(self):
        total = sum(
            v or 0
            for v in (self.satisfied, self.fairly_satisfied, self.basically_satisfied, self.dissatisfied)
        )
        if self.sample_size is not None and total != self.sample_size:
            raise ValidationError(
                {
                    "sample_size": _("The answers add up to %(total)s, not %(n)s.")
                    % {"total": total, "n": self.sample_size}
                }
            )

    @property
    def rate(self):
        """Satisfaction rate in percent: (satisfied + fairly satisfied) ÷ all answers."""
        if not self.sample_size:
            return None
        return Decimal(100 * (self.satisfied + self.fairly_satisfied)) / Decimal(self.sample_size)


class Rating(models.Model):
    """A rating of a county department from below (下评) or by a peer department (互评)."""

    class Grade(models.TextChoices):
        SATISFIED = "satisfied", _("satisfied")
        FAIRLY_SATISFIED = "fairly_satisfied", _("fairly satisfied")
        BASICALLY_SATISFIED = "basically_satisfied", _("basically satisfied")
        DISSATISFIED = "dissatisfied", _("dissatisfied")

    class Kind(models.TextChoices):
        FROM_BELOW = "below", _("rating from below")
        PEER = "peer", _("peer rating")

    SATISFIED_GRADES = (Grade.SATISFIED, Grade.FAIRLY_SATISFIED)

    campaign = models.ForeignKey("campaign.Campaign", on_delete=models.PROTECT, related_name="ratings")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="ratings")
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ratings_given"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.FROM_BELOW)
    grade = models.CharField(_("rating"), max_length=20, choices=Grade.choices)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("rated"), auto_now=True)

    class Meta:
        ordering = ["campaign_id", "department_id", "id"]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "department", "rater"], name="one_rating_per_rater"),
        ]

    def __str__(self):
        return self.get_grade_display()


class PublicNotice(models.Model):
    """A public notice (公示) of a batch of appraisals, over working days."""

    campaign = models.ForeignKey("campaign.Campaign", on_delete=models.PROTECT, related_name="notices")
    title = models.CharField(_("title"), max_length=200, validators=[validate_name])
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    working_days = models.PositiveSmallIntegerField(_("working days"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("public notice")
        verbose_name_plural = _("public notices")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="notice_ends_after_start")
        ]

    def __str__(self):
        return self.title

    def has_ended(self, today):
        return today > self.ends_on


class NoticeWithdrawal(models.Model):
    """A subject taken off a public notice before it ended, and why (the notice's own record of it)."""

    notice = models.ForeignKey(PublicNotice, on_delete=models.PROTECT, related_name="withdrawals")
    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="notice_withdrawals")
    reason = models.TextField(_("reason"))
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    withdrawn_at = models.DateTimeField(_("withdrawn"), auto_now_add=True)

    class Meta:
        ordering = ["withdrawn_at", "id"]
        verbose_name = _("withdrawal from a public notice")
        verbose_name_plural = _("withdrawals from public notices")

    def __str__(self):
        return f"{self.notice_id}/{self.appraisal_id}"


class Objection(models.Model):
    class Outcome(models.TextChoices):
        PENDING = "pending", _("pending")
        DISMISSED = "dismissed", _("dismissed")
        UPHELD_RETURN = "upheld_return", _("upheld: sent back for re-check")
        UPHELD_END = "upheld_end", _("upheld: not recommended")

    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="objections")
    notice = models.ForeignKey(PublicNotice, on_delete=models.PROTECT, related_name="objections")
    received_on = models.DateField(_("received on"))
    raised_by = models.CharField(_("raised by"), max_length=100, blank=True)
    content = models.TextField(_("objection"))
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, default=Outcome.PENDING)
    handling = models.TextField(_("how it was handled"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)

    class Meta:
        ordering = ["received_on", "id"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")

    def __str__(self):
        return self.content[:40]


def veto_evidence_path(instance, filename):
    import uuid
    from pathlib import PurePath

    return f"vetoes/{instance.county_id}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class VetoEvent(models.Model):
    """A veto (一票否决): the subject is out of the year's appraisal and loses any valid title."""

    class Kind(models.TextChoices):
        AGRICULTURAL_CRIME = "agricultural_crime", _("vicious agriculture-related criminal case")
        MASS_PETITION = "mass_petition", _("large collective petition")
        SAFETY_ACCIDENT = "safety_accident", _("major safety accident")
        FRAUD = "fraud", _("fraud in the appraisal")
        SPECIAL_WORK_LAGGING = "special_work_lagging", _("near the bottom in key special work")

    campaign = models.ForeignKey("campaign.Campaign", on_delete=models.PROTECT, related_name="vetoes")
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    track = models.CharField(_("track"), max_length=16, choices=Track.choices)
    township = models.ForeignKey(
        Township, on_delete=models.PROTECT, null=True, blank=True, related_name="vetoes"
    )
    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, null=True, blank=True, related_name="vetoes"
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="vetoes"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    occurred_on = models.DateField(_("date"))
    description = models.TextField(_("description"))
    evidence = models.FileField(_("evidence"), upload_to=veto_evidence_path, blank=True, max_length=200)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("veto")
        verbose_name_plural = _("vetoes")
        constraints = [
            models.CheckConstraint(
                name="veto_subject_matches_track",
                condition=(
                    Q(track="village", village__isnull=False, township__isnull=False, department__isnull=True)
                    | Q(
                        track="township",
                        village__isnull=True,
                        township__isnull=False,
                        department__isnull=True,
                    )
                    | Q(
                        track="department",
                        village__isnull=True,
                        township__isnull=True,
                        department__isnull=False,
                    )
                ),
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.occurred_on}"

    @property
    def subject(self):
        return self.village or self.department or self.township


class TitleQuerySet(models.QuerySet):
    def in_validity(self, today):
        return self.filter(status=Title.Status.VALID, valid_until__gte=today)

    def expiring_within(self, today, days):
        import datetime

        return self.filter(
            status=Title.Status.VALID,
            valid_until__gte=today,
            valid_until__lte=today + datetime.timedelta(days=days),
        )


class Title(models.Model):
    """A title (称号) issued on approval, valid for the campaign's number of years."""

    Track = Track

    class Status(models.TextChoices):
        VALID = "valid", _("valid")
        EXPIRED = "expired", _("expired")
        REVOKED = "revoked", _("revoked")

    campaign = models.ForeignKey("campaign.Campaign", on_delete=models.PROTECT, related_name="titles")
    appraisal = models.OneToOneField(
        Appraisal, on_delete=models.PROTECT, null=True, blank=True, related_name="title"
    )
    track = models.CharField(_("track"), max_length=16, choices=Track.choices)
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+", db_index=False)
    township = models.ForeignKey(
        Township, on_delete=models.PROTECT, null=True, blank=True, related_name="titles"
    )
    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, null=True, blank=True, related_name="titles"
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="titles"
    )
    star_count = models.PositiveSmallIntegerField(_("stars"))
    stars = models.JSONField(_("stars earned"), default=list)
    named_on = models.DateField(_("named on"))
    # Indexed with status only (see Meta): every write of the daily expiry touches each index.
    valid_until = models.DateField(_("valid until"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.VALID)
    expired_on = models.DateField(_("expired on"), null=True, blank=True)
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revoke_reason = models.TextField(_("reason for revocation"), blank=True)
    # The last expiry reminder sent: 90 or 30 (days before), 0 once told it expired; None before any.
    reminded_days = models.PositiveSmallIntegerField(
        _("last reminder (days before expiry)"), null=True, blank=True
    )

    objects = TitleQuerySet.as_manager()

    class Meta:
        ordering = ["valid_until", "id"]
        verbose_name = _("title")
        verbose_name_plural = _("titles")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gt=F("named_on")), name="title_valid_after_naming"
            ),
            models.CheckConstraint(condition=Q(star_count__lte=5), name="title_star_count_at_most_5"),
            models.CheckConstraint(
                name="title_revocation_has_date",
                condition=~Q(status="revoked") | Q(revoked_on__isnull=False),
            ),
        ]
        indexes = [models.Index(fields=["status", "valid_until"]), models.Index(fields=["county", "status"])]

    def __str__(self):
        return f"{self.subject} · {self.campaign.year}"

    @property
    def subject(self):
        return self.village or self.department or self.township

    @property
    def is_five_star(self):
        return self.star_count == 5


class TitleEvent(AppendOnly):
    class Action(models.TextChoices):
        NAMED = "named", _("named")
        STAR_WITHDRAWN = "star_withdrawn", _("star withdrawn")
        REVOKED = "revoked", _("revoked")
        EXPIRED = "expired", _("expired")

    title = models.ForeignKey(Title, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    star = models.CharField(_("star"), max_length=20, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    effective_on = models.DateField(_("date"))
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["title_id", "created_at", "id"]
        verbose_name = _("title event")
        verbose_name_plural = _("title events")

    def __str__(self):
        return f"{self.get_action_display()} · {self.effective_on}"


# Defined in its own module (the calendar is not part of an appraisal); imported here so that
# Django registers it with the app.
from appraisal.holidays import Holiday  # noqa: E402, F401
