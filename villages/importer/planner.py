"""Read a registry workbook into a plan (rows to create, update, leave) and apply the plan.

The planner checks every row the way the models would (the field validators
and the database constraints of villages/cadres), against the registry as it
is plus what the file itself adds, so that the preview tells the truth and
applying cannot half-fail. ``full_clean()`` per row would cost ~50 µs and a
query for each unique check: too slow for 300,000 cadres, hence the checks
here and bulk writes in ``apply``.
"""

from collections import defaultdict, namedtuple

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from cadres.models import Cadre, Position
from villages.importer.bulk import insert_rows
from villages.importer.schema import COLUMNS, KIND_ORDER, TOWNSHIP_KINDS, CellError, Kind, kind_for_title
from villages.importer.schema import normalize_header as norm
from villages.importer.xlsx import Workbook, WorkbookError, cell_text, column_letter, merged_rows
from villages.models import Department, PartyOrganization, Township, Village

PROGRESS_EVERY = 2000
HEADER_SEARCH_ROWS = 5

PO = PartyOrganization.Kind
VILLAGE_ORG_KINDS = {k.value for k in PartyOrganization.VILLAGE_KINDS}
VILLAGE_POSITION_KINDS = {k.value for k in Position.VILLAGE_KINDS}
TOWNSHIP_POSITION_KINDS = {k.value for k in Position.TOWNSHIP_KINDS}
SITTING_ONCE = {Position.Kind.SECRETARY.value, Position.Kind.DIRECTOR.value}

# Values compared to decide "update" or "unchanged", in this order (the key fields are not repeated).
FIELDS = {
    Kind.TOWNSHIPS: ("name", "population"),
    Kind.DEPARTMENTS: ("name", "is_agriculture_related"),
    Kind.VILLAGES: ("name", "is_poverty_key", "is_one_product", "households", "population"),
    Kind.PARTY_ORGANIZATIONS: ("kind", "name", "member_count", "village"),
    Kind.CADRES: ("gender", "ethnicity", "education", "party_joined_on", "phone", "department"),
    Kind.POSITIONS: ("sent_from", "end_date"),
}


# Extra values the checks add to a row before it is stored.
EXTRAS = {
    Kind.PARTY_ORGANIZATIONS: ("village_code",),
    Kind.CADRES: ("department_code",),
    Kind.POSITIONS: ("cadre",),
}
# A stored row is a named tuple: a third of the memory of a dict, which matters at 600,000 rows.
RECORDS = {
    kind: namedtuple(f"{kind.name.title()}Row", [c.name for c in COLUMNS[kind]] + list(EXTRAS.get(kind, ())))
    for kind in Kind
}


