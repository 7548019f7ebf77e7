"""python manage.py import_registry FILE.xlsx [--county CODE] [--dry-run]"""

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils.translation import gettext as _

from villages.importer import services
from villages.importer.schema import Kind
from villages.importer.xlsx import WorkbookError
from villages.models import County


class Command(BaseCommand):
    help = "Import a registry workbook (townships, villages, organizations, cadres, positions) into a county."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--county", help="code of the county (needed when there are several)")
        parser.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
        parser.add_argument(
            "--max-mb",
            type=int,
            default=200,
            help="largest file accepted, in MB (the web upload has its own cap)",
        )

    def handle(self, *args, file, county=None, dry_run=False, max_mb=200, **options):
        county_obj = self._county(county)
        try:
            services.check_workbook(file, max_bytes=max_mb * services.MB)
        except FileNotFoundError:
            raise CommandError(f"{file}: no such file") from None
        except WorkbookError as error:
            raise CommandError(str(error)) from None
        try:
            plan = services.registry_import(path=file, county=county_obj, dry_run=dry_run)
        except WorkbookError as error:
            raise CommandError(str(error)) from None
        except DatabaseError as error:
            # Checked rows can still collide with a concurrent change; the transaction wrote nothing.
            raise CommandError(
                _("Nothing was applied: the database refused a row (%(error)s).")
                % {"error": str(error)[:300]}
            ) from None
        for kind in Kind:
            counts = plan.counts[kind.value]
            if any(counts.values()):
                self.stdout.write(
                    f"{kind.label}: "
                    + _("%(create)s to create, %(update)s to update, %(unchanged)s unchanged") % counts
                )
        for error in plan.errors:
            self.stdout.write(f"{error['sheet']}!{error['row']} [{error['column']}] {error['message']}")
        if not plan.is_valid:
            raise CommandError(_("%(n)s problems; nothing was imported.") % {"n": plan.error_count})
        if dry_run:
            self.stdout.write(_("Dry run: nothing was written."))
        else:
            self.stdout.write(self.style.SUCCESS(_("Imported.")))

    def _county(self, code):
        counties = County.objects.all()
        if code:
            counties = counties.filter(code=code)
        found = list(counties[:2])
        if len(found) == 1:
            return found[0]
        if not found:
            raise CommandError(f"No county with the code {code!r}." if code else "There is no county yet.")
        raise CommandError("Several counties match: give --county CODE.")
