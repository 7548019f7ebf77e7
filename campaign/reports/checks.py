"""System check: every font stack of the printed documents has an installed face (manage.py check,
runserver, migrate). The message names the missing stacks and the faces the others will use."""

from django.core.checks import Error, register

from campaign.reports.fonts import faces_in_use, missing_fonts


@register()
def cjk_fonts_installed(app_configs=None, **kwargs):
    missing = missing_fonts()
    if not missing:
        return []
    using = "; ".join(f"{stack} → {face}" for stack, face in faces_in_use().items()) or "nothing"
    return [
        Error(
            f"No face of the font stack {stack} is installed: PDFs would print in the wrong face or "
            f"as empty boxes. The other stacks will use: {using}.",
            hint="Install Debian's fonts-noto-cjk (make setup does it); FandolFang and FandolKai ship "
            "in campaign/reports/typefaces/.",
            id="reports.E001",
        )
        for stack in missing
    ]
