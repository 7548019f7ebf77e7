"""Excel exports of the registry lists and the import templates: the same columns both ways.

Re-importing an exported file changes nothing: every column the importer
reads is written here from the same ``COLUMNS`` definition.
"""

from types import SimpleNamespace

from django.db.models import Q
from openpyxl import Workbook as OpenpyxlWorkbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from cadres import selectors as cadre_selectors
from villages import selectors as village_selectors
from villages.importer.schema import COLUMNS, Kind, sheet_title
from villages.importer.xlsx import column_letter, write_workbook

TEMPLATE_ROWS = 5000  # rows covered by the drop-down lists of a template


def _rows(kind, user, params):
    """The rows of ``kind`` the user may see, filtered like the list page, as tuples of raw values."""
    if kind == Kind.TOWNSHIPS:
        qs = _filter(village_selectors.townships_for(user), params, names=("name", "code"))
        return qs.order_by("code").values_list("code", "name", "population")
    if kind == Kind.DEPARTMENTS:
        qs = _filter(village_selectors.departments_for(user), params, names=("name", "code"))
        return qs.order_by("code").values_list("code", "name", "is_agriculture_related")
    if kind == Kind.VILLAGES:
        qs = _filter(
            village_selectors.villages_for(user), params, names=("name", "code"), township="township_id"
        )
        return qs.order_by("township__code", "code").values_list(
            "township__code", "code", "name", "is_poverty_key", "is_one_product", "households", "population"
        )
    if kind == Kind.PARTY_ORGANIZATIONS:
        qs = _filter(
            village_selectors.party_organizations_for(user),
            params,
            names=("name",),
            township="township_id",
            village="village_id",
            kind="kind",
        )
        return qs.order_by("township__code", "village__code", "kind", "name").values_list(
            "kind", "name", "township__code", "village__code", "department__code", "member_count"
        )
    if kind == Kind.CADRES:
        qs = _filter(
            cadre_selectors.cadres_for(user),
            params,
            names=("name",),
            township="township_id",
            village="village_id",
            department="department_id",
        )
        rows = qs.order_by("township__code", "village__code", "name", "birth_date", "pk").values_list(
            "name",
            "gender",
            "birth_date",
            "ethnicity",
            "education",
            "party_joined_on",
            "phone",
            "township__code",
            "village__code",
            "department__code",
            "county_id",
            "township_id",
            "village_id",
            "department_id",
        )
        return _cadre_rows(user, rows)
    if kind == Kind.POSITIONS:
        qs = _filter(
            cadre_selectors.positions_for(user),
            params,
            names=("cadre__name",),
            township="township_id",
            village="village_id",
            kind="kind",
        )
        current = params.get("current")
        if current in ("1", "true", "yes"):
            qs = qs.filter(end_date__isnull=True)
        return qs.order_by("township__code", "village__code", "cadre__name", "start_date", "pk").values_list(
            "cadre__name",
            "cadre__birth_date",
            "kind",
            "township__code",
            "village__code",
            "sent_from",
            "start_date",
            "end_date",
        )
    raise ValueError(kind)


def _cadre_rows(user, rows):
    # Phone numbers follow the registry's rule (can_see_phone), row by row.
    for *values, county_id, township_id, village_id, department_id in rows.iterator(chunk_size=2000):
        place = SimpleNamespace(
            county_id=county_id, township_id=township_id, village_id=village_id, department_id=department_id
        )
        if not cadre_selectors.can_see_phone(user, place):
            values[6] = ""
        yield values


def _filter(qs, params, *, names, **fields):
    """The list pages' filters, read from the query string: ``q`` (name or code) and id/choice fields."""
    text = (params.get("q") or "").strip()
    if text:
        condition = Q()
        for name in names:
            condition |= Q(**{f"{name}__icontains": text})
        qs = qs.filter(condition)
    for param, field in fields.items():
        value = (params.get(param) or "").strip()
        if not value:
            continue
        if field.endswith("_id"):
            if not value.isdigit():
                return qs.none()
            value = int(value)
        qs = qs.filter(**{field: value})
    return qs


def export_rows(kind, user, params):
    """Rows as written in the workbook (labels and 是/否 in the current language)."""
    columns = COLUMNS[kind]
    rows = _rows(kind, user, params)
    if hasattr(rows, "iterator"):
        rows = rows.iterator(chunk_size=2000)
    for row in rows:
        yield [column.display(value) for column, value in zip(columns, row, strict=True)]


def export_workbook(kind, user, params):
    """An open temporary file holding the export (write-only mode: memory stays flat)."""
    headers = [str(column.header) for column in COLUMNS[kind]]
    return write_workbook([(sheet_title(kind), headers, export_rows(kind, user, params))])


def template_workbook(kind):
    """A template: headers, an explanation row, an example row, drop-down lists, code columns as text."""
    workbook = OpenpyxlWorkbook()
    sheet = workbook.active
    sheet.title = sheet_title(kind)
    columns = COLUMNS[kind]
    sheet.append([str(column.header) for column in columns])
    sheet.append([str(column.help) for column in columns])
    sheet.append([_example_cell(column) for column in columns])
    bold = Font(bold=True)
    note = Font(italic=True, color="666666")
    fill = PatternFill("solid", fgColor="FFF2CC")
    for index, column in enumerate(columns):
        letter = column_letter(index)
        sheet.column_dimensions[letter].width = max(14, len(str(column.header)) * 2 + 4)
        sheet[f"{letter}1"].font = bold
        sheet[f"{letter}1"].fill = fill
        sheet[f"{letter}2"].font = note
        sheet[f"{letter}2"].alignment = Alignment(wrap_text=True, vertical="top")
        sheet[f"{letter}3"].font = note
        if column.type in ("code", "phone", "text"):
            # Text cells keep leading zeros ("001") and long numbers (phones) as typed.
            sheet.column_dimensions[letter].number_format = "@"
            sheet[f"{letter}3"].number_format = "@"
        elif column.type == "date":
            sheet.column_dimensions[letter].number_format = "yyyy-mm-dd"
        options = None
        if column.type == "choice":
            options = [str(label) for label in column.choices.labels]
        elif column.type == "bool":
            options = [column.display(True), column.display(False)]
        if options:
            validation = DataValidation(
                type="list", formula1='"' + ",".join(options) + '"', allow_blank=not column.required
            )
            validation.error = str(column.help)
            validation.showErrorMessage = True
            sheet.add_data_validation(validation)
            validation.add(f"{letter}3:{letter}{TEMPLATE_ROWS}")
    sheet.freeze_panes = "A3"
    return workbook


def _example_cell(column):
    return column.display(column.example) if column.example is not None else None
