"""Load the demo county (林西县, 赤峰市): registry, cadres, users, then each area's demo data.

Usage: ``DEMO_MODE=1 python manage.py seed_demo``. Every demo user's password is
``lianchuang-demo`` (README, "Demo logins"). Running it again changes nothing. Outside demo mode
(``DEMO_MODE`` unset, i.e. production) it refuses to run: it would create some 230 logins, staff
among them, with a password printed in the README.

Steps:

1. ``campaign.demo.registry.seed_registry()`` creates the county, its 16 townships,
   villages, party organizations, departments, cadres with positions, organizers'
   areas and users, unless the demo county already exists (then it does nothing).
2. Hook: then, in this order, for each module that exists,
   ``appraisal.demo``, ``campaign.steering.demo``, ``campaign.reports.demo``,
   the command calls ``module.seed(county)`` with the demo ``County``.
   A hook is called on every run (so that a database seeded before the hook
   existed catches up), each inside its own transaction, and must therefore be
   idempotent and deterministic itself: detect its own data and skip, or upsert.
   A missing hook module (or its missing parent package) is skipped; any other
   import error is raised.
"""

import importlib
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from campaign.demo.registry import seed_registry

HOOKS = ("appraisal.demo", "campaign.steering.demo", "campaign.reports.demo")


def load_hook(name):
    """The hook module ``name``, or None when it (or its package) does not exist."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        # Only the hook itself being absent is fine; a module it imports being
        # absent is a real error and must surface.
        if exc.name and (name == exc.name or name.startswith(exc.name + ".")):
            return None
        raise


class Command(BaseCommand):
    help = "Load the demo county with users for every role (password lianchuang-demo); idempotent."

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError(
                "seed_demo runs only in demo mode: it creates about 230 logins, staff among them, "
                "with the public password lianchuang-demo. Set DEMO_MODE=1 for a demo or a trial "
                "(never in production), e.g. DEMO_MODE=1 python manage.py seed_demo"
            )
        started = time.monotonic()
        county, created = seed_registry()
        if created:
            self.stdout.write(f"Created the demo county {county.name} ({county.code}).")
        else:
            self.stdout.write(f"The demo county {county.name} ({county.code}) exists: registry unchanged.")
        for name in HOOKS:
            module = load_hook(name)
            if module is None:
                continue
            with transaction.atomic():
                module.seed(county)
            self.stdout.write(f"Ran {name}.seed().")
        self.stdout.write(f"Done in {time.monotonic() - started:.1f} s.")
