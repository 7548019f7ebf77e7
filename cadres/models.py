"""People and their positions over time."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaign.validators import validate_name
from villages.models import County, Department, Township, Village

phone_validator = RegexValidator(
    r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$",
    _("Enter a mobile number of 11 digits (e.g. 13800138000) or a landline such as 0471-1234567."),
)


class Cadre(models.Model):
    class Gender(models.TextChoices):
        MALE = "m", _("male")
        FEMALE = "f", _("female")

    class Education(models.TextChoices):
        PRIMARY = "primary", _("primary school")
        JUNIOR = "junior", _("junior middle school")
        SENIOR = "senior", _("senior middle school / vocational")
        COLLEGE = "college", _("junior college")
        BACHELOR = "bachelor", _("bachelor")
        POSTGRADUATE = "postgraduate", _("postgraduate")

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+", verbose_name=_("county"))
    # Where the cadre belongs (their "scope"): a village, a township or a
    # department; county-level cadres have none of the three.
    township = models.ForeignKey(
        Township,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cadres",
        verbose_name=_("township"),
    )
    village = models.ForeignKey(
        Village,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cadres",
        verbose_name=_("village"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cadres",
        verbose_name=_("county department"),
    )
    name = models.CharField(_("name"), max_length=50, validators=[validate_name])
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"))
    ethnicity = models.CharField(_("ethnicity"), max_length=20, default="汉族")
    education = models.CharField(_("education"), max_length=16, choices=Education.choices, blank=True)
    party_joined_on = models.DateField(_("party membership date"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[phone_validator])

    class Meta:
        ordering = ["county_id", "township_id", "village_id", "name"]
        verbose_name = _("cadre")
        verbose_name_plural = _("cadres")
        constraints = [
            models.CheckConstraint(
                name="cadre_village_implies_township",
                condition=Q(village__isnull=True) | Q(township__isnull=False),
            ),
            models.CheckConstraint(
                name="cadre_joined_party_after_birth",
                condition=Q(party_joined_on__isnull=True) | Q(party_joined_on__gt=F("birth_date")),
            ),
        ]
        indexes = [
            models.Index(fields=["name", "birth_date"]),
            # The cadre list's order (cadres.selectors.cadre_list): its first page is read
            # in order, over several counties too (county_id = ANY(…)), instead of sorting
            # every cadre in scope (32,000 for a city viewer).
            models.Index(fields=["county", "township", "village", "name", "id"]),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("cadres:cadre_detail", args=[self.pk])

    def clean(self):
        """Dates that make sense, and one place the cadre belongs to (the township follows the village)."""
        errors = {}
        today = timezone.localdate()
        if self.birth_date:
            if self.birth_date > today:
                errors["birth_date"] = _("The birth date cannot be in the future.")
            elif self.birth_date < datetime.date(1900, 1, 1):
                errors["birth_date"] = _("The birth date cannot be before 1900.")
        if self.party_joined_on:
            if self.party_joined_on > today:
                errors["party_joined_on"] = _("The party membership date cannot be in the future.")
            elif self.birth_date and self.party_joined_on <= self.birth_date:
                errors["party_joined_on"] = _("The party membership date must be after the birth date.")
        if self.village_id:
            self.township_id = self.village.township_id
        if self.township_id:
            self.county_id = self.township.county_id
        elif self.department_id:
            self.county_id = self.department.county_id
        if self.department_id and self.township_id:
            errors["department"] = _(
                "A cadre belongs to a village, a township or a county department, not to both a "
                "department and a place."
            )
        if errors:
            raise ValidationError(errors)


class OrganizerArea(models.Model):
    """An organizer's area (组织员包片): the townships one county organizer follows."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="organizer_areas")
    name = models.CharField(_("name"), max_length=100, validators=[validate_name])
    organizer = models.ForeignKey(
        Cadre,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organizer_areas",
        verbose_name=_("organizer"),
    )
    townships = models.ManyToManyField(Township, related_name="organizer_areas", verbose_name=_("townships"))

    class Meta:
        ordering = ["county_id", "name"]
        verbose_name = _("organizer's area")
        verbose_name_plural = _("organizer's areas")

    def __str__(self):
        return self.name


