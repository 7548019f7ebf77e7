"""The holiday calendar (法定节假日 and 调休上班日) that working days are counted on.

One national calendar: statutory holidays and make-up working days are set by the State Council
for the whole country, so every county (and the city, for its own notices) counts on the same rows.
County administrators keep it (a page of their own); every row records who changed it last.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Holiday(models.Model):
    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("statutory holiday")
        WORKDAY = "workday", _("make-up working day")

    # One row per date: a date cannot be entered twice, nor be both a holiday and a make-up day.
    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=50)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("holiday calendar day")
        verbose_name_plural = _("holiday calendar")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["holiday", "workday"]), name="holiday_kind_valid"
            )
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.name}"
