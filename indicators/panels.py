"""What the indicators add to other apps' pages (see campaign/panels.py)."""


def village_sheets(*, request, obj, **extra):
    return None


def self_report_figures(*, request, obj, **extra):
    return None


def todo(*, request, obj, **extra):
    return None
