"""HTML → PDF with WeasyPrint, and writing files so that a crash never leaves a broken one.

Every PDF of the app goes through ``render_pdf`` and ``write_atomic``.
"""

import logging
import os
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from campaign.reports import fonts
from campaign.reports.fonts import missing_fonts

# WeasyPrint logs every layout step at INFO; a worker's log should show tasks, not steps.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


# The one red of every printed document (organ mark, red line, masthead, certificate frame).
RED = "#e60012"


class FontsMissing(RuntimeError):
    pass


def render_html(template_name, context):
    """The finished HTML of a printed document; always in Chinese, the language of official papers.

    ``paper`` tells shared templates they print (paragraphs on the type grid), ``fonts`` carries the
    face of each role (``fonts.context()``).
    """
    from campaign.reports import typeset

    with translation.override("zh-hans"), typeset.collecting_spacings() as used:
        html = render_to_string(
            template_name, {"paper": True, "fonts": fonts.context(), "red": RED, **context}
        )
    return html.replace(typeset.SPACING_PLACEHOLDER, typeset.spacing_css(used), 1)


def render_pdf(html):
    """The PDF bytes of a finished HTML page (fonts checked first: never a PDF of empty boxes)."""
    missing = missing_fonts()
    if missing:
        raise FontsMissing("No installed face for the font stacks: " + "; ".join(missing))
    from weasyprint import HTML

    # base_url lets the template refer to nothing outside the app: all CSS and
    # SVG are inline, so there is nothing to fetch.
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def media_path(relative):
    return Path(settings.MEDIA_ROOT) / relative


def _temp_pattern(final):
    return f".{final.name}.*.tmp"


def write_atomic(relative, data):
    """Write ``data`` to MEDIA_ROOT/relative through a temporary file moved into place.

    Readers see either the old complete file or the new complete file, never a
    part. Left-over temporary files of a killed writer are removed first.
    """
    final = media_path(relative)
    final.parent.mkdir(parents=True, exist_ok=True)
    for stale in final.parent.glob(_temp_pattern(final)):
        stale.unlink(missing_ok=True)
    temp = final.parent / f".{final.name}.{uuid.uuid4().hex}.tmp"
    try:
        with open(temp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        delay = getattr(settings, "REPORTS_RENDER_DELAY", 0)
        if delay:
            # Test hook (tests/reports/test_worker.py kills the worker here).
            time.sleep(delay)
        os.replace(temp, final)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return final


def stale_temp_files(relative):
    final = media_path(relative)
    return sorted(final.parent.glob(_temp_pattern(final))) if final.parent.exists() else []
