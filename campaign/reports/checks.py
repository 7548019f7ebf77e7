"""System check: the CJK fonts are installed (run by manage.py check, runserver, migrate)."""

from django.core.checks import Error, register

from campaign.reports.fonts import missing_fonts


@register()
def cjk_fonts_installed(app_configs=None, **kwargs):
    return [
        Error(
            f"The CJK font {family!r} is not installed: PDFs would print empty boxes.",
            hint="Install Debian's fonts-noto-cjk (make setup does it).",
            id="reports.E001",
        )
        for family in missing_fonts()
    ]