class Position(models.Model):
    """A position held over a period; an open end date means it is held today."""

    class Kind(models.TextChoices):
        SECRETARY = "secretary", _("village party secretary")
        DIRECTOR = "director", _("village committee director")
        FIRST_SECRETARY = "first_secretary", _("first secretary")
        RESERVE_CADRE = "reserve_cadre", _("reserve cadre")
        ORGANIZATION_MEMBER = "organization_member", _("township organization committee member")
        TOWNSHIP_SECRETARY = "township_secretary", _("township party secretary")
        ORGANIZER = "organizer", _("county organizer")
        WORKING_GROUP_MEMBER = "working_group_member", _("resident working-group member")
        VILLAGE_COMMITTEE_MEMBER = "village_committee_member", _("village committee member")

    VILLAGE_KINDS = (
        Kind.SECRETARY,
        Kind.DIRECTOR,
        Kind.FIRST_SECRETARY,
        Kind.RESERVE_CADRE,
        Kind.WORKING_GROUP_MEMBER,
        Kind.VILLAGE_COMMITTEE_MEMBER,
    )
    TOWNSHIP_KINDS = (Kind.ORGANIZATION_MEMBER, Kind.TOWNSHIP_SECRETARY)

    cadre = models.ForeignKey(
        Cadre, on_delete=models.CASCADE, related_name="positions", verbose_name=_("cadre")
    )
    kind = models.CharField(_("position"), max_length=32, choices=Kind.choices)
    # No index of its own: the (county, …) indexes in Meta lead with it. A lone county
    # index made PostgreSQL read every position of the counties to find the sitting ones.
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="+", verbose_name=_("county"), db_index=False
    )
    township = models.ForeignKey(
        Township,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="positions",
        verbose_name=_("township"),
    )
    village = models.ForeignKey(
        Village,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="positions",
        verbose_name=_("village"),
    )
    # For a first secretary: the county or township organ that sent them.
    sent_from = models.CharField(_("sent from"), max_length=100, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    class Meta:
        ordering = ["-start_date", "id"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        constraints = [
            models.CheckConstraint(
                name="position_ends_after_start",
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
            ),
            models.CheckConstraint(
                name="position_place_matches_kind",
                condition=(
                    Q(
                        kind__in=[
                            "secretary",
                            "director",
                            "first_secretary",
                            "reserve_cadre",
                            "working_group_member",
                            "village_committee_member",
                        ],
                        village__isnull=False,
                        township__isnull=False,
                    )
                    | Q(
                        kind__in=["organization_member", "township_secretary"],
                        township__isnull=False,
                        village__isnull=True,
                    )
                    | Q(kind="organizer", village__isnull=True)
                ),
            ),
            # A village has at most one sitting secretary and one sitting director.
            models.UniqueConstraint(
                fields=["village", "kind"],
                condition=Q(end_date__isnull=True, kind__in=["secretary", "director"]),
                name="one_sitting_secretary_or_director_per_village",
            ),
        ]
        indexes = [
            models.Index(fields=["village", "kind", "end_date"]),
            # The position list's order within a county (cadres.selectors.position_list).
            models.Index(fields=["county", "-start_date", "id"]),
            # Sitting holders of a kind in some counties (the cadre list's position filter):
            # without it every position of those counties is read to find them.
            models.Index(fields=["county", "kind", "end_date"]),
        ]

    def __str__(self):
        return f"{self.cadre} · {self.get_kind_display()}"

    def get_absolute_url(self):
        return reverse("cadres:position_detail", args=[self.pk])

    @property
    def is_current(self):
        return self.end_date is None

    @property
    def place(self):
        return self.village or self.township

    def clean(self):
        """The place the kind needs, dates in order, one sitting secretary and director per village."""
        Kind = self.Kind
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("A position cannot end before it starts.")
        if self.village_id:
            self.township_id = self.village.township_id
        if self.cadre_id:
            self.county_id = self.cadre.county_id
        if self.kind in self.VILLAGE_KINDS and not self.village_id:
            errors["village"] = _("This position is held in a village: choose the village.")
        elif self.kind in self.TOWNSHIP_KINDS:
            if self.village_id:
                errors["village"] = _("This position is held in a township, not in a village.")
            elif not self.township_id:
                errors["township"] = _("This position is held in a township: choose the township.")
        elif self.kind == Kind.ORGANIZER and self.village_id:
            errors["village"] = _("A county organizer is not attached to a village.")
        if self.township_id and self.cadre_id and self.township.county_id != self.cadre.county_id:
            errors["township"] = _("The place must be in the cadre's county.")
        if (
            self.kind in (Kind.SECRETARY, Kind.DIRECTOR)
            and self.village_id
            and self.end_date is None
            and "village" not in errors
        ):
            sitting = (
                Position.objects.filter(village_id=self.village_id, kind=self.kind, end_date__isnull=True)
                .exclude(pk=self.pk)
                .select_related("cadre")
                .first()
            )
            if sitting is not None:
                errors["village"] = _(
                    "This village already has a sitting %(position)s: %(name)s. End that position first."
                ) % {"position": self.get_kind_display(), "name": sitting.cadre.name}
        if errors:
            raise ValidationError(errors)
