"""The holiday calendar: county administrators add, change and remove its days."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from appraisal.holidays import Holiday
from appraisal.services.common import _require_role
from campaign.roles import Role

CALENDAR_EDITORS = (Role.COUNTY_ADMIN,)


def _check(holiday):
    """The rules a day must keep, each refused with a message beside its field."""
    errors = {}
    if not (holiday.name or "").strip():
        errors["name"] = [_("Give the day a name (e.g. 国庆节).")]
    if holiday.kind not in Holiday.Kind.values:
        errors["kind"] = [_("Choose whether the day is a holiday or a make-up working day.")]
    elif holiday.date and holiday.kind == Holiday.Kind.WORKDAY and holiday.date.weekday() < 5:
        errors["kind"] = [
            _("A make-up working day is a Saturday or a Sunday; %(date)s is a weekday already.")
            % {"date": f"{holiday.date:%Y-%m-%d}"}
        ]
    if holiday.date:
        other = Holiday.objects.filter(date=holiday.date).exclude(pk=holiday.pk).first()
        if other is not None:
            errors["date"] = [
                _("%(date)s is already in the calendar as %(kind)s (%(name)s): change that entry instead.")
                % {"date": f"{other.date:%Y-%m-%d}", "kind": other.get_kind_display(), "name": other.name}
            ]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def holiday_save(*, user, date, kind, name, holiday=None):
    """Add a day to the calendar, or change one (``holiday``); a date is in the calendar at most once."""
    _require_role(user, *CALENDAR_EDITORS)
    if holiday is not None:
        holiday = Holiday.objects.select_for_update().get(pk=holiday.pk)
    else:
        holiday = Holiday()
    holiday.date, holiday.kind, holiday.name = date, kind, (name or "").strip()
    holiday.updated_by = user
    _check(holiday)
    try:
        # A savepoint: two people entering the same date at once get the message, not a 500.
        with transaction.atomic():
            holiday.save()
    except IntegrityError:
        raise ValidationError(
            {"date": [_("%(date)s is already in the calendar.") % {"date": f"{date:%Y-%m-%d}"}]}
        ) from None
    return holiday


@transaction.atomic
def holiday_delete(*, user, holiday):
    _require_role(user, *CALENDAR_EDITORS)
    Holiday.objects.filter(pk=holiday.pk).delete()
