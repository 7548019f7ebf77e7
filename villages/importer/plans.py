"""Which planner reads an import job's workbook.

The registry's own (``villages.importer.planner.Plan``) under the name "registry", and any other an
app registers on its AppConfig, as with ``nav_items`` and ``panels``::

    import_plans = {"indicator_sheets": "indicators.excel.SheetPlan"}

A planner is built as ``Plan(county=, township=, progress=, user=)`` and offers ``read(path,
max_rows=)``, ``is_valid``, ``errors``, ``error_count``, ``rows_done``, ``summary()`` (counts of
create/update/unchanged per key), ``apply()`` (inside the caller's transaction), and the class
methods ``count_label(key)`` and ``home_url(job)`` for the job's page. The upload, preview,
all-or-nothing apply and problem report are then the importer's.
"""

from django.apps import apps
from django.utils.module_loading import import_string

REGISTRY = "registry"


def plan_paths():
    paths = {REGISTRY: "villages.importer.planner.Plan"}
    for config in apps.get_app_configs():
        paths.update(getattr(config, "import_plans", {}))
    return paths


def plan_class(name):
    """The planner class registered as ``name`` (``KeyError`` for an unknown one)."""
    return import_string(plan_paths()[name])
