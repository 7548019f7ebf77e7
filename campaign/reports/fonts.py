"""The CJK fonts every PDF needs, and the check that they are installed.

WeasyPrint silently falls back to whatever font fontconfig offers; with no CJK
font at all, Chinese text would come out as empty boxes. We look the fonts up
the same way WeasyPrint does (fontconfig) and treat a missing one as an error.
"""

import shutil
import subprocess
from functools import lru_cache

SERIF = "Noto Serif CJK SC"  # body text (the 仿宋/宋体 role)
SANS = "Noto Sans CJK SC"  # headings (the 黑体 role)
REQUIRED_FONTS = (SERIF, SANS)


def required_fonts():
    """The font families the PDFs ask for (settings.REPORTS_CJK_FONTS may name others, e.g. in tests)."""
    from django.conf import settings

    return tuple(getattr(settings, "REPORTS_CJK_FONTS", REQUIRED_FONTS))


def missing_fonts():
    """The required font families that fontconfig does not know (all of them if fontconfig is absent).

    Looked up once per process and set of names (the health check asks on every probe).
    """
    return list(_missing(required_fonts()))


@lru_cache(maxsize=8)
def _missing(families):
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return tuple(families)
    missing = []
    for family in families:
        result = subprocess.run(  # noqa: S603 - fixed arguments, no shell
            [fc_list, f":family={family}", "family"], capture_output=True, text=True, timeout=30, check=False
        )
        if family not in result.stdout:
            missing.append(family)
    return tuple(missing)
