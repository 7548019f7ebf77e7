"""Writes of the indicators: sheets (save, submit, return, confirm, reopen), windows, targets, settings.

Each service checks the role (403) and the state, locks the row, writes, and records a
``SheetEvent`` for a sheet. Scope (404) is the view's business, through ``indicators.selectors``;
the services check it again so that a task or a command cannot write outside it.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaign.roles import Role
from indicators import catalogue, derived
from indicators.figures import indicator_set
from indicators.models import (
    CollectionWindow,
    ExtraIndicator,
    ExtraValue,
    IndicatorSetting,
    IndicatorSheet,
    SheetEvent,
    Target,
)
from indicators.targets import PROVINCE_SOURCE, PROVINCE_TARGETS

Status = IndicatorSheet.Status
Action = SheetEvent.Action
EDITORS = (Role.TOWNSHIP, Role.VILLAGE)
REOPENERS = (Role.TOWNSHIP, Role.COUNTY_ADMIN)
# Sanity limits of an entered figure: a typo of a few extra digits is refused, not stored.
MAX_COUNT = 100_000
MAX_AMOUNT = Decimal("99999999.99")


# --- who may do what ------------------------------------------------------------------------------


def in_scope(user, village):
    """Whether ``village`` is within the user's own place (the services' second look at scope)."""
    if user.role == Role.VILLAGE:
        return village.pk == user.village_id
    if user.role == Role.TOWNSHIP:
        return village.township_id == user.township_id
    if user.role == Role.COUNTY_ADMIN:
        return village.township.county_id == user.county_id
    return False


def window_refusal(window, user, today):
    """Why the window stops ``user`` from entering figures today, or None."""
    if window is None:
        return _("The county has not opened the collection of this year's figures.")
    if not window.has_opened(today):
        return _("The collection opens on %(date)s.") % {"date": window.opens_on.isoformat()}
    if user.role == Role.VILLAGE and window.has_closed(today):
        return _("The collection closed on %(date)s; ask your township to enter the figures.") % {
            "date": window.closes_on.isoformat()
        }
    return None


def edit_refusal(*, user, village, sheet, window, today=None):
    """Why ``user`` may not change the figures of this sheet now (a sentence), or None if they may."""
    today = today or timezone.localdate()
    if user.role not in EDITORS or not in_scope(user, village):
        return _("Only the township, or the village for its own sheet, enters the figures.")
    status = sheet.status if sheet is not None else Status.DRAFT
    if status == Status.CONFIRMED:
        return _("The township confirmed this sheet; it must be reopened before anything changes.")
    if user.role == Role.VILLAGE and status == Status.SUBMITTED:
        return _(
            "The sheet was submitted to the township; it can be changed again if the township returns it."
        )
    return window_refusal(window, user, today)


def _require_editor(user, village, sheet, window, today):
    if user.role not in EDITORS:
        raise PermissionDenied
    if not in_scope(user, village):
        raise PermissionDenied
    refusal = edit_refusal(user=user, village=village, sheet=sheet, window=window, today=today)
    if refusal:
        raise ValidationError(refusal)


# --- values ------------------------------------------------------------------------------------


def parse_value(definition, raw):
    """The value of one entered figure from text or a number; ``ValidationError`` with a sentence."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if definition.type == catalogue.Type.CONDITION:
        text = str(raw).strip()
        labels = {}
        for value, label in IndicatorSheet.VenueCondition.choices:
            labels[value] = value
            labels[str(label)] = value
        if text not in labels:
            raise ValidationError(
                _("Choose one of: %(choices)s.")
                % {"choices": "、".join(str(label) for label in IndicatorSheet.VenueCondition.labels)}
            )
        return labels[text]
    text = str(raw).strip().replace(",", "").replace("，", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValidationError(_("“%(value)s” is not a number.") % {"value": text}) from None
    if not number.is_finite():
        raise ValidationError(_("“%(value)s” is not a number.") % {"value": text})
    if number < 0:
        raise ValidationError(_("A figure cannot be negative."))
    if definition.type in (catalogue.Type.COUNT, catalogue.Type.AREA):
        if number != number.to_integral_value():
            raise ValidationError(_("Enter a whole number."))
        if number > MAX_COUNT:
            raise ValidationError(_("%(value)s is not plausible here; check the figure.") % {"value": text})
        return int(number)
    places = 1 if definition.code == "training_days" else 2
    if number != number.quantize(Decimal(1).scaleb(-places)):
        raise ValidationError(
            _("Use at most %(n)s decimal places.") % {"n": places},
        )
    if number > MAX_AMOUNT or (places == 1 and number > Decimal("9999.9")):
        raise ValidationError(_("%(value)s is not plausible here; check the figure.") % {"value": text})
    return number


def check_parts(values, indicators, derived_values=None):
    """``{code: message}`` for parts above their whole, or given without it (shares are never typed)."""
    errors = {}
    known = {**(derived_values or {}), **values}
    for definition in indicators.entered:
        if not definition.whole:
            continue
        part = values.get(definition.code)
        if part is None:
            continue
        whole_definition = indicators.get(definition.whole) or catalogue.definition(definition.whole)
        whole_label = whole_definition.name if whole_definition else definition.whole
        whole = known.get(definition.whole)
        if whole is None:
            errors[definition.code] = _("Enter “%(whole)s” first: this figure is a part of it.") % {
                "whole": whole_label
            }
        elif part > whole:
            errors[definition.code] = _("It cannot be more than “%(whole)s” (%(value)s).") % {
                "whole": whole_label,
                "value": whole,
            }
    return errors


def _jsonable(value):
    if isinstance(value, Decimal):
        return str(value.normalize()) if value == value.to_integral_value() else str(value)
    return value


# --- sheets ------------------------------------------------------------------------------------


def _locked_sheet(village, year):
    """The village's sheet of ``year``, locked; created (empty) if it does not exist yet."""
    sheet = IndicatorSheet.objects.select_for_update().filter(village=village, year=year).first()
    if sheet is not None:
        return sheet
    try:
        with transaction.atomic():
            IndicatorSheet.objects.create(
                village=village,
                county_id=village.township.county_id,
                township_id=village.township_id,
                year=year,
            )
    except IntegrityError:
        pass  # another request made it first
    return IndicatorSheet.objects.select_for_update().get(village=village, year=year)


def _event(sheet, user, action, *, from_status="", comment="", changes=None):
    SheetEvent.objects.create(
        sheet=sheet,
        actor=user,
        action=action,
        from_status=from_status,
        to_status=sheet.status,
        comment=comment,
        changes=changes or {},
    )


@transaction.atomic
def sheet_save(
    *, village, year, values, user, extras=None, today=None, action=Action.SAVED, expected_updated=None
):
    """Store entered figures of a village's sheet (built-in ``values`` and county ``extras`` by code).

    Only the codes given are changed; ``None`` clears a figure. Raises ``ValidationError`` with a
    message per code (nothing is written then). ``expected_updated`` (the ``updated_at`` the form
    was shown) refuses a save over someone else's newer one. Returns the sheet.
    """
    today = today or timezone.localdate()
    window = CollectionWindow.objects.filter(county_id=village.township.county_id, year=year).first()
    existing = IndicatorSheet.objects.filter(village=village, year=year).first()
    _require_editor(user, village, existing, window, today)
    sheet = _locked_sheet(village, year)
    _require_editor(user, village, sheet, window, today)
    if expected_updated is not None and existing is not None and sheet.updated_at != expected_updated:
        raise ValidationError(
            _("Someone else saved this sheet after you opened it. Reload it to see their figures.")
        )
    indicators = indicator_set(village.township.county_id)
    extras = extras or {}
    unknown = [c for c in values if c not in catalogue.ENTERED_CODES]
    if unknown:
        raise ValueError(f"not entered figures: {unknown}")
    current = {code: getattr(sheet, code) for code in catalogue.ENTERED_CODES}
    current = {k: (None if v == "" else v) for k, v in current.items()}
    extra_rows = {v.indicator.code: v for v in sheet.extra_values.select_related("indicator")}
    current.update({code: row.value for code, row in extra_rows.items()})
    proposed = {**current, **values, **extras}
    live = derived.village_figures_on(village, derived.as_of_for(year, today))
    errors = check_parts(proposed, indicators, live)
    if errors:
        raise ValidationError(errors)
    changes = {}
    for code, value in values.items():
        if current.get(code) != value:
            changes[code] = [_jsonable(current.get(code)), _jsonable(value)]
            setattr(sheet, code, "" if value is None and code == "venue_condition" else value)
    by_code = {d.code: d for d in indicators.extras}
    for code, value in extras.items():
        definition = by_code.get(code)
        if definition is None:
            raise ValueError(f"not a county indicator in use: {code}")
        if current.get(code) == value:
            continue
        changes[code] = [_jsonable(current.get(code)), _jsonable(value)]
        row = extra_rows.get(code)
        if value is None:
            if row is not None:
                row.delete()
        elif row is None:
            ExtraValue.objects.create(sheet=sheet, indicator_id=definition.extra_id, value=value)
        else:
            row.value = value
            row.save(update_fields=["value"])
    if changes:
        sheet.full_clean(exclude=["village", "county", "township"])
        sheet.save()
        _event(sheet, user, action, from_status=sheet.status, changes=changes)
    return sheet


def _lock(sheet):
    return IndicatorSheet.objects.select_for_update().select_related("village__township").get(pk=sheet.pk)


def _stale(sheet, *expected):
    if sheet.status not in expected:
        raise ValidationError(
            _("This sheet is now “%(status)s”; reload the page.") % {"status": sheet.get_status_display()}
        )


def missing_figures(sheet):
    """Labels of the entered figures (in use in the county) still empty on ``sheet``."""
    indicators = indicator_set(sheet.county_id)
    extras = set(sheet.extra_values.values_list("indicator__code", flat=True))
    missing = []
    for definition in indicators.entered:
        if definition.builtin:
            value = getattr(sheet, definition.code)
            if value is None or value == "":
                missing.append(str(definition.name))
        elif definition.code not in extras:
            missing.append(str(definition.name))
    return missing


@transaction.atomic
def sheet_submit(*, sheet, user, today=None):
    """The village hands its filled-in sheet to the township (draft → submitted)."""
    today = today or timezone.localdate()
    if user.role != Role.VILLAGE or sheet.village_id != user.village_id:
        raise PermissionDenied
    sheet = _lock(sheet)
    _stale(sheet, Status.DRAFT)
    refusal = window_refusal(
        CollectionWindow.objects.filter(county_id=sheet.county_id, year=sheet.year).first(), user, today
    )
    if refusal:
        raise ValidationError(refusal)
    missing = missing_figures(sheet)
    if missing:
        raise ValidationError(
            _("Fill in every figure before submitting; missing: %(list)s.") % {"list": "、".join(missing)}
        )
    sheet.status = Status.SUBMITTED
    sheet.submitted_at = timezone.now()
    sheet.return_reason = ""
    sheet.save()
    _event(sheet, user, Action.SUBMITTED, from_status=Status.DRAFT)
    _notify_township(sheet)
    return sheet


def _notify_township(sheet):
    from campaign.models import User
    from campaign.notifications import notify

    users = User.objects.filter(role=Role.TOWNSHIP, township_id=sheet.township_id, is_active=True)
    notify(
        users=users,
        title=_("%(village)s submitted its %(year)s indicator sheet")
        % {"village": sheet.village.name, "year": sheet.year},
        body=_("Check the figures and confirm the sheet."),
        url=sheet.get_absolute_url(),
    )


@transaction.atomic
def sheet_return(*, sheet, user, reason):
    """The township sends a submitted sheet back to the village, with the reason (submitted → draft)."""
    if user.role != Role.TOWNSHIP or sheet.township_id != user.township_id:
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say what the village should correct.")})
    sheet = _lock(sheet)
    _stale(sheet, Status.SUBMITTED)
    sheet.status = Status.DRAFT
    sheet.return_reason = reason
    sheet.save()
    _event(sheet, user, Action.RETURNED, from_status=Status.SUBMITTED, comment=reason)
    from campaign.models import User
    from campaign.notifications import notify

    notify(
        users=User.objects.filter(role=Role.VILLAGE, village_id=sheet.village_id, is_active=True),
        title=_("Your %(year)s indicator sheet was returned") % {"year": sheet.year},
        body=reason,
        url=sheet.get_absolute_url(),
    )
    return sheet


def freeze(sheet, as_of):
    """Store the registry figures of ``as_of`` on the sheet (not saved)."""
    figures = derived.village_figures_on(sheet.village, as_of)
    for name in derived.FIELDS:
        value = figures[name]
        setattr(
            sheet, name, "" if value is None and name in ("secretary_name", "secretary_education") else value
        )
    sheet.derived_as_of = as_of


@transaction.atomic
def sheet_confirm(*, sheet, user, today=None):
    """The township confirms a complete sheet: read-only from now on, registry figures frozen, dated."""
    today = today or timezone.localdate()
    if user.role != Role.TOWNSHIP or sheet.township_id != user.township_id:
        raise PermissionDenied
    sheet = _lock(sheet)
    _stale(sheet, Status.DRAFT, Status.SUBMITTED)
    window = CollectionWindow.objects.filter(county_id=sheet.county_id, year=sheet.year).first()
    refusal = window_refusal(window, user, today)
    if refusal:
        raise ValidationError(refusal)
    missing = missing_figures(sheet)
    if missing:
        raise ValidationError(
            _("The sheet cannot be confirmed while figures are missing: %(list)s.")
            % {"list": "、".join(missing)}
        )
    previous = sheet.status
    if not (sheet.is_frozen and today.year > sheet.year):
        freeze(sheet, derived.as_of_for(sheet.year, today))
    sheet.status = Status.CONFIRMED
    sheet.confirmed_at = timezone.now()
    sheet.confirmed_by = user
    sheet.return_reason = ""
    sheet.save()
    _event(sheet, user, Action.CONFIRMED, from_status=previous, comment=sheet.derived_as_of.isoformat())
    return sheet


def _unfreeze(sheet):
    for name in derived.FIELDS:
        setattr(sheet, name, "" if name in ("secretary_name", "secretary_education") else None)
    sheet.derived_as_of = None


@transaction.atomic
def sheet_reopen(*, sheet, user, reason, today=None):
    """Reopen a confirmed sheet (township or county administrator), with the reason, as an event.

    Within its year the registry figures go live again; a past year's sheet keeps the figures
    frozen at its confirmation (last year's sheets never follow today's registry).
    """
    today = today or timezone.localdate()
    if user.role not in REOPENERS or not in_scope(user, sheet.village):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the sheet is reopened.")})
    sheet = _lock(sheet)
    _stale(sheet, Status.CONFIRMED)
    sheet.status = Status.DRAFT
    sheet.confirmed_at = None
    sheet.confirmed_by = None
    if today.year <= sheet.year:
        _unfreeze(sheet)
    sheet.save()
    _event(sheet, user, Action.REOPENED, from_status=Status.CONFIRMED, comment=reason)
    return sheet


# --- the year's end and the weekly reminder ------------------------------------------------------


def freeze_past_years(today=None):
    """Freeze, as of 31 December, the registry figures of every past year's sheet still live.

    Villages of a county with a window that year but no sheet get an (empty) sheet holding them, so
    that the trend of a past year never reads today's registry. Idempotent. Returns the number frozen.
    """
    from villages.models import Village

    today = today or timezone.localdate()
    frozen = 0
    for window in CollectionWindow.objects.filter(year__lt=today.year).order_by("year", "county_id"):
        as_of = datetime.date(window.year, 12, 31)
        villages = Village.objects.filter(township__county_id=window.county_id)
        have = set(
            IndicatorSheet.objects.filter(county_id=window.county_id, year=window.year).values_list(
                "village_id", flat=True
            )
        )
        missing = [v for v in villages.select_related("township") if v.pk not in have]
        if missing:
            IndicatorSheet.objects.bulk_create(
                [
                    IndicatorSheet(
                        village=v, county_id=window.county_id, township_id=v.township_id, year=window.year
                    )
                    for v in missing
                ],
                ignore_conflicts=True,
            )
        live = IndicatorSheet.objects.filter(
            county_id=window.county_id, year=window.year, derived_as_of__isnull=True
        )
        if not live.exists():
            continue
        figures = derived.registry_figures(villages, as_of, [window.county_id])
        with transaction.atomic():
            for sheet in live.select_for_update().select_related("village"):
                values = figures.get(sheet.village_id) or derived.empty()
                for name in derived.FIELDS:
                    value = values[name]
                    setattr(
                        sheet,
                        name,
                        "" if value is None and name in ("secretary_name", "secretary_education") else value,
                    )
                sheet.derived_as_of = as_of
                sheet.save()
                _event(sheet, None, Action.FROZEN, from_status=sheet.status, comment=as_of.isoformat())
                frozen += 1
    return frozen


def remind_townships(today=None):
    """Remind every township user whose villages' sheets are not all confirmed, once a week.

    Runs while a county's collection has opened and the year is not over. Returns the number of
    notifications sent.
    """
    from django.db.models import Count, Q
    from django.urls import reverse

    from campaign.models import User
    from campaign.notifications import notify
    from villages.models import Township

    today = today or timezone.localdate()
    week = today.isocalendar()
    sent = 0
    windows = CollectionWindow.objects.filter(opens_on__lte=today, year__gte=today.year)
    for window in windows:
        townships = (
            Township.objects.filter(county_id=window.county_id)
            .annotate(
                villages_total=Count("villages", distinct=True),
                confirmed=Count(
                    "villages__indicator_sheets",
                    filter=Q(
                        villages__indicator_sheets__year=window.year,
                        villages__indicator_sheets__status=Status.CONFIRMED,
                    ),
                    distinct=True,
                ),
            )
            .order_by("code")
        )
        users = {}
        for u in User.objects.filter(role=Role.TOWNSHIP, county_id=window.county_id, is_active=True):
            users.setdefault(u.township_id, []).append(u)
        for township in townships:
            left = township.villages_total - township.confirmed
            if left <= 0 or township.pk not in users:
                continue
            if window.has_closed(today):
                body = _("The collection closed on %(date)s: confirm the remaining sheets now.") % {
                    "date": window.closes_on.isoformat()
                }
            else:
                body = _("The collection closes on %(date)s.") % {"date": window.closes_on.isoformat()}
            sent += notify(
                users=users[township.pk],
                title=_("Village indicators %(year)s: %(left)s of %(total)s villages not confirmed")
                % {"year": window.year, "left": left, "total": township.villages_total},
                body=body,
                url=reverse("indicators:township", args=[township.pk]) + f"?year={window.year}",
                key=f"indicators-reminder:{township.pk}:{window.year}:{week[0]}-W{week[1]:02d}",
            )
    return sent


# --- the county's settings --------------------------------------------------------------------


def _require_county_admin(user, county_id):
    if user.role != Role.COUNTY_ADMIN or user.county_id != county_id:
        raise PermissionDenied


@transaction.atomic
def window_save(*, county, year, opens_on, closes_on, user):
    """Open (or move) the year's collection window; the year's targets are seeded the first time."""
    _require_county_admin(user, county.pk)
    window = CollectionWindow.objects.select_for_update().filter(county=county, year=year).first()
    window = window or CollectionWindow(county=county, year=year)
    window.opens_on = opens_on
    window.closes_on = closes_on
    window.full_clean()
    window.save()
    targets_seed(county=county, year=year)
    return window


def targets_seed(*, county, year):
    """The year's targets if it has none: last year's copied, or else the province's list."""
    if Target.objects.filter(county=county, year=year).exists():
        return []
    previous = (
        Target.objects.filter(county=county, year__lt=year)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    if previous is not None:
        rows = [
            Target(
                county=county,
                year=year,
                kind=t.kind,
                indicator=t.indicator,
                denominator=t.denominator,
                comparison=t.comparison,
                threshold=t.threshold,
                share_required=t.share_required,
                source=t.source,
                order=t.order,
            )
            for t in Target.objects.filter(county=county, year=previous)
        ]
    else:
        rows = [
            Target(county=county, year=year, source=PROVINCE_SOURCE, order=i, **spec)
            for i, spec in enumerate(PROVINCE_TARGETS, start=1)
        ]
    return Target.objects.bulk_create(rows, ignore_conflicts=True)


def _check_target(target, indicators):
    errors = {}
    definition = indicators.get(target.indicator)
    if definition is None or definition.type in catalogue.NOT_NUMERIC:
        errors["indicator"] = _("Choose an indicator in use in the county.")
    if target.kind == Target.Kind.RATIO_OF_SUMS:
        if not target.denominator or indicators.get(target.denominator) is None:
            errors["denominator"] = _("A ratio of sums needs the figure it is divided by.")
    else:
        target.denominator = ""
    if target.kind == Target.Kind.SHARE_OF_VILLAGES:
        if target.share_required is None:
            errors["share_required"] = _("Say which share of villages must pass the test.")
    else:
        target.share_required = None
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def target_save(*, user, county, year, target=None, **fields):
    """Create or change one of the county's targets of ``year``."""
    _require_county_admin(user, county.pk)
    target = target or Target(county=county, year=year)
    if target.pk and (target.county_id != county.pk):
        raise PermissionDenied
    for name, value in fields.items():
        setattr(target, name, value)
    _check_target(target, indicator_set(county.pk))
    try:
        target.full_clean()
    except ValidationError as error:
        if "__all__" in getattr(error, "error_dict", {}):
            raise ValidationError(
                _("The county already has this target for %(year)s.") % {"year": year}
            ) from error
        raise
    target.save()
    return target


@transaction.atomic
def target_delete(*, user, target):
    _require_county_admin(user, target.county_id)
    target.delete()


@transaction.atomic
def setting_save(*, user, county, code, enabled):
    """Switch a built-in indicator on or off in the county."""
    _require_county_admin(user, county.pk)
    if code not in catalogue.BY_CODE:
        raise ValidationError(_("Unknown indicator."))
    IndicatorSetting.objects.update_or_create(county=county, code=code, defaults={"enabled": enabled})


@transaction.atomic
def extra_save(*, user, county, extra=None, **fields):
    """Create or change one of the county's own indicators."""
    _require_county_admin(user, county.pk)
    extra = extra or ExtraIndicator(county=county)
    if extra.pk and extra.county_id != county.pk:
        raise PermissionDenied
    for name, value in fields.items():
        setattr(extra, name, value)
    errors = {}
    if extra.code in catalogue.BY_CODE:
        errors["code"] = _("This code is a built-in indicator's; choose another.")
    elif ExtraIndicator.objects.filter(county=county, code=extra.code).exclude(pk=extra.pk).exists():
        errors["code"] = _("The county already has an indicator with this code.")
    if extra.whole:
        whole = catalogue.definition(extra.whole)
        whole_is_extra = (
            ExtraIndicator.objects.filter(county=county, code=extra.whole).exclude(pk=extra.pk).exists()
        )
        if not whole_is_extra and (whole is None or whole.type != catalogue.Type.COUNT):
            errors["whole"] = _("A part must belong to a count (a number of persons or units).")
    if errors:
        raise ValidationError(errors)
    extra.full_clean()
    extra.save()
    return extra
