"""Evidence files go out only through these views, to users whose scope holds the appraisal.

A reviewer sees images in place (a thumbnail that opens the picture full size) and opens other
files in a new tab: ``?inline=1`` serves images and PDFs to be shown by the browser, everything else
is a download. The thumbnail is made once with Pillow and kept beside the files (never served
directly either).
"""

import io
from pathlib import PurePosixPath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from appraisal import selectors, services
from appraisal.models import Evidence
from appraisal.views.common import client_ip, error_messages
from campaign.access import get_in_scope
from campaign.files import clean_filename

IMAGE_TYPES = ("image/jpeg", "image/png")
INLINE_TYPES = (*IMAGE_TYPES, "application/pdf")
THUMBNAIL_PX = 160
# Shown by the browser itself, not as a page of the app: nothing in it may run or load.
INLINE_POLICY = {
    "image": "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    "pdf": "default-src 'none'; object-src 'self'; frame-ancestors 'none'",
}


def _item(request, pk):
    return get_in_scope(
        Evidence.objects.filter(appraisal__in=selectors.appraisals_for(request.user)).select_related(
            "appraisal"
        ),
        pk=pk,
    )


def thumbnail_name(item):
    return str(PurePosixPath("thumbnails") / f"{item.file.name}.jpg")


@login_required
def evidence_file(request, pk):
    item = _item(request, pk)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    inline = request.GET.get("inline") == "1" and item.content_type in INLINE_TYPES
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=clean_filename(item.original_name),
        content_type=item.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    if inline:
        kind = "pdf" if item.content_type == "application/pdf" else "image"
        response["Content-Security-Policy"] = INLINE_POLICY[kind]
        response["Cache-Control"] = "private, max-age=3600"
    return response


def _make_thumbnail(item):
    from PIL import Image, ImageOps

    with item.file.open("rb") as source:
        image = Image.open(source)
        # JPEG decoders can scale down while reading: a 12-megapixel photo costs a fraction of the work.
        image.draft("RGB", (THUMBNAIL_PX * 2, THUMBNAIL_PX * 2))
        image = ImageOps.exif_transpose(image)
        image.thumbnail((THUMBNAIL_PX, THUMBNAIL_PX))
        out = io.BytesIO()
        image.convert("RGB").save(out, "JPEG", quality=80)
    return out.getvalue()


@login_required
def evidence_thumbnail(request, pk):
    """A small JPEG of an image evidence file, made on first request and kept."""
    item = _item(request, pk)
    if item.content_type not in IMAGE_TYPES:
        raise Http404
    storage, name = item.file.storage, thumbnail_name(item)
    if not storage.exists(name):
        from PIL import Image

        try:
            data = _make_thumbnail(item)
        except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
            # An unreadable or hostile picture: no thumbnail (the page shows its name instead).
            raise Http404 from exc
        name = storage.save(name, ContentFile(data))
    response = FileResponse(storage.open(name, "rb"), content_type="image/jpeg")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=86400"
    return response


@login_required
@require_POST
def evidence_delete(request, pk):
    item = get_in_scope(Evidence.objects.filter(appraisal__in=selectors.appraisals_for(request.user)), pk=pk)
    appraisal_id = item.appraisal_id
    try:
        services.evidence_remove(evidence=item, user=request.user, ip=client_ip(request))
    except ValidationError as exc:
        error_messages(request, exc)
    else:
        messages.success(request, _("The file was removed."))
    return redirect("appraisal:self_report", pk=appraisal_id)