class Plan:
    """What a workbook would do to the registry of one county (or one township)."""

    label = _lazy("Registry")

    def __init__(self, *, county, township=None, progress=None, user=None):
        self.county = county
        self.township = township  # a township user's import: rows must belong to it
        self.progress = progress
        self.rows_done = 0
        self.counts = {kind.value: {"create": 0, "update": 0, "unchanged": 0} for kind in Kind}
        self.errors = []
        self.error_count = 0
        self.bad_rows = set()
        self.creates = defaultdict(list)  # kind → [(key, values)]
        self.updates = defaultdict(list)  # kind → [(pk, values)]
        self.sheets_seen = []
        self._loaded = set()
        self._absent = set()
        self.max_errors = getattr(settings, "IMPORT_MAX_REPORTED_ERRORS", 1000)
        # Headers as the report names them, translated once (not once per row).
        self.h = {kind: [str(c.header) for c in COLUMNS[kind]] for kind in Kind}
        self.hn = {kind: {c.name: str(c.header) for c in COLUMNS[kind]} for kind in Kind}

    @classmethod
    def count_label(cls, key):
        return Kind(key).label

    @classmethod
    def home_url(cls, job):
        from django.urls import reverse

        return reverse("importer:home")

    # --- reporting --------------------------------------------------------------------------

    def error(self, sheet, row, column, message):
        self.error_count += 1
        self.bad_rows.add((sheet, row))
        if len(self.errors) < self.max_errors:
            self.errors.append({"sheet": sheet, "row": row, "column": column, "message": str(message)})

    @property
    def is_valid(self):
        return self.error_count == 0

    @property
    def row_count(self):
        return sum(sum(c.values()) for c in self.counts.values())

    def summary(self):
        return {kind: dict(counts) for kind, counts in self.counts.items() if any(counts.values())}

    # --- reading ----------------------------------------------------------------------------

    def read(self, path, *, max_rows):
        """Check every sheet of the workbook at ``path``; raise ``WorkbookError`` if it is unreadable."""
        with Workbook(path) as workbook:
            pending = []
            remaining = max_rows
            for sheet in workbook.sheets:
                rows = workbook.rows(sheet, max_rows=remaining)
                found = self._find_header(sheet, rows)
                if found is None:
                    continue
                kind, header_row, header = found
                pending.append((KIND_ORDER.index(kind), sheet, kind, header_row, header, rows))
            if not pending:
                raise WorkbookError(
                    _(
                        "The workbook has no sheet with the template's headers. "
                        "Download a template and start from it."
                    )
                )
            pending.sort(key=lambda item: item[0])
            for _order, sheet, kind, header_row, header, rows in pending:
                self.sheets_seen.append(kind.value)
                self._read_sheet(sheet, kind, header_row, header, rows)

    def _find_header(self, sheet, rows):
        """Find the header row among the first rows (title rows above it are allowed)."""
        by_title = kind_for_title(sheet.title)
        for _attempt in range(HEADER_SEARCH_ROWS):
            item = next(rows, None)
            if item is None:
                return None
            number, values = item
            headers = [norm(cell_text(v)) for v in values]
            kind = by_title or _kind_for_headers(headers)
            if kind is None:
                continue
            known = _header_map(kind)
            if sum(1 for h in headers if h in known) >= min(2, len(COLUMNS[kind])):
                return kind, number, values
        self.error(
            sheet.title,
            1,
            "",
            _(
                "The sheet “%(sheet)s” has none of the template's headers in its first rows; "
                "nothing can be read."
            )
            % {"sheet": sheet.title},
        )
        return None

    def _read_sheet(self, sheet, kind, header_row, header, rows):
        columns = COLUMNS[kind]
        known = _header_map(kind)
        positions = {}  # column name → index in the row
        header_ok = True
        for index, raw in enumerate(header):
            text = cell_text(raw)
            if not text:
                continue
            column = known.get(norm(text))
            letter = column_letter(index)
            if column is None:
                self.error(
                    sheet.title,
                    header_row,
                    letter,
                    _("Unknown column “%(header)s”. The columns of this sheet are: %(headers)s.")
                    % {"header": text, "headers": "、".join(str(c.header) for c in columns)},
                )
                header_ok = False
            elif column.name in positions:
                self.error(
                    sheet.title,
                    header_row,
                    letter,
                    _("The column “%(header)s” appears twice.") % {"header": text},
                )
                header_ok = False
            else:
                positions[column.name] = index
        for column in columns:
            if column.required and column.name not in positions:
                self.error(
                    sheet.title,
                    header_row,
                    "",
                    _("The required column “%(header)s” is missing.") % {"header": column.header},
                )
                header_ok = False
        if self.township is not None and kind not in TOWNSHIP_KINDS:
            self.error(
                sheet.title,
                header_row,
                "",
                _("A township may not import %(kind)s; ask the county Organization Department.")
                % {"kind": kind.label},
            )
            header_ok = False
        if not header_ok:
            for _row in rows:  # read to the end so that a too-long sheet is still reported
                pass
            return
        self._load(kind)
        handler = getattr(self, f"_row_{kind.value}")
        layout = [(column, positions.get(column.name)) for column in columns]
        self._absent = {column.name for column in columns if column.name not in positions}
        choice_maps = {c.name: c.choice_labels() for c in columns if c.type == "choice"}
        helps = _help_texts(columns)
        examples = _example_values(columns, choice_maps)
        first = True
        for number, raw in rows:
            if first and _is_help_row(raw, layout, helps):
                first = False
                continue
            first = False
            values = {}
            ok = True
            for column, index in layout:
                cell = raw[index] if index is not None and index < len(raw) else None
                try:
                    values[column.name] = column.parse(cell, choice_maps.get(column.name))
                except CellError as error:
                    self.error(sheet.title, number, str(column.header), error)
                    ok = False
            if ok and values == examples:
                continue  # the template's example row, left in place
            if ok:
                handler(sheet.title, number, values)
            self.rows_done += 1
            if self.progress and self.rows_done % PROGRESS_EVERY == 0:
                self.progress(self.rows_done)
        for row, ref in merged_rows(sheet.merged).items():
            if row > header_row:
                self.error(
                    sheet.title,
                    row,
                    ref.split(":")[0],
                    _("Cells %(range)s are merged. Unmerge them and fill in every cell.") % {"range": ref},
                )
        if kind == Kind.POSITIONS:
            self._check_sitting(sheet.title)

    # --- the registry as it is --------------------------------------------------------------

    def _load(self, kind):
        """Load what the file may match or refer to (once per kind)."""
        needs = {
            Kind.TOWNSHIPS: ("townships",),
            Kind.DEPARTMENTS: ("departments",),
            Kind.VILLAGES: ("townships", "villages"),
            Kind.PARTY_ORGANIZATIONS: ("townships", "villages", "departments", "party_organizations"),
            Kind.CADRES: ("townships", "villages", "departments", "cadres"),
            Kind.POSITIONS: ("townships", "villages", "departments", "cadres", "positions"),
        }[kind]
        for name in needs:
            if name not in self._loaded:
                self._loaded.add(name)
                getattr(self, f"_load_{name}")()

    def _load_townships(self):
        self.townships = {
            code: (pk, (name, population))
            for pk, code, name, population in Township.objects.filter(county=self.county).values_list(
                "pk", "code", "name", "population"
            )
        }
        self.new_townships = set()

    def _load_departments(self):
        self.departments = {
            code: (pk, (name, agri))
            for pk, code, name, agri in Department.objects.filter(county=self.county).values_list(
                "pk", "code", "name", "is_agriculture_related"
            )
        }
        self.new_departments = set()

    def _load_villages(self):
        qs = Village.objects.filter(township__county=self.county)
        if self.township is not None:
            qs = qs.filter(township=self.township)
        self.villages = {
            (t, code): (pk, rest)
            for pk, t, code, *rest in qs.values_list(
                "pk",
                "township__code",
                "code",
                "name",
                "is_poverty_key",
                "is_one_product",
                "households",
                "population",
            )
        }
        self.villages = {key: (pk, tuple(rest)) for key, (pk, rest) in self.villages.items()}
        self.new_villages = set()

    def _load_party_organizations(self):
        qs = PartyOrganization.objects.filter(county=self.county)
        if self.township is not None:
            qs = qs.filter(township=self.township)
        self.party_organizations = {}
        for pk, kind, name, members, t, v, d in qs.values_list(
            "pk", "kind", "name", "member_count", "township__code", "village__code", "department__code"
        ):
            key = _org_key(kind, name, t, v, d)
            self.party_organizations[key] = (pk, (kind, name, members, v if kind == PO.INDUSTRY else None))
        self.new_party_organizations = set()

    def _load_cadres(self):
        qs = Cadre.objects.filter(county=self.county)
        if self.township is not None:
            qs = qs.filter(township=self.township)
        self.cadres = {}
        self.ambiguous_cadres = set()
        self.cadres_by_person = defaultdict(list)
        for pk, name, birth, t, v, d, *rest in qs.values_list(
            "pk",
            "name",
            "birth_date",
            "township__code",
            "village__code",
            "department__code",
            "gender",
            "ethnicity",
            "education",
            "party_joined_on",
            "phone",
        ).iterator(chunk_size=10000):
            key = _cadre_key(name, birth, t, v, d)
            if key in self.cadres:
                self.ambiguous_cadres.add(key)
                continue
            self.cadres[key] = (pk, (*rest, d if v else None))
            self.cadres_by_person[(name, birth)].append(key)
        self.new_cadres = {}

    def _load_positions(self):
        qs = Position.objects.filter(county=self.county)
        if self.township is not None:
            qs = qs.filter(cadre__township=self.township)
        pk_to_key = {pk: key for key, (pk, _values) in self.cadres.items()}
        self.positions = {}
        self.sitting = defaultdict(set)  # (township, village, kind) → position keys held today
        for pk, cadre_id, kind, t, v, start, sent_from, end in qs.values_list(
            "pk", "cadre_id", "kind", "township__code", "village__code", "start_date", "sent_from", "end_date"
        ).iterator(chunk_size=10000):
            cadre_key = pk_to_key.get(cadre_id)
            if cadre_key is None:
                continue
            key = (cadre_key, kind, t or "", v or "", start)
            self.positions[key] = (pk, (sent_from, end))
            if end is None and kind in SITTING_ONCE:
                self.sitting[(t, v, kind)].add(key)
        self.file_positions = {}  # secretaries and directors in the file: key → (row, end_date)

    # --- checks per kind --------------------------------------------------------------------

    def _classify(self, kind, key, values, existing):
        """Count the row and remember what to write; ``existing`` maps key → (pk, current values)."""
        fields = FIELDS[kind]
        current = existing.get(key)
        if current is not None and self._absent:
            # A column left out of the sheet keeps what the registry has: a file of names
            # only must not reset the households to 0.
            for index, name in enumerate(fields):
                if name in self._absent:
                    values[name] = current[1][index]
        new = tuple(values[f] for f in fields)
        if current is None:
            self.counts[kind.value]["create"] += 1
            self.creates[kind].append((key, RECORDS[kind](**values)))
        elif current[1] == new:
            self.counts[kind.value]["unchanged"] += 1
        else:
            self.counts[kind.value]["update"] += 1
            self.updates[kind].append((current[0], RECORDS[kind](**values)))

    def _duplicate(self, sheet, row, column, seen, key, label):
        if key in seen:
            what = label() if callable(label) else label
            self.error(
                sheet,
                row,
                column,
                _("Duplicate: %(what)s already appears on row %(row)s.") % {"what": what, "row": seen[key]},
            )
            return True
        seen[key] = row
        return False

    def _township_ok(self, sheet, row, code, *, required=True):
        column = self.h[Kind.VILLAGES][0]
        if not code:
            if required:
                self.error(sheet, row, column, _("This column is required."))
                return False
            return True
        if self.township is not None and code != self.township.code:
            self.error(
                sheet,
                row,
                column,
                _(
                    "Township “%(code)s” is outside your scope: "
                    "you may only import rows of %(township)s (%(own)s)."
                )
                % {"code": code, "township": self.township.name, "own": self.township.code},
            )
            return False
        if code not in self.townships and code not in self.new_townships:
            self.error(
                sheet,
                row,
                column,
                _("There is no township with the code “%(code)s” in the county.") % {"code": code},
            )
            return False
        return True

    def _village_ok(self, sheet, row, township, code):
        if (township, code) not in self.villages and (township, code) not in self.new_villages:
            self.error(
                sheet,
                row,
                self.h[Kind.VILLAGES][1],
                _("Township “%(township)s” has no village with the code “%(code)s”.")
                % {"township": township, "code": code},
            )
            return False
        return True

    def _department_ok(self, sheet, row, code):
        if self.township is not None:
            self.error(
                sheet,
                row,
                self.h[Kind.DEPARTMENTS][0],
                _("County departments are outside your scope."),
            )
            return False
        if code not in self.departments and code not in self.new_departments:
            self.error(
                sheet,
                row,
                self.h[Kind.DEPARTMENTS][0],
                _("There is no county department with the code “%(code)s”.") % {"code": code},
            )
            return False
        return True

    def _row_townships(self, sheet, row, values):
        seen = self.__dict__.setdefault("_seen_townships", {})
        code = values["code"]
        if self._duplicate(sheet, row, self.h[Kind.TOWNSHIPS][0], seen, code, code):
            return
        if code not in self.townships:
            self.new_townships.add(code)
        self._classify(Kind.TOWNSHIPS, code, values, self.townships)

    def _row_departments(self, sheet, row, values):
        seen = self.__dict__.setdefault("_seen_departments", {})
        code = values["code"]
        if self._duplicate(sheet, row, self.h[Kind.DEPARTMENTS][0], seen, code, code):
            return
        if code not in self.departments:
            self.new_departments.add(code)
        self._classify(Kind.DEPARTMENTS, code, values, self.departments)

    def _row_villages(self, sheet, row, values):
        seen = self.__dict__.setdefault("_seen_villages", {})
        township, code = values["township"], values["code"]
        if not self._township_ok(sheet, row, township):
            return
        if self._duplicate(
            sheet, row, self.h[Kind.VILLAGES][1], seen, (township, code), f"{township}/{code}"
        ):
            return
        if values["population"] < values["households"] and values["population"] != 0:
            self.error(
                sheet,
                row,
                self.h[Kind.VILLAGES][6],
                _("The population (%(population)s) is below the number of households (%(households)s).")
                % values,
            )
            return
        if (township, code) not in self.villages:
            self.new_villages.add((township, code))
        self._classify(Kind.VILLAGES, (township, code), values, self.villages)

    def _row_party_organizations(self, sheet, row, values):
        kind, t, v, d = values["kind"], values["township"], values["village"], values["department"]
        columns = self.hn[Kind.PARTY_ORGANIZATIONS]
        label = PO(kind).label

        def refuse(column, message):
            self.error(sheet, row, columns[column], message % {"kind": label})

        if kind == PO.DEPARTMENT:
            if not d:
                return refuse("department", _("A %(kind)s needs a department code."))
            if t or v:
                return refuse(
                    "township", _("A %(kind)s belongs to a department, not to a township or village.")
                )
            if not self._department_ok(sheet, row, d):
                return
        else:
            if d:
                return refuse(
                    "department", _("A %(kind)s does not belong to a department; leave the department empty.")
                )
            if not self._township_ok(sheet, row, t):
                return
            if kind in VILLAGE_ORG_KINDS and not v:
                return refuse("village", _("A %(kind)s needs a village code."))
            if kind == PO.TOWNSHIP_COMMITTEE and v:
                return refuse("village", _("A %(kind)s belongs to the township; leave the village empty."))
            if v and not self._village_ok(sheet, row, t, v):
                return
        key = _org_key(kind, values["name"], t, v, d)
        seen = self.__dict__.setdefault("_seen_orgs", {})
        what = {
            "V": _("the party organization of village %(code)s") % {"code": f"{t}/{v}"},
            "T": _("the party committee of township %(code)s") % {"code": t},
        }.get(key[0], values["name"])
        if self._duplicate(sheet, row, columns["name"], seen, key, what):
            return
        values["village_code"] = v
        values["village"] = v if kind == PO.INDUSTRY else None  # compared only where it can change
        if key not in self.party_organizations:
            self.new_party_organizations.add(key)
        self._classify(Kind.PARTY_ORGANIZATIONS, key, values, self.party_organizations)

    def _row_cadres(self, sheet, row, values):
        columns = self.hn[Kind.CADRES]
        t, v, d = values["township"], values["village"], values["department"]
        if v and not t:
            self.error(
                sheet,
                row,
                columns["township"],
                _("A cadre with a village needs the village's township code."),
            )
            return
        if self.township is not None and not t:
            self.error(sheet, row, columns["township"], _("This column is required."))
            return
        if t and not self._township_ok(sheet, row, t):
            return
        if v and not self._village_ok(sheet, row, t, v):
            return
        if d and not self._department_ok(sheet, row, d):
            return
        joined = values["party_joined_on"]
        if joined is not None and joined <= values["birth_date"]:
            self.error(
                sheet,
                row,
                columns["party_joined_on"],
                _("The party membership date must come after the birth date."),
            )
            return
        key = _cadre_key(values["name"], values["birth_date"], t, v, d)
        if key in self.ambiguous_cadres:
            self.error(
                sheet,
                row,
                columns["name"],
                _(
                    "Several cadres in the registry have this name, birth date and place; "
                    "correct them in the registry first."
                ),
            )
            return
        seen = self.__dict__.setdefault("_seen_cadres", {})

        def label():
            return f"{values['name']} {values['birth_date']:%Y-%m-%d}"

        if self._duplicate(sheet, row, columns["name"], seen, key, label):
            return
        values["department_code"] = d
        values["department"] = d if v else None  # part of the key when there is no village
        if key not in self.cadres:
            self.new_cadres[key] = True
            self.cadres_by_person[(values["name"], values["birth_date"])].append(key)
        self._classify(Kind.CADRES, key, values, self.cadres)

    def _row_positions(self, sheet, row, values):
        columns = self.hn[Kind.POSITIONS]
        kind, t, v = values["kind"], values["township"] or "", values["village"] or ""
        label = Position.Kind(kind).label
        if kind in VILLAGE_POSITION_KINDS and not (t and v):
            self.error(
                sheet,
                row,
                columns["village"],
                _("A %(kind)s needs a township and a village code.") % {"kind": label},
            )
            return
        if kind in TOWNSHIP_POSITION_KINDS and (not t or v):
            self.error(
                sheet,
                row,
                columns["township"],
                _("A %(kind)s needs a township code and no village code.") % {"kind": label},
            )
            return
        if kind == Position.Kind.ORGANIZER and v:
            self.error(sheet, row, columns["village"], _("A %(kind)s has no village.") % {"kind": label})
            return
        if self.township is not None and not t:
            self.error(sheet, row, columns["township"], _("This column is required."))
            return
        if t and not self._township_ok(sheet, row, t):
            return
        if v and not self._village_ok(sheet, row, t, v):
            return
        end = values["end_date"]
        if end is not None and end < values["start_date"]:
            self.error(sheet, row, columns["end_date"], _("The end date is before the start date."))
            return
        cadre_key = self._find_cadre(sheet, row, values, t, v)
        if cadre_key is None:
            return
        key = (cadre_key, kind, t, v, values["start_date"])
        seen = self.__dict__.setdefault("_seen_positions", {})
        if self._duplicate(sheet, row, columns["kind"], seen, key, lambda: f"{values['name']} · {label}"):
            return
        values["cadre"] = cadre_key
        if kind in SITTING_ONCE:
            self.file_positions[key] = (row, end)
        self._classify(Kind.POSITIONS, key, values, self.positions)

    def _find_cadre(self, sheet, row, values, t, v):
        """The cadre a position row means: by name and birth date; the place decides between namesakes."""
        candidates = self.cadres_by_person.get((values["name"], values["birth_date"]), [])
        if len(candidates) > 1:
            # Namesakes born the same day: prefer the one who belongs to the position's village or township.
            candidates = [k for k in candidates if (k[3], k[2]) == (v, t)] or [
                k for k in candidates if k[3] == "" and k[2] == t
            ]
        if len(candidates) == 1 and candidates[0] not in self.ambiguous_cadres:
            return candidates[0]
        column = self.h[Kind.POSITIONS][0]
        if not candidates:
            self.error(
                sheet,
                row,
                column,
                _("No cadre named %(name)s born on %(birth)s in the registry or in the cadres sheet.")
                % {"name": values["name"], "birth": values["birth_date"].isoformat()},
            )
        else:
            self.error(
                sheet,
                row,
                column,
                _(
                    "Several cadres are named %(name)s and born on %(birth)s; "
                    "the position's place does not tell them apart."
                )
                % {"name": values["name"], "birth": values["birth_date"].isoformat()},
            )
        return None

    def _check_sitting(self, sheet):
        """A village has at most one sitting secretary and one sitting director (a database constraint)."""
        holders = defaultdict(list)
        for key, (row, end) in self.file_positions.items():
            if end is None and key[1] in SITTING_ONCE:
                holders[(key[2], key[3], key[1])].append((row, key))
        for (t, v, kind), rows in holders.items():
            others = {
                k for k in self.sitting.get((t, v, kind), ()) if k not in self.file_positions
            }  # held today and not ended by this file
            rows.sort()
            for index, (row, _key) in enumerate(rows):
                if others or index > 0:
                    self.error(
                        sheet,
                        row,
                        self.h[Kind.POSITIONS][7],
                        _(
                            "Village %(village)s already has a sitting %(kind)s; "
                            "give the earlier one an end date."
                        )
                        % {"village": f"{t}/{v}", "kind": Position.Kind(kind).label},
                    )
        self.file_positions = {}

    # --- applying ---------------------------------------------------------------------------

    def apply(self):
        """Write the plan; the caller holds the transaction (all or nothing)."""
        county = self.county
        done = 0

        def step(count):
            nonlocal done
            done += count
            if self.progress:
                self.progress(done)

        # Townships and departments.
        for kind, model, fields in (
            (Kind.TOWNSHIPS, Township, ("name", "population")),
            (Kind.DEPARTMENTS, Department, ("name", "is_agriculture_related")),
        ):
            insert_rows(
                model,
                ("county_id", "code", *fields),
                [(county.pk, key, *(getattr(v, f) for f in fields)) for key, v in self.creates[kind]],
            )
            _bulk_update(
                model,
                [model(pk=pk, **{f: getattr(v, f) for f in fields}) for pk, v in self.updates[kind]],
                fields,
            )
            step(len(self.creates[kind]) + len(self.updates[kind]))
        township_ids = dict(Township.objects.filter(county=county).values_list("code", "pk"))
        department_ids = dict(Department.objects.filter(county=county).values_list("code", "pk"))

        fields = FIELDS[Kind.VILLAGES]
        insert_rows(
            Village,
            ("township_id", "code", *fields),
            [
                (township_ids[t], code, *(getattr(v, f) for f in fields))
                for (t, code), v in self.creates[Kind.VILLAGES]
            ],
        )
        _bulk_update(
            Village,
            [Village(pk=pk, **{f: getattr(v, f) for f in fields}) for pk, v in self.updates[Kind.VILLAGES]],
            fields,
        )
        step(len(self.creates[Kind.VILLAGES]) + len(self.updates[Kind.VILLAGES]))
        village_ids = {
            (t, code): pk
            for pk, t, code in Village.objects.filter(township__county=county).values_list(
                "pk", "township__code", "code"
            )
        }

        self._apply_party_organizations(township_ids, village_ids, department_ids)
        cadre_ids = self._apply_cadres(township_ids, village_ids, department_ids, step)
        self._apply_positions(cadre_ids, township_ids, village_ids, step)

    def _apply_party_organizations(self, township_ids, village_ids, department_ids):
        creates = self.creates[Kind.PARTY_ORGANIZATIONS]
        if not creates and not self.updates[Kind.PARTY_ORGANIZATIONS]:
            return
        county = self.county
        fields = (
            "county_id",
            "kind",
            "name",
            "member_count",
            "township_id",
            "village_id",
            "department_id",
            "parent_id",
        )

        def row(v, parent_id=None):
            t = township_ids[v.township] if v.township else None
            village = village_ids[(v.township, v.village_code)] if v.village_code else None
            department = department_ids[v.department] if v.department else None
            return (county.pk, v.kind, v.name, v.member_count, t, village, department, parent_id)

        # Township committees first: new organizations of a township hang under its committee.
        insert_rows(
            PartyOrganization, fields, [row(v) for _key, v in creates if v.kind == PO.TOWNSHIP_COMMITTEE]
        )
        committees = dict(
            PartyOrganization.objects.filter(county=county, kind=PO.TOWNSHIP_COMMITTEE).values_list(
                "township_id", "pk"
            )
        )
        insert_rows(
            PartyOrganization,
            fields,
            [
                row(v, committees.get(township_ids[v.township]) if v.township else None)
                for _key, v in creates
                if v.kind != PO.TOWNSHIP_COMMITTEE
            ],
        )
        updates = [
            PartyOrganization(
                pk=pk,
                kind=v.kind,
                name=v.name,
                member_count=v.member_count,
                village_id=village_ids[(v.township, v.village_code)] if v.village_code else None,
            )
            for pk, v in self.updates[Kind.PARTY_ORGANIZATIONS]
        ]
        _bulk_update(PartyOrganization, updates, ["kind", "name", "member_count", "village_id"])

    def _apply_cadres(self, township_ids, village_ids, department_ids, step):
        county = self.county
        ids = {key: pk for key, (pk, _values) in self.cadres.items()} if "cadres" in self._loaded else {}
        creates = self.creates[Kind.CADRES]
        rows = [_cadre_row(county, v, township_ids, village_ids, department_ids) for _key, v in creates]
        new_ids = insert_rows(Cadre, CADRE_FIELDS, rows, returning_ids=True)
        for (key, _v), pk in zip(creates, new_ids, strict=True):
            ids[key] = pk
        step(len(creates))
        updates = []
        for pk, v in self.updates[Kind.CADRES]:
            # A village cadre's department is a plain value (kept from the registry if the column is
            # absent); without a village it is part of the cadre's identity and cannot change here.
            v = v._replace(department_code=v.department if v.village else v.department_code)
            obj = Cadre(
                **dict(
                    zip(
                        CADRE_FIELDS,
                        _cadre_row(county, v, township_ids, village_ids, department_ids),
                        strict=True,
                    )
                )
            )
            obj.pk = pk
            updates.append(obj)
        _bulk_update(
            Cadre, updates, ["gender", "ethnicity", "education", "party_joined_on", "phone", "department_id"]
        )
        return ids

    def _apply_positions(self, cadre_ids, township_ids, village_ids, step):
        # Updates first: a file that ends the old secretary's term and starts the new one's must
        # free the village's "one sitting secretary" slot before the new position is written.
        updates = [
            Position(pk=pk, sent_from=v.sent_from, end_date=v.end_date)
            for pk, v in self.updates[Kind.POSITIONS]
        ]
        _bulk_update(Position, updates, ["sent_from", "end_date"])
        county_id = self.county.pk
        creates = self.creates[Kind.POSITIONS]
        insert_rows(
            Position,
            (
                "cadre_id",
                "kind",
                "county_id",
                "township_id",
                "village_id",
                "sent_from",
                "start_date",
                "end_date",
            ),
            [
                (
                    cadre_ids[v.cadre],
                    v.kind,
                    county_id,
                    township_ids[v.township] if v.township else None,
                    village_ids[(v.township, v.village)] if v.village else None,
                    v.sent_from,
                    v.start_date,
                    v.end_date,
                )
                for _key, v in creates
            ],
        )
        step(len(creates))


