"""Excel exports of the registry lists and the import templates: the same columns both ways.

Re-importing an exported file changes nothing: every column the importer
reads is written here from the same ``COLUMNS`` definition.
"""

from types import SimpleNamespace

from openpyxl import Workbook as OpenpyxlWorkbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from cadres import selectors as cadre_selectors
from villages import selectors as village_selectors
from villages.importer.schema import COLUMNS, Kind, sheet_title
from villages.importer.xlsx import column_letter, write_workbook

TEMPLATE_ROWS = 5000  # rows covered by the drop-down lists of a template


def _filtered(kind, user, params):
    """The list page's queryset for ``kind``: the user's scope, then the list's own FilterSet."""
    from cadres.filters import CadreFilter, PositionFilter
    from villages.filters import (
        DepartmentFilter,
        PartyOrganizationFilter,
        TownshipFilter,
        VillageFilter,
    )

    filterset_class, selector = {
        Kind.TOWNSHIPS: (TownshipFilter, village_selectors.township_list),
        Kind.DEPARTMENTS: (DepartmentFilter, village_selectors.department_list),
        Kind.VILLAGES: (VillageFilter, village_selectors.village_list),
        Kind.PARTY_ORGANIZATIONS: (PartyOrganizationFilter, village_selectors.party_org_list),
        Kind.CADRES: (CadreFilter, cadre_selectors.cadre_list),
        Kind.POSITIONS: (PositionFilter, cadre_selectors.position_list),
    }[kind]
    filterset = filterset_class(params, queryset=selector(user), request=SimpleNamespace(user=user))
    # The list pages prefetch for display; an export reads plain values.
    return filterset.qs.prefetch_related(None)


def _rows(kind, user, params):
    """The rows of ``kind`` the user may see, filtered like the list page, as tuples of raw values."""
    qs = _filtered(kind, user, params)
    if kind == Kind.TOWNSHIPS:
        return qs.order_by("code").values_list("code", "name", "population")
    if kind == Kind.DEPARTMENTS:
        return qs.order_by("code").values_list("code", "name", "is_agriculture_related")
    if kind == Kind.VILLAGES:
        return qs.order_by("township__code", "code").values_list(
            "township__code", "code", "name", "is_poverty_key", "is_one_product", "households", "population"
        )
    if kind == Kind.PARTY_ORGANIZATIONS:
        return qs.order_by("township__code", "village__code", "kind", "name").values_list(
            "kind", "name", "township__code", "village__code", "department__code", "member_count"
        )
    if kind == Kind.CADRES:
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
        if column.type in ("code", "phone", "text", "name"):
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
