"""Synthetic registry data at scale for benchmarks: ``seed_scale --counties 150`` is a province.

Counties already present are kept, so ``--counties 150`` after ``--counties 1``
adds the other 149. See ``campaign.demo.scale`` for what each county holds.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from campaign.demo.scale import seed_scale


class Command(BaseCommand):
    help = "Create synthetic counties (townships, villages, cadres with positions, users) for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--counties", type=int, required=True)
        parser.add_argument("--townships", type=int, default=16, help="townships per county")
        parser.add_argument("--villages", type=int, default=20, help="villages per township")
        parser.add_argument("--cadres", type=int, default=10, help="cadres per village")

    def handle(self, *args, counties, townships, villages, cadres, **options):
        if min(counties, townships, villages, cadres) < 1 or townships > 99 or villages > 99:
            raise CommandError("Counts must be at least 1, and townships and villages at most 99.")
        started = time.monotonic()
        created = seed_scale(
            counties=counties,
            townships=townships,
            villages=villages,
            cadres=cadres,
            log=lambda message: self.stdout.write(f"  {message} ({time.monotonic() - started:.1f} s)"),
        )
        self.stdout.write(
            f"Created {created} counties ({counties} wanted) in {time.monotonic() - started:.1f} s."
        )