CADRE_FIELDS = (
    "county_id",
    "township_id",
    "village_id",
    "department_id",
    "name",
    "gender",
    "birth_date",
    "ethnicity",
    "education",
    "party_joined_on",
    "phone",
)


def _cadre_row(county, v, township_ids, village_ids, department_ids):
    t, village, d = v.township, v.village, v.department_code
    return (
        county.pk,
        township_ids[t] if t else None,
        village_ids[(t, village)] if village else None,
        department_ids[d] if d else None,
        v.name,
        v.gender,
        v.birth_date,
        v.ethnicity,
        v.education,
        v.party_joined_on,
        v.phone,
    )


def _bulk_update(model, objs, fields):
    if objs:
        model.objects.bulk_update(objs, fields, batch_size=500)


def _org_key(kind, name, township, village, department):
    if kind == PO.TOWNSHIP_COMMITTEE:
        return ("T", township)
    if kind in VILLAGE_ORG_KINDS:
        return ("V", township, village)
    if kind == PO.DEPARTMENT:
        return ("D", department, name)
    return ("I", township, name)


def _cadre_key(name, birth, township, village, department):
    """How a cadre is recognised: name + birth date + village (or township and department without one)."""
    if village:
        return (name, birth, township or "", village, "")
    return (name, birth, township or "", "", department or "")


