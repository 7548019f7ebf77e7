"""The sheets' Excel round trip: a township's workbook (template and export alike) and its import plan.

The workbook has one row per village: its codes and name and the year, then one white column per
entered figure, then grey, locked columns for the registry figures and the computed shares (shown,
never read back). Importing goes through the registry importer's job (``villages.importer``):
preview with every bad row, all-or-nothing apply, the problems as a workbook. Re-importing an
exported workbook changes nothing: both directions use the columns defined here.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook as OpenpyxlWorkbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation

from indicators import catalogue, derived, services
from indicators.catalogue import Type
from indicators.figures import indicator_sets
from indicators.models import CollectionWindow, IndicatorSheet, SheetEvent
from indicators.templatetags.indicator_tags import format_figure
from villages.importer.xlsx import Workbook, cell_text, column_letter
from villages.models import Village

PLAN_NAME = "indicator_sheets"
HEADER_SEARCH_ROWS = 5
LANGUAGES = ("zh-hans", "en")
GREY = PatternFill("solid", fgColor="E9ECEF")
YELLOW = PatternFill("solid", fgColor="FFF2CC")
KEYS = (
    ("township", gettext_lazy("Township code")),
    ("village", gettext_lazy("Village code")),
    ("name", gettext_lazy("Village name")),
    ("year", gettext_lazy("Year")),
)


def norm(text):
    return "".join(str(text).split()).replace("*", "").lower()


def header(definition):
    unit = str(definition.unit) if definition.unit and definition.type != Type.SHARE else ""
    return f"{definition.name}（{unit}）" if unit else str(definition.name)


def _help(definition):
    if definition.is_derived:
        return _("From the registry; read-only")
    if definition.is_computed:
        return _("Computed; read-only")
    if definition.type == Type.CONDITION:
        return "、".join(str(label) for label in IndicatorSheet.VenueCondition.labels)
    if definition.whole:
        return _("Whole number, not above its whole")
    if definition.type in (Type.COUNT, Type.AREA):
        return _("Whole number of 0 or more")
    return _("Number of 0 or more")


def columns(indicators):
    """``(entered, shown)``: the definitions of the white columns and of the grey ones."""
    entered = indicators.entered
    shown = [d for d in indicators if not d.is_entered]
    return entered, shown


def workbook(rows_by_township, indicators, year):
    """An openpyxl workbook: one sheet per township, in the user's language, derived columns locked."""
    book = OpenpyxlWorkbook()
    book.remove(book.active)
    entered, shown = columns(indicators)
    headers = [str(label) for _key, label in KEYS] + [header(d) for d in entered] + [header(d) for d in shown]
    helps = [_("Do not change"), _("Do not change"), _("For reading"), _("Do not change")]
    helps += [_help(d) for d in entered] + [_help(d) for d in shown]
    first_entered = len(KEYS)
    first_shown = first_entered + len(entered)
    for title, rows in rows_by_township:
        sheet = book.create_sheet(title=title[:31])
        sheet.append(headers)
        sheet.append(helps)
        for row in rows:
            values = [row.township_code, row.code, row.name, year]
            for d in entered:
                value = row.values.get(d.code)
                if d.type == Type.CONDITION:
                    value = format_figure(value, d) if value else None
                elif isinstance(value, Decimal):
                    value = float(value)
                values.append(value)
            for d in shown:
                value = row.values.get(d.code)
                values.append(None if value is None else format_figure(value, d, unit=False))
            sheet.append(values)
        last = sheet.max_row
        for index, text in enumerate(headers):
            letter = column_letter(index)
            sheet.column_dimensions[letter].width = max(10, min(28, len(text) * 2 + 2))
            head = sheet[f"{letter}1"]
            head.font = Font(bold=True)
            head.alignment = Alignment(wrap_text=True, vertical="top")
            head.fill = GREY if index >= first_shown or index < first_entered else YELLOW
            note = sheet[f"{letter}2"]
            note.font = Font(italic=True, color="595959")
            note.alignment = Alignment(wrap_text=True, vertical="top")
            for number in range(3, last + 1):
                cell = sheet[f"{letter}{number}"]
                if first_entered <= index < first_shown:
                    cell.protection = Protection(locked=False)
                else:
                    cell.fill = GREY
            if index < 2:
                sheet.column_dimensions[letter].number_format = "@"
        # Room below the villages for nothing: the rows are the township's villages.
        condition = next((i for i, d in enumerate(entered) if d.type == Type.CONDITION), None)
        if condition is not None and last >= 3:
            letter = column_letter(first_entered + condition)
            labels = [str(label) for label in IndicatorSheet.VenueCondition.labels]
            validation = DataValidation(type="list", formula1='"' + ",".join(labels) + '"', allow_blank=True)
            sheet.add_data_validation(validation)
            validation.add(f"{letter}3:{letter}{last}")
        # Locked cells (codes, registry figures, shares) cannot be typed over in Excel or WPS;
        # no password: the protection says "read-only", it does not guard a secret.
        sheet.protection.sheet = True
        sheet.protection.formatColumns = False
        sheet.freeze_panes = sheet["E3"]
    if not book.sheetnames:
        book.create_sheet(title=_("No villages"))
    return book


