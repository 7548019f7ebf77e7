"""Village indicators: one sheet per village per campaign year, the county's targets and settings.

Depends on ``villages`` (places) and ``cadres`` (positions, read by ``indicators.derived``) only.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cadres.models import Cadre
from indicators.catalogue import CODE_CHOICES, PARTS
from villages.models import County, Township, Village

YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]


class CollectionWindow(models.Model):
    """When a county's villages and townships fill in the year's sheets (数据填报期)."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+", verbose_name=_("county"))
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    opens_on = models.DateField(_("collection opens"))
    closes_on = models.DateField(_("collection closes"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["county_id", "-year"]
        verbose_name = _("collection window")
        verbose_name_plural = _("collection windows")
        constraints = [
            models.UniqueConstraint(
                fields=["county", "year"],
                name="one_collection_window_per_county_year",
                violation_error_message=_("The county already has a collection window for this year."),
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")),
                name="collection_window_closes_after_opening",
                violation_error_message=_("The collection cannot close before it opens."),
            ),
        ]

    def __str__(self):
        return f"{self.county} · {self.year}"

    def clean(self):
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": _("The collection cannot close before it opens.")})

    def has_opened(self, today):
        return self.opens_on <= today

    def is_open(self, today):
        return self.opens_on <= today <= self.closes_on

    def has_closed(self, today):
        return today > self.closes_on


class IndicatorSetting(models.Model):
    """A built-in indicator switched on or off in one county (no row: on)."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+", verbose_name=_("county"))
    code = models.CharField(_("indicator"), max_length=40, choices=CODE_CHOICES)
    enabled = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["county_id", "code"]
        verbose_name = _("indicator setting")
        verbose_name_plural = _("indicator settings")
        constraints = [models.UniqueConstraint(fields=["county", "code"], name="one_setting_per_indicator")]

    def __str__(self):
        return f"{self.get_code_display()}: {self.enabled}"


class ExtraIndicator(models.Model):
    """An indicator a county adds to its sheets (always entered by the township or the village)."""

    class ValueType(models.TextChoices):
        COUNT = "count", _("whole number")
        AMOUNT = "amount", _("decimal number")

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+", verbose_name=_("county"))
    code = models.SlugField(
        _("code"),
        max_length=40,
        help_text=_("Letters, digits, hyphens or underscores; used in Excel files and targets."),
    )
    name = models.CharField(_("name"), max_length=100)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    value_type = models.CharField(
        _("value"), max_length=10, choices=ValueType.choices, default=ValueType.COUNT
    )
    # A part of another count (built-in or the county's own): never above it.
    whole = models.CharField(_("part of"), max_length=40, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    enabled = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["county_id", "order", "id"]
        verbose_name = _("county indicator")
        verbose_name_plural = _("county indicators")
        constraints = [
            models.UniqueConstraint(
                fields=["county", "code"],
                name="extra_indicator_code_unique",
                violation_error_message=_("The county already has an indicator with this code."),
            )
        ]

    def __str__(self):
        return self.name


class IndicatorSheet(models.Model):
    """One village's figures for one campaign year.

    Entered figures are columns; derived figures (from the registry's positions) are computed live
    while the sheet is open and stored here, with the date they describe (``derived_as_of``), once
    the township confirms it or its year is over. A null ``derived_as_of`` means "live".
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("being filled in")
        SUBMITTED = "submitted", _("submitted to the township")
        CONFIRMED = "confirmed", _("confirmed by the township")

    class VenueCondition(models.TextChoices):
        GOOD = "good", _("good")
        ADEQUATE = "adequate", _("adequate")
        POOR = "poor", _("poor, needs repair")
        NONE = "none", _("no fixed venue")

    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, related_name="indicator_sheets", verbose_name=_("village")
    )
    # Denormalized so that scoping and roll-ups are one indexed filter.
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+", verbose_name=_("county"))
    township = models.ForeignKey(
        Township, on_delete=models.PROTECT, related_name="+", verbose_name=_("township")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)

    # --- entered ------------------------------------------------------------------------------
    members = models.PositiveIntegerField(_("party members"), null=True, blank=True)
    members_under_35 = models.PositiveIntegerField(_("members under 35"), null=True, blank=True)
    members_women = models.PositiveIntegerField(_("women members"), null=True, blank=True)
    members_high_school = models.PositiveIntegerField(
        _("members with senior middle school or more"), null=True, blank=True
    )
    new_members = models.PositiveIntegerField(_("new members developed"), null=True, blank=True)
    new_members_under_35 = models.PositiveIntegerField(_("new members under 35"), null=True, blank=True)
    activists = models.PositiveIntegerField(_("activists applying to join"), null=True, blank=True)
    cooperatives = models.PositiveIntegerField(_("farmers' cooperatives"), null=True, blank=True)
    cooperatives_with_party_org = models.PositiveIntegerField(
        _("cooperatives with a party organization"), null=True, blank=True
    )
    collective_income = models.DecimalField(
        _("collective income (10,000 yuan)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    branch_congresses = models.PositiveIntegerField(_("branch congresses"), null=True, blank=True)
    committee_meetings = models.PositiveIntegerField(_("branch committee meetings"), null=True, blank=True)
    group_meetings = models.PositiveIntegerField(_("party group meetings"), null=True, blank=True)
    party_lessons = models.PositiveIntegerField(_("party lessons"), null=True, blank=True)
    training_days = models.DecimalField(
        _("training days of village cadres"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    venue_area = models.PositiveIntegerField(_("activity venue area (m²)"), null=True, blank=True)
    venue_condition = models.CharField(
        _("activity venue condition"), max_length=10, choices=VenueCondition.choices, blank=True
    )

    # --- derived, stored when frozen ----------------------------------------------------------
    reserve_cadres = models.PositiveSmallIntegerField(_("reserve cadres"), null=True, blank=True)
    is_secretary_and_director = models.BooleanField(_("secretary also director"), null=True, blank=True)
    secretary_name = models.CharField(_("secretary"), max_length=50, blank=True)
    secretary_age = models.PositiveSmallIntegerField(_("secretary's age"), null=True, blank=True)
    secretary_education = models.CharField(
        _("secretary's education"), max_length=16, choices=Cadre.Education.choices, blank=True
    )
    secretary_years = models.PositiveSmallIntegerField(_("secretary's years in post"), null=True, blank=True)
    committee_members = models.PositiveSmallIntegerField(
        _("village-committee members"), null=True, blank=True
    )
    cross_appointed = models.PositiveSmallIntegerField(
        _("village-committee members who are party members"), null=True, blank=True
    )
    has_first_secretary = models.BooleanField(_("first secretary"), null=True, blank=True)
    working_group_members = models.PositiveSmallIntegerField(
        _("resident working-group members"), null=True, blank=True
    )
    derived_as_of = models.DateField(_("registry figures as of"), null=True, blank=True)

    submitted_at = models.DateTimeField(_("submitted on"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed on"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    return_reason = models.TextField(_("reason for return"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["county_id", "-year", "township_id", "village_id"]
        verbose_name = _("indicator sheet")
        verbose_name_plural = _("indicator sheets")
        constraints = [
            models.UniqueConstraint(fields=["village", "year"], name="one_indicator_sheet_per_village_year"),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{part}__isnull": True})
                    | Q(**{f"{whole}__isnull": True})
                    | Q(**{f"{part}__lte": F(whole)}),
                    name=f"sheet_{part}_not_above_{whole}"[:60],
                    violation_error_message=_("A part cannot be more than its whole."),
                )
                for part, whole in PARTS
            ],
            models.CheckConstraint(
                condition=Q(collective_income__isnull=True) | Q(collective_income__gte=0),
                name="sheet_collective_income_not_negative",
                violation_error_message=_("A figure cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(training_days__isnull=True) | Q(training_days__gte=0),
                name="sheet_training_days_not_negative",
                violation_error_message=_("A figure cannot be negative."),
            ),
            # A confirmed sheet always carries its frozen registry figures.
            models.CheckConstraint(
                condition=~Q(status="confirmed") | Q(derived_as_of__isnull=False),
                name="confirmed_sheet_is_frozen",
                violation_error_message=_("A confirmed sheet keeps its registry figures."),
            ),
        ]
        indexes = [
            models.Index(fields=["county", "year", "status"]),
            models.Index(fields=["township", "year", "status"]),
        ]

    def __str__(self):
        return f"{self.village} · {self.year}"

    def get_absolute_url(self):
        return reverse("indicators:sheet", args=[self.village_id, self.year])

    @property
    def is_frozen(self):
        return self.derived_as_of is not None

    @property
    def is_confirmed(self):
        return self.status == self.Status.CONFIRMED


class ExtraValue(models.Model):
    """A sheet's figure for one of the county's own indicators."""

    sheet = models.ForeignKey(IndicatorSheet, on_delete=models.CASCADE, related_name="extra_values")
    indicator = models.ForeignKey(ExtraIndicator, on_delete=models.PROTECT, related_name="values")
    value = models.DecimalField(
        _("value"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = _("county indicator value")
        verbose_name_plural = _("county indicator values")
        constraints = [
            models.UniqueConstraint(fields=["sheet", "indicator"], name="one_value_per_extra_indicator"),
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="extra_value_not_negative",
                violation_error_message=_("A figure cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.indicator}: {self.value}"


class SheetEvent(models.Model):
    """What happened to a sheet, by whom and when; written once, never changed (append-only)."""

    class Action(models.TextChoices):
        SAVED = "saved", _("figures saved")
        IMPORTED = "imported", _("figures imported from Excel")
        SUBMITTED = "submitted", _("submitted to the township")
        RETURNED = "returned", _("returned to the village")
        CONFIRMED = "confirmed", _("confirmed by the township")
        REOPENED = "reopened", _("reopened")
        FROZEN = "frozen", _("registry figures frozen at the year's end")

    sheet = models.ForeignKey(IndicatorSheet, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    from_status = models.CharField(
        _("from"), max_length=16, choices=IndicatorSheet.Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=16, choices=IndicatorSheet.Status.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    # {code: [before, after]} for the figures a save changed.
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["sheet_id", "created_at", "id"]
        verbose_name = _("sheet event")
        verbose_name_plural = _("sheet events")

    def __str__(self):
        return f"{self.get_action_display()} · {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("History is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("History is append-only.")


class Target(models.Model):
    """One of a county's targets for a year, in one of three kinds (seeded from the province's list).

    - per village: each village's figure ``indicator`` must be at least (at most) ``threshold``;
    - share of villages: the share of villages passing that per-village test must reach
      ``share_required`` percent;
    - ratio of sums: Σ ``indicator`` ÷ Σ ``denominator`` over the villages, in percent, must be at
      least (at most) ``threshold``.
    """

    class Kind(models.TextChoices):
        PER_VILLAGE = "per_village", _("per village")
        SHARE_OF_VILLAGES = "share_of_villages", _("share of villages")
        RATIO_OF_SUMS = "ratio_of_sums", _("ratio of sums")

    class Comparison(models.TextChoices):
        AT_LEAST = "at_least", _("at least")
        AT_MOST = "at_most", _("at most")

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+", verbose_name=_("county"))
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    kind = models.CharField(_("kind of target"), max_length=20, choices=Kind.choices)
    indicator = models.CharField(_("indicator"), max_length=40)
    denominator = models.CharField(_("divided by"), max_length=40, blank=True)
    comparison = models.CharField(
        _("comparison"), max_length=10, choices=Comparison.choices, default=Comparison.AT_LEAST
    )
    threshold = models.DecimalField(
        _("threshold"), max_digits=10, decimal_places=2, validators=[MinValueValidator(0)]
    )
    share_required = models.DecimalField(
        _("share of villages required (%)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    source = models.CharField(_("source"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["county_id", "year", "order", "id"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(
                fields=["county", "year", "kind", "indicator", "denominator"],
                name="target_unique_in_year",
                violation_error_message=_("The county already has this target for the year."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="ratio_of_sums") | ~Q(denominator=""),
                name="ratio_target_has_denominator",
                violation_error_message=_("A ratio of sums needs the figure it is divided by."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="share_of_villages") | Q(share_required__isnull=False),
                name="share_target_has_share",
                violation_error_message=_("Say which share of villages must pass the test."),
            ),
            models.CheckConstraint(
                condition=Q(threshold__gte=0),
                name="target_threshold_not_negative",
                violation_error_message=_("A figure cannot be negative."),
            ),
        ]
        indexes = [models.Index(fields=["county", "year"])]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.indicator}"
