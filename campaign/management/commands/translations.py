"""Keep the Simplified Chinese catalogues complete.

manage.py translations update          # makemessages for every catalogue, header fixed
manage.py translations missing         # list untranslated or fuzzy entries (exit 1 if any)
manage.py translations apply FILE.json # fill msgstrs from {"English msgid": "中文"}
"""

import json
import sys
from pathlib import Path

import polib
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

LANG = "zh_Hans"


def catalogues():
    for path in settings.LOCALE_PATHS:
        po = Path(path) / LANG / "LC_MESSAGES" / "django.po"
        if po.exists():
            yield po


def fix_header(po):
    po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    po.metadata["Language"] = "zh_Hans"
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    if "fuzzy" in po.metadata_is_fuzzy or po.metadata_is_fuzzy:
        po.metadata_is_fuzzy = []


def missing_entries(po):
    return [e for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]


class Command(BaseCommand):
    help = "Update, check and fill the Simplified Chinese translation catalogues."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["update", "missing", "apply"])
        parser.add_argument("file", nargs="?")

    def handle(self, *args, action, file=None, **options):
        if action == "update":
            call_command(
                "makemessages",
                locale=[LANG],
                ignore_patterns=[".venv/*", "static/*", "staticfiles/*", "node_modules/*"],
                no_obsolete=True,
                verbosity=0,
            )
            for path in catalogues():
                po = polib.pofile(str(path))
                fix_header(po)
                po.save()
            return
        if action == "missing":
            total = 0
            for path in catalogues():
                for entry in missing_entries(polib.pofile(str(path))):
                    total += 1
                    self.stdout.write(f"{path}: {entry.msgid!r}")
            if total:
                self.stderr.write(f"{total} entries need a translation")
                sys.exit(1)
            return
        if not file:
            raise CommandError("apply needs a JSON file of {msgid: translation}")
        table = json.loads(Path(file).read_text(encoding="utf-8"))
        for path in catalogues():
            po = polib.pofile(str(path))
            changed = False
            for entry in po:
                if entry.msgid in table:
                    value = table[entry.msgid]
                    if entry.msgid_plural:
                        entry.msgstr_plural = {0: value}
                    else:
                        entry.msgstr = value
                    if "fuzzy" in entry.flags:
                        entry.flags.remove("fuzzy")
                    changed = True
            if changed:
                fix_header(po)
                po.save()