def _spellings(definition):
    names = set()
    for language in LANGUAGES:
        with translation.override(language):
            names.add(norm(header(definition)))
            names.add(norm(str(definition.name)))
    names.add(norm(definition.code))
    return names


def _key_spellings():
    found = {}
    for key, label in KEYS:
        for language in LANGUAGES:
            with translation.override(language):
                found[norm(str(label))] = key
        found[key] = key
    return found


class SheetPlan:
    """What a sheets workbook would change (``villages.importer`` drives it: read, preview, apply)."""

    label = gettext_lazy("Village indicators")

    def __init__(self, *, county, township=None, progress=None, user=None):
        self.county = county
        self.township = township
        self.progress = progress
        self.user = user
        self.rows_done = 0
        self.counts = {"sheets": {"create": 0, "update": 0, "unchanged": 0}}
        self.errors = []
        self.error_count = 0
        self.changes = []  # (village, year, values, extras)
        self.indicators = indicator_sets([county.pk])[county.pk]
        self.max_errors = 1000

    @classmethod
    def count_label(cls, key):
        return _("Indicator sheets")

    @classmethod
    def home_url(cls, job):
        from django.urls import reverse

        if job.township_id:
            return reverse("indicators:township", args=[job.township_id])
        return reverse("indicators:home")

    # --- reporting (the importer's interface) ---------------------------------------------------

    def error(self, sheet, row, column, message):
        self.error_count += 1
        if len(self.errors) < self.max_errors:
            self.errors.append({"sheet": sheet, "row": row, "column": column, "message": str(message)})

    @property
    def is_valid(self):
        return self.error_count == 0

    def summary(self):
        return {kind: dict(c) for kind, c in self.counts.items() if any(c.values())}

    # --- reading --------------------------------------------------------------------------------

    def read(self, path, *, max_rows):
        from villages.importer.xlsx import WorkbookError

        if self.township is None:
            raise WorkbookError(_("Indicator sheets are imported by the township they belong to."))
        entered = self.indicators.entered
        by_header = {}
        for definition in entered:
            for spelling in _spellings(definition):
                by_header[spelling] = ("entered", definition)
        for definition in self.indicators:
            if not definition.is_entered:
                for spelling in _spellings(definition):
                    by_header.setdefault(spelling, ("shown", definition))
        keys = _key_spellings()
        pending = []
        with Workbook(path) as book:
            for sheet in book.sheets:
                rows = book.rows(sheet, max_rows=max_rows)
                found = self._header(rows, keys, by_header)
                if found is None:
                    continue
                number, layout = found
                missing = [str(label) for key, label in KEYS if key != "name" and key not in layout["keys"]]
                if missing:
                    self.error(
                        sheet.title,
                        number,
                        "",
                        _("Required columns missing: %(list)s.") % {"list": "、".join(missing)},
                    )
                    continue
                for number, raw in rows:
                    pending.append((sheet.title, number, raw, layout))
            if not pending and not self.errors:
                raise WorkbookError(
                    _(
                        "The workbook has no sheet with the indicator headers. "
                        "Download the township's workbook and start from it."
                    )
                )
        self._check(pending)

    def _header(self, rows, keys, by_header):
        for _attempt in range(HEADER_SEARCH_ROWS):
            item = next(rows, None)
            if item is None:
                return None
            number, values = item
            layout = {"keys": {}, "entered": {}}
            for index, raw in enumerate(values):
                text = norm(cell_text(raw))
                if text in keys:
                    layout["keys"][keys[text]] = index
                elif text in by_header and by_header[text][0] == "entered":
                    layout["entered"][by_header[text][1].code] = index
            if "village" in layout["keys"] and layout["entered"]:
                return number, layout
        return None

    def _check(self, pending):
        townships = {t.code: t for t in self.county.townships.all()}
        villages = {
            (v.township.code, v.code): v
            for v in Village.objects.filter(township__county=self.county).select_related("township")
        }
        windows = {w.year: w for w in CollectionWindow.objects.filter(county=self.county)}
        seen = {}
        parsed = []
        by_code = {d.code: d for d in self.indicators.entered}
        help_row = {norm(_("Do not change"))}
        for sheet, number, raw, layout in pending:

            def cell(index, raw=raw):
                return raw[index] if index is not None and index < len(raw) else None

            village_code = cell_text(cell(layout["keys"].get("village")))
            township_code = cell_text(cell(layout["keys"].get("township")))
            if not village_code and not township_code:
                continue  # an empty row
            if norm(village_code) in help_row:
                continue  # the explanation row
            self.rows_done += 1
            where = (sheet, number)
            if township_code not in townships:
                self.error(
                    *where,
                    str(KEYS[0][1]),
                    _("No township with code “%(code)s” in the county.") % {"code": township_code},
                )
                continue
            village = villages.get((township_code, village_code))
            if village is None:
                self.error(
                    *where,
                    str(KEYS[1][1]),
                    _("No village with code “%(code)s” in this township.") % {"code": village_code},
                )
                continue
            if village.township_id != self.township.pk:
                self.error(
                    *where,
                    str(KEYS[0][1]),
                    _("This village belongs to another township; a township imports its own villages only."),
                )
                continue
            year_text = cell_text(cell(layout["keys"].get("year")))
            if not year_text.isdigit() or not 2000 <= int(year_text) <= 2100:
                self.error(*where, str(KEYS[3][1]), _("“%(value)s” is not a year.") % {"value": year_text})
                continue
            year = int(year_text)
            window = windows.get(year)
            if window is None or not window.has_opened(_today()):
                self.error(
                    *where,
                    str(KEYS[3][1]),
                    _("The county has not opened the collection of %(year)s.") % {"year": year},
                )
                continue
            key = (village.pk, year)
            if key in seen:
                self.error(
                    *where,
                    str(KEYS[1][1]),
                    _("This village appears twice for %(year)s (also row %(row)s).")
                    % {"year": year, "row": seen[key]},
                )
                continue
            seen[key] = number
            values, ok = {}, True
            for code, index in layout["entered"].items():
                definition = by_code[code]
                try:
                    values[code] = services.parse_value(definition, cell(index))
                except ValidationError as error:
                    self.error(*where, header(definition), " ".join(error.messages))
                    ok = False
            if ok:
                parsed.append((where, village, year, values))
        self._classify(parsed)

    def _classify(self, parsed):
        if not parsed:
            return
        years = {year for _w, _v, year, _values in parsed}
        sheets = {
            (s.village_id, s.year): s
            for s in IndicatorSheet.objects.filter(county=self.county, year__in=years).prefetch_related(
                "extra_values__indicator"
            )
        }
        live = {
            year: derived.registry_figures(
                [v.pk for _w, v, y, _x in parsed if y == year], derived.as_of_for(year, _today())
            )
            for year in years
        }
        for where, village, year, values in parsed:
            sheet = sheets.get((village.pk, year))
            if sheet is not None and sheet.status == IndicatorSheet.Status.CONFIRMED:
                self.error(
                    *where,
                    "",
                    _("The sheet of %(year)s is confirmed; reopen it before importing new figures.")
                    % {"year": year},
                )
                continue
            current = {}
            if sheet is not None:
                for code in catalogue.ENTERED_CODES:
                    value = getattr(sheet, code)
                    current[code] = None if value == "" else value
                for extra in sheet.extra_values.all():
                    current[extra.indicator.code] = extra.value
            proposed = {**current, **values}
            problems = services.check_parts(
                proposed, self.indicators, live[year].get(village.pk) or derived.empty()
            )
            if problems:
                for code, message in problems.items():
                    definition = self.indicators.get(code)
                    self.error(*where, header(definition) if definition else code, message)
                continue
            changed = {c: v for c, v in values.items() if current.get(c) != v}
            if sheet is None and any(v is not None for v in values.values()):
                self.counts["sheets"]["create"] += 1
            elif changed and sheet is not None:
                self.counts["sheets"]["update"] += 1
            else:
                self.counts["sheets"]["unchanged"] += 1
                continue
            builtin = {c: v for c, v in changed.items() if c in catalogue.ENTERED_CODES}
            extras = {c: v for c, v in changed.items() if c not in catalogue.ENTERED_CODES}
            self.changes.append((village, year, builtin, extras))
            if self.progress and self.rows_done % 500 == 0:
                self.progress(self.rows_done)

    # --- applying -------------------------------------------------------------------------------

    def apply(self):
        """Write every change through the sheet service (the caller holds the transaction)."""
        with transaction.atomic():
            for village, year, values, extras in self.changes:
                services.sheet_save(
                    village=village,
                    year=year,
                    values=values,
                    extras=extras,
                    user=self.user,
                    action=SheetEvent.Action.IMPORTED,
                )


def _today():
    from django.utils import timezone

    return timezone.localdate()
