"""Server time of the registry's main list and detail pages, as a county user and as a city viewer.

Lists are timed plain and with the filters and search that touch every row in scope.

Run by bench/run.py twice: with BENCH_SCALE=county (one county seeded) and
BENCH_SCALE=province (150 counties); run.py then prints the province/county
ratios. Users are those of ``seed_scale``: ``k001_zzb`` (county administrator
of the first county) and ``p01_shiwei`` (city viewer of the first city, ten
counties at province scale).
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

from bench.timing import emit, time_get  # noqa: E402
from cadres.selectors import cadres_for  # noqa: E402
from campaign.models import User  # noqa: E402
from villages.selectors import villages_for  # noqa: E402

USERS = {"county_user": "k001_zzb", "city_viewer": "p01_shiwei"}


def pages(user):
    """(figure name, URL) of each page to time for this user; pages not built yet are skipped."""
    village = villages_for(user).order_by("pk").first()
    cadre = cadres_for(user).filter(village__isnull=False).order_by("pk").first()
    wanted = [
        ("township_list", "villages:township_list", {}, ""),
        ("village_list", "villages:village_list", {}, ""),
        # Filters and search that touch every scoped row, not only one page.
        ("village_list_secretary_and_director", "villages:village_list", {}, "?secretary_and_director=1"),
        ("cadre_list", "cadres:cadre_list", {}, ""),
        ("cadre_list_search", "cadres:cadre_list", {}, "?q=%E7%8E%8B"),  # 王, the commonest surname
        ("cadre_list_secretaries", "cadres:cadre_list", {}, "?position=secretary"),
        ("position_list", "cadres:position_list", {}, ""),
        ("party_org_list", "villages:party_org_list", {}, ""),
        ("village_detail", "villages:village_detail", {"pk": village.pk}, ""),
        ("cadre_detail", "cadres:cadre_detail", {"pk": cadre.pk}, ""),
    ]
    for figure, name, kwargs, query in wanted:
        try:
            yield figure, reverse(name, kwargs=kwargs) + query
        except NoReverseMatch:
            print(f"bench_registry: no URL named {name} yet, skipped", file=sys.stderr)


def main():
    scale = os.environ.get("BENCH_SCALE", "province")
    for persona, username in USERS.items():
        user = User.objects.get(username=username)
        client = Client()
        client.force_login(user)
        for figure, url in pages(user):
            timing = time_get(client, url)
            if timing is None:
                continue
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            for stat in ("median", "p95"):
                emit("registry", f"{figure}.{persona}.{stat}", timing[stat], "ms", scale=scale)
            emit("registry", f"{figure}.{persona}.queries", len(queries), "queries", scale=scale)


if __name__ == "__main__":
    main()
