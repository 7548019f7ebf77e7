"""Printed documents of a campaign: certificates, the naming list, the county self-check."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from appraisal.selectors import campaigns_for, titles_for
from campaign.access import get_in_scope, role_required
from campaign.files import clean_filename
from campaign.reports import pdf
from campaign.reports.models import Document
from campaign.reports.selectors import documents_for
from campaign.reports.services import document_request
from campaign.roles import COUNTY_ROLES, Role

VIEWERS = (*COUNTY_ROLES, Role.CITY)


@role_required(*VIEWERS)
def document_list(request):
    campaigns = campaigns_for(request.user).select_related("county").order_by("-year", "county__code")
    campaign = None
    wanted = request.GET.get("campaign")
    if wanted and wanted.isdigit():
        campaign = campaigns.filter(pk=wanted).first()
    campaign = campaign or campaigns.first()
    documents = documents_for(request.user).filter(campaign=campaign) if campaign else Document.objects.none()
    by_key = {(d.kind, d.title_id): d for d in documents}
    titles = (
        titles_for(request.user)
        .filter(campaign=campaign)
        .order_by("track", "township__code", "village__code", "id")
        if campaign
        else titles_for(request.user).none()
    )
    page = Paginator(titles, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    for title in page:
        title.certificate = by_key.get((Document.Kind.CERTIFICATE, title.pk))
    return render(
        request,
        "reports/document_list.html",
        {
            "campaign": campaign,
            "campaigns": campaigns,
            "page_obj": page,
            "query_string": f"campaign={campaign.pk}" if campaign else "",
            "naming_list": by_key.get((Document.Kind.NAMING_LIST, 0)),
            "self_check": by_key.get((Document.Kind.COUNTY_SELF_CHECK, 0)),
            "can_make": request.user.role == Role.COUNTY_ADMIN,
            "Kind": Document.Kind,
        },
    )


# Not in the request's transaction: the page tells at once whether the job was sent (campaign/jobs.py).
@transaction.non_atomic_requests
@require_POST
@role_required(Role.COUNTY_ADMIN)
def document_make(request):
    campaign = get_in_scope(campaigns_for(request.user), pk=request.POST.get("campaign") or 0)
    kind = request.POST.get("kind")
    if kind not in Document.Kind.values:
        raise Http404
    title = None
    if kind == Document.Kind.CERTIFICATE:
        title = get_in_scope(
            titles_for(request.user).filter(campaign=campaign), pk=request.POST.get("title") or 0
        )
    try:
        document = document_request(campaign=campaign, kind=kind, title=title, user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        document.refresh_from_db(fields=["status", "failure_reason"])
        if document.status == Document.Status.FAILED:
            messages.error(request, document.failure_reason)
        else:
            messages.success(request, _("The PDF is being made."))
    return redirect(f"{reverse('reports:document_list')}?campaign={campaign.pk}")


@role_required(*VIEWERS)
def document_download(request, pk):
    """The last PDF made, also while a new one is being made."""
    document = get_in_scope(documents_for(request.user), pk=pk)
    if not document.pdf:
        raise Http404(_("The PDF is not ready."))
    path = pdf.media_path(document.pdf)
    if not path.is_file():
        raise Http404(_("The PDF is not ready."))
    filename = f"{document.get_kind_display()}-{document.campaign.year}-{document.pk}.pdf"
    handle = open(path, "rb")  # noqa: SIM115 - FileResponse closes it
    return FileResponse(handle, content_type="application/pdf", filename=clean_filename(filename))
