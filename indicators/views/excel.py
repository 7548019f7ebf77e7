"""The sheets' workbooks: a township's (to fill in), the export of what the user sees, and the upload."""

import tempfile

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from campaign.access import get_in_scope, require_role, role_required
from campaign.roles import COUNTY_ROLES, Role
from campaign.uploads import upload_limit
from indicators.excel import PLAN_NAME, workbook
from indicators.figures import indicator_set, village_figures
from indicators.forms import ImportSheetsForm
from indicators.views.common import MAX_YEAR, MIN_YEAR
from villages.importer import services as importer
from villages.importer.xlsx import XLSX_CONTENT_TYPE
from villages.selectors import counties_for, townships_for, villages_for


def _year(year):
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404
    return year


def _response(book, name):
    handle = tempfile.TemporaryFile()
    book.save(handle)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=name, content_type=XLSX_CONTENT_TYPE)


def _grouped(rows):
    groups = {}
    for row in rows:
        groups.setdefault((row.township_code, row.township_name), []).append(row)
    return [(f"{code} {name}", group) for (code, name), group in groups.items()]


@role_required(Role.TOWNSHIP, Role.COUNTY_ADMIN)
def template_download(request, township_id, year):
    """The township's workbook of ``year``: its villages with today's figures, ready to fill in."""
    year = _year(year)
    township = get_in_scope(townships_for(request.user), pk=township_id)
    rows = village_figures(
        villages_for(request.user).filter(township=township), year, county_ids=[township.county_id]
    )
    book = workbook(_grouped(rows), indicator_set(township.county_id), year)
    return _response(book, f"{_('indicators')}-{year}-{township.code}-{township.name}.xlsx")


@role_required(*COUNTY_ROLES, Role.TOWNSHIP, Role.CITY)
def export_download(request, year):
    """Every village the user sees (a city viewer: one county, ``?county=``), one sheet per township."""
    year = _year(year)
    user = request.user
    if user.role == Role.CITY:
        raw = request.GET.get("county", "")
        if not raw.isdigit():
            raise Http404
        county = get_in_scope(counties_for(user), pk=int(raw))
    else:
        county = user.county
    villages = villages_for(user).filter(township__county=county)
    if request.GET.get("township", "").isdigit():
        villages = villages.filter(township_id=int(request.GET["township"]))
    rows = village_figures(villages, year, county_ids=[county.pk])
    book = workbook(_grouped(rows), indicator_set(county.pk), year)
    return _response(book, f"{_('indicators')}-{year}-{county.name}.xlsx")


def _too_large(request):
    # Refused without reading the body, as the registry's upload (campaign/uploads.py).
    form = ImportSheetsForm(data={}, files={}, too_large=True)
    return render(request, "indicators/import_error.html", {"form": form}, status=413)


# As the registry import: outside the request's transaction, so that a job no worker can take is
# marked failed when the service commits (campaign/jobs.py).
@transaction.non_atomic_requests
@login_required
@upload_limit(
    max_request_bytes=lambda: importer.limits()["max_bytes"],
    max_file_bytes=lambda: importer.limits()["max_bytes"],
    too_large=_too_large,
)
def import_upload(request):
    """The township's filled-in workbook: a job of the registry importer (preview, then apply)."""
    require_role(request.user, Role.TOWNSHIP)
    if request.method != "POST":
        return redirect("indicators:township", request.user.township_id)
    form = ImportSheetsForm(request.POST, request.FILES)
    form.too_large = request.upload_too_large or bool(request.refused_uploads)
    if form.is_valid():
        job = importer.import_job_create(
            user=request.user,
            upload=form.cleaned_data["file"],
            rows_estimate=form.rows_estimate,
            plan=PLAN_NAME,
        )
        return redirect("importer:detail", pk=job.pk)
    return render(request, "indicators/import_error.html", {"form": form}, status=400)
