"""Places and organizations: city → county → township → village, county departments, party organizations."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from campaign.validators import validate_name

code_validator = RegexValidator(r"^[0-9A-Za-z-]{1,20}$", _("Use 1–20 letters, digits or hyphens."))


class City(models.Model):
    """A prefecture-level city; its Organization Department views the roll-up of its counties."""

    code = models.CharField(_("code"), max_length=20, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=100, validators=[validate_name])

    class Meta:
        ordering = ["code"]
        verbose_name = _("city")
        verbose_name_plural = _("cities")

    def __str__(self):
        return self.name


class County(models.Model):
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="counties", verbose_name=_("city"))
    code = models.CharField(_("code"), max_length=20, validators=[code_validator])
    name = models.CharField(_("name"), max_length=100, validators=[validate_name])

    class Meta:
        ordering = ["city_id", "code"]
        verbose_name = _("county")
        verbose_name_plural = _("counties")
        constraints = [models.UniqueConstraint(fields=["city", "code"], name="county_code_unique_in_city")]

    def __str__(self):
        return self.name


class Township(models.Model):
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="townships", verbose_name=_("county")
    )
    code = models.CharField(_("code"), max_length=20, validators=[code_validator])
    name = models.CharField(_("name"), max_length=100, validators=[validate_name])
    population = models.PositiveIntegerField(_("population"), default=0)

    class Meta:
        ordering = ["county_id", "code"]
        verbose_name = _("township")
        verbose_name_plural = _("townships")
        constraints = [
            models.UniqueConstraint(fields=["county", "code"], name="township_code_unique_in_county")
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("villages:township_detail", args=[self.pk])

    def clean(self):
        # Forms may leave the county off (it is the user's), so the unique
        # constraint cannot be checked by the form: check it here, beside the code.
        if self.county_id and self.code and _taken(Township, self, county_id=self.county_id, code=self.code):
            raise ValidationError(
                {
                    "code": _("A township with code %(code)s already exists in this county.")
                    % {"code": self.code}
                }
            )


def _taken(model, instance, **lookup):
    """Whether another row than ``instance`` matches ``lookup``."""
    return model.objects.filter(**lookup).exclude(pk=instance.pk).exists()


class Village(models.Model):
    """An administrative village (行政村 / 嘎查村)."""

    township = models.ForeignKey(
        Township, on_delete=models.PROTECT, related_name="villages", verbose_name=_("township")
    )
    code = models.CharField(_("code"), max_length=20, validators=[code_validator])
    name = models.CharField(_("name"), max_length=100, validators=[validate_name])
    is_poverty_key = models.BooleanField(_("poverty-alleviation key village"), default=False)
    is_one_product = models.BooleanField(_("one-village-one-product village"), default=False)
    households = models.PositiveIntegerField(_("households"), default=0)
    population = models.PositiveIntegerField(_("population"), default=0)

    class Meta:
        ordering = ["township_id", "code"]
        verbose_name = _("village")
        verbose_name_plural = _("villages")
        constraints = [
            models.UniqueConstraint(fields=["township", "code"], name="village_code_unique_in_township"),
            models.CheckConstraint(
                condition=Q(population__gte=models.F("households")) | Q(population=0),
                name="village_population_not_below_households",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("villages:village_detail", args=[self.pk])

    def clean(self):
        errors = {}
        if (
            self.township_id
            and self.code
            and _taken(Village, self, township_id=self.township_id, code=self.code)
        ):
            errors["code"] = _("A village with code %(code)s already exists in this township.") % {
                "code": self.code
            }
        if self.population and self.households and self.population < self.households:
            errors["population"] = _("The population cannot be smaller than the number of households.")
        if errors:
            raise ValidationError(errors)


class Department(models.Model):
    """A county department (县直部门) taking part in the campaign."""

    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="departments", verbose_name=_("county")
    )
    code = models.CharField(_("code"), max_length=20, validators=[code_validator])
    name = models.CharField(_("name"), max_length=100, validators=[validate_name])
    is_agriculture_related = models.BooleanField(_("agriculture-related"), default=True)

    class Meta:
        ordering = ["county_id", "code"]
        verbose_name = _("county department")
        verbose_name_plural = _("county departments")
        constraints = [
            models.UniqueConstraint(fields=["county", "code"], name="department_code_unique_in_county")
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("villages:department_detail", args=[self.pk])

    def clean(self):
        if (
            self.county_id
            and self.code
            and _taken(Department, self, county_id=self.county_id, code=self.code)
        ):
            raise ValidationError(
                {
                    "code": _("A county department with code %(code)s already exists in this county.")
                    % {"code": self.code}
                }
            )


class PartyOrganization(models.Model):
    class Kind(models.TextChoices):
        TOWNSHIP_COMMITTEE = "township_committee", _("township party committee")
        VILLAGE_COMMITTEE = "village_committee", _("village party committee")
        VILLAGE_GENERAL_BRANCH = "village_general_branch", _("village general branch")
        VILLAGE_BRANCH = "village_branch", _("village branch")
        DEPARTMENT = "department", _("county department organization")
        INDUSTRY = "industry", _("industry or cooperative organization")

    VILLAGE_KINDS = (Kind.VILLAGE_COMMITTEE, Kind.VILLAGE_GENERAL_BRANCH, Kind.VILLAGE_BRANCH)

    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=150, validators=[validate_name])
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent organization"),
    )
    member_count = models.PositiveIntegerField(_("members"), default=0, validators=[MinValueValidator(0)])
    # The county is stored on every row (denormalized) so that scoping is one
    # indexed filter whatever the kind.
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+", verbose_name=_("county"))
    township = models.ForeignKey(
        Township,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="party_organizations",
        verbose_name=_("township"),
    )
    village = models.ForeignKey(
        Village,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="party_organizations",
        verbose_name=_("village"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="party_organizations",
        verbose_name=_("county department"),
    )

    class Meta:
        ordering = ["county_id", "township_id", "village_id", "name"]
        verbose_name = _("party organization")
        verbose_name_plural = _("party organizations")
        constraints = [
            models.CheckConstraint(
                name="party_org_attachment_matches_kind",
                condition=(
                    Q(
                        kind="township_committee",
                        township__isnull=False,
                        village__isnull=True,
                        department__isnull=True,
                    )
                    | Q(
                        kind__in=["village_committee", "village_general_branch", "village_branch"],
                        township__isnull=False,
                        village__isnull=False,
                        department__isnull=True,
                    )
                    | Q(
                        kind="department",
                        department__isnull=False,
                        township__isnull=True,
                        village__isnull=True,
                    )
                    | Q(kind="industry", department__isnull=True, township__isnull=False)
                ),
            ),
            # One main organization per village and one committee per township.
            models.UniqueConstraint(
                fields=["village"],
                condition=Q(kind__in=["village_committee", "village_general_branch", "village_branch"]),
                name="one_main_party_org_per_village",
            ),
            models.UniqueConstraint(
                fields=["township"], condition=Q(kind="township_committee"), name="one_committee_per_township"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("villages:party_org_detail", args=[self.pk])

    @property
    def is_village_level(self):
        return self.kind in self.VILLAGE_KINDS

    def clean(self):
        """Attach the organization where its kind says, with each message beside its field.

        The township follows the village, and the county follows the township or
        department, so that a form only asks for what the kind needs.
        """
        Kind = self.Kind
        errors = {}
        if self.village_id:
            self.township_id = self.village.township_id
        if self.township_id:
            self.county_id = self.township.county_id
        elif self.department_id:
            self.county_id = self.department.county_id
        if self.kind in self.VILLAGE_KINDS:
            if not self.village_id:
                errors["village"] = _("A village party organization needs its village.")
            self.department = None
        elif self.kind == Kind.TOWNSHIP_COMMITTEE:
            if not self.township_id:
                errors["township"] = _("A township party committee needs its township.")
            self.village = None
            self.department = None
        elif self.kind == Kind.DEPARTMENT:
            if not self.department_id:
                errors["department"] = _("A county department organization needs its department.")
            self.township = None
            self.village = None
        elif self.kind == Kind.INDUSTRY:
            if not self.township_id:
                errors["township"] = _("An industry or cooperative organization needs its township.")
            self.department = None
        if self.kind in self.VILLAGE_KINDS and self.village_id and "village" not in errors:
            other = (
                PartyOrganization.objects.filter(village_id=self.village_id, kind__in=self.VILLAGE_KINDS)
                .exclude(pk=self.pk)
                .first()
            )
            if other is not None:
                errors["village"] = _("This village already has its party organization: %(name)s.") % {
                    "name": other.name
                }
        if self.kind == Kind.TOWNSHIP_COMMITTEE and self.township_id and "township" not in errors:
            other = (
                PartyOrganization.objects.filter(township_id=self.township_id, kind=Kind.TOWNSHIP_COMMITTEE)
                .exclude(pk=self.pk)
                .first()
            )
            if other is not None:
                errors["township"] = _("This township already has its party committee: %(name)s.") % {
                    "name": other.name
                }
        if self.parent_id:
            errors.update(self._parent_errors())
        if errors:
            raise ValidationError(errors)

    def _parent_errors(self):
        if self.pk and self.parent_id == self.pk:
            return {"parent": _("An organization cannot be its own parent.")}
        if self.county_id and self.parent.county_id != self.county_id:
            return {"parent": _("The parent organization must be in the same county.")}
        # Walk up from the new parent: meeting this organization would make a loop.
        seen, node = set(), self.parent
        while node is not None and node.pk not in seen:
            if self.pk and node.pk == self.pk:
                return {"parent": _("The parent cannot be one of this organization's own sub-organizations.")}
            seen.add(node.pk)
            node = node.parent
        return {}