_header_maps = {}


def _header_map(kind):
    if kind not in _header_maps:
        _header_maps[kind] = {h: column for column in COLUMNS[kind] for h in column.headers()}
    return _header_maps[kind]


def _kind_for_headers(headers):
    """The kind whose headers best match ``headers`` (at least two in common), else None."""
    present = {h for h in headers if h}
    best, best_score = None, 1
    for kind in Kind:
        known = _header_map(kind)
        score = len(present & set(known))
        extra = len(present - set(known))
        if score > best_score or (score == best_score and best is not None and extra == 0):
            best, best_score = kind, score
    return best


def _help_texts(columns):
    from django.utils import translation

    texts = {}
    for column in columns:
        spellings = set()
        for language in ("zh-hans", "en"):
            with translation.override(language):
                spellings.add(norm(str(column.help)))
        texts[column.name] = spellings
    return texts


def _is_help_row(raw, layout, helps):
    """The template's explanation row: every filled cell holds its column's explanation."""
    filled = 0
    for column, index in layout:
        if index is None or index >= len(raw) or raw[index] is None:
            continue
        if norm(cell_text(raw[index])) not in helps[column.name]:
            return False
        filled += 1
    return filled > 0


def _example_values(columns, choice_maps):
    values = {}
    for column in columns:
        try:
            values[column.name] = column.parse(column.example, choice_maps.get(column.name))
        except CellError:
            values[column.name] = column.default
    return values
