"""Users and their roles, the annual campaign round, in-app notifications."""

from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from campaign.roles import COUNTY_ROLES, Role
from campaign.validators import validate_name


class User(AbstractUser):
    Role = Role

    # Printed in histories and PDFs: the shared name rules apply (campaign/validators.py).
    first_name = models.CharField(_("first name"), max_length=150, blank=True, validators=[validate_name])
    last_name = models.CharField(_("last name"), max_length=150, blank=True, validators=[validate_name])
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, default=Role.VILLAGE)
    city = models.ForeignKey(
        "villages.City",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("city"),
    )
    county = models.ForeignKey(
        "villages.County",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("county"),
    )
    township = models.ForeignKey(
        "villages.Township",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("township"),
    )
    village = models.ForeignKey(
        "villages.Village",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("village"),
    )
    department = models.ForeignKey(
        "villages.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("county department"),
    )
    # A county reviewer with an area sees only those townships; without one,
    # the whole county.
    organizer_area = models.ForeignKey(
        "cadres.OrganizerArea",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("organizer's area"),
    )
    # Set when an administrator chose the password (a new account, a reset): the user picks their own
    # before anything else (campaign.accounts.middleware). Demo users and createsuperuser leave it off.
    must_change_password = models.BooleanField(
        _("must change the password at next login"), default=False, db_default=False
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                name="user_attachment_matches_role",
                condition=(
                    Q(is_superuser=True)
                    | Q(role__in=[r.value for r in COUNTY_ROLES], county__isnull=False)
                    | Q(role=Role.TOWNSHIP, township__isnull=False, county__isnull=False)
                    | Q(
                        role=Role.VILLAGE, village__isnull=False, township__isnull=False, county__isnull=False
                    )
                    | Q(role=Role.DEPARTMENT, department__isnull=False, county__isnull=False)
                    | Q(role=Role.CITY, city__isnull=False)
                ),
            )
        ]

    @property
    def is_county_staff(self):
        return self.role in COUNTY_ROLES

    @property
    def scope_label(self):
        """Where this user works, for the navigation bar."""
        for place in (self.village, self.department, self.township, self.county, self.city):
            if place is not None:
                return str(place)
        return ""


class Campaign(models.Model):
    """One year's round of the campaign in a county, with its deadlines and settings."""

    county = models.ForeignKey(
        "villages.County", on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("county")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    name = models.CharField(_("name"), max_length=100, validators=[validate_name])
    self_report_deadline = models.DateField(_("self-report deadline"), null=True, blank=True)
    township_check_deadline = models.DateField(_("township check deadline"), null=True, blank=True)
    county_recheck_deadline = models.DateField(_("county re-check deadline"), null=True, blank=True)
    approval_deadline = models.DateField(_("approval deadline"), null=True, blank=True)
    notice_working_days = models.PositiveSmallIntegerField(
        _("public notice length (working days)"), default=5, validators=[MinValueValidator(1)]
    )
    title_validity_years = models.PositiveSmallIntegerField(
        _("title validity (years)"), default=3, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    # The window in which townships and villages rate the county departments (下评).
    rating_opens_on = models.DateField(_("ratings open"), null=True, blank=True)
    rating_closes_on = models.DateField(_("ratings close"), null=True, blank=True)
    five_star_cap_percent = models.PositiveSmallIntegerField(
        _("five-star share cap (%)"),
        null=True,
        blank=True,
        default=10,
        validators=[MaxValueValidator(100)],
    )

    class Meta:
        ordering = ["county_id", "-year"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.UniqueConstraint(fields=["county", "year"], name="one_campaign_per_county_year")
        ]

    def __str__(self):
        return self.name

    def rating_open(self, today):
        return bool(
            self.rating_opens_on
            and self.rating_closes_on
            and self.rating_opens_on <= today <= self.rating_closes_on
        )


class Notification(models.Model):
    """An in-app message to one user: a reminder or a workflow event."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    # Identifies what the notification is about (e.g. "title-expiry:42:90") so
    # that a reminder is sent once, however often its task runs.
    key = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], condition=~Q(key=""), name="notification_once_per_key"
            )
        ]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self):
        return self.title


class BackgroundJob(models.Model):
    """When a job run by a Celery worker was queued and started, and by which worker (campaign/jobs.py).

    Subclasses name their waiting and working statuses and the setting that holds their task's
    hard time limit; past it, a page offers to start the job again ("probably interrupted").
    """

    QUEUED_STATUSES = ("queued",)
    RUNNING_STATUSES = ("running",)
    TIME_LIMIT_SETTING = "CELERY_TASK_TIME_LIMIT"

    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    started_by = models.CharField(_("worker"), max_length=200, blank=True)

    class Meta:
        abstract = True

    @property
    def time_limit(self):
        from django.conf import settings

        return getattr(settings, self.TIME_LIMIT_SETTING)

    @property
    def waiting_since(self):
        """Since when the job has been queued or running (None when it is neither)."""
        if self.status in self.RUNNING_STATUSES:
            return self.started_at or self.queued_at
        if self.status in self.QUEUED_STATUSES:
            return self.queued_at
        return None

    @property
    def is_overdue(self):
        from campaign.jobs import is_overdue

        return is_overdue(self.waiting_since, self.time_limit)
