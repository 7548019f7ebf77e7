"""The work queues: the township's villages and its reports for re-check, the county's re-check queue;
returns for revision. The check page itself is ``views/check_form.py``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from appraisal import selectors, services
from appraisal.forms import ReturnForm
from appraisal.models import Appraisal, Track
from appraisal.views.common import client_ip, error_messages, page, parse_id, parse_ids
from campaign.access import get_in_scope, next_url, role_required
from campaign.roles import Role

S = Appraisal.Status
COUNTY_CHECKERS = (Role.COUNTY_ADMIN, Role.COUNTY_REVIEWER)


def _campaign(request):
    campaign_id = request.GET.get("campaign")
    campaigns = selectors.campaigns_for(request.user)
    if parse_id(campaign_id) is not None:
        chosen = campaigns.filter(pk=parse_id(campaign_id)).first()
        if chosen is not None:
            return chosen
    # No choice, or one outside the user's scope: the current campaign.
    return selectors.current_campaign(request.user)


def _status_filter(request, queryset):
    status = request.GET.get("status", "")
    if status in S.values:
        queryset = queryset.filter(status=status)
    return queryset, status


@role_required(Role.TOWNSHIP)
def township_queue(request):
    """The township's villages by state: what waits for the township first, then the rest."""
    campaign = _campaign(request)
    base = selectors.township_queue(request.user, campaign) if campaign else Appraisal.objects.none()
    queryset, status = _status_filter(request, base)
    own = None
    if campaign:
        own = selectors.appraisals_for(request.user).filter(campaign=campaign, track=Track.TOWNSHIP).first()
    return render(
        request,
        "appraisal/township_queue.html",
        {
            "campaign": campaign,
            "page_obj": page(request, queryset),
            "counts": selectors.status_counts(base),
            "statuses": S.choices,
            "status": status,
            "own": own,
            "query_string": f"status={status}" if status else "",
        },
    )


@role_required(Role.TOWNSHIP)
@require_POST
def request_recheck(request):
    """Report the chosen checked villages to the county for re-check (one or a batch)."""
    ids, valid = parse_ids(request.POST.getlist("appraisal"))
    appraisals = list(selectors.appraisals_for(request.user).filter(pk__in=ids, track=Track.VILLAGE))
    if not valid or len(appraisals) != len(ids):
        raise PermissionDenied
    try:
        with transaction.atomic():
            done = services.appraisal_request_recheck(
                appraisals=appraisals, user=request.user, ip=client_ip(request)
            )
    except ValidationError as exc:
        error_messages(request, exc)
    else:
        messages.success(request, _("%(n)s reported to the county for re-check.") % {"n": len(done)})
    return redirect(next_url(request, "appraisal:township_queue"))


@role_required(*COUNTY_CHECKERS)
def recheck_queue(request):
    """What waits for the county, grouped by the batch a township reported (with its date), then the
    townships' and departments' own reports; ``?batch=`` shows one batch (the notification's link)."""
    campaign = _campaign(request)
    queryset = selectors.recheck_queue(request.user, campaign) if campaign else Appraisal.objects.none()
    filters = {}
    township = request.GET.get("township", "")
    if parse_id(township) is not None:
        queryset = queryset.filter(township_id=township)
        filters["township"] = township
    batch = request.GET.get("batch", "")
    if parse_id(batch) is not None:
        queryset = queryset.filter(recheck_batch_id=batch)
        filters["batch"] = batch
    page_obj = page(request, queryset)
    sizes = selectors.batch_sizes({a.recheck_batch_id for a in page_obj if a.recheck_batch_id})
    groups = []
    for appraisal in page_obj:
        if not groups or groups[-1]["batch"] != appraisal.recheck_batch:
            total, waiting = sizes.get(appraisal.recheck_batch_id, (0, 0))
            groups.append({"batch": appraisal.recheck_batch, "total": total, "waiting": waiting, "rows": []})
        groups[-1]["rows"].append(appraisal)
    return render(
        request,
        "appraisal/recheck_queue.html",
        {
            "campaign": campaign,
            "page_obj": page_obj,
            "groups": groups,
            "townships": selectors.townships_in_scope(request.user),
            "township": township,
            "batch": batch,
            "query_string": "&".join(f"{k}={v}" for k, v in filters.items()),
        },
    )


@login_required
@require_POST
def return_for_revision(request, pk):
    appraisal = get_in_scope(selectors.appraisals_for(request.user), pk=pk)
    if request.user.role not in (Role.TOWNSHIP, *COUNTY_CHECKERS):
        raise PermissionDenied
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the report is returned."))
        return redirect("appraisal:check", pk=appraisal.pk)
    try:
        with transaction.atomic():
            services.appraisal_return(
                appraisal=appraisal,
                user=request.user,
                reason=form.cleaned_data["reason"],
                expected=request.POST.get("expected") or None,
                ip=client_ip(request),
            )
    except ValidationError as exc:
        error_messages(request, exc)
        return redirect("appraisal:appraisal_detail", pk=appraisal.pk)
    messages.success(request, _("The report was returned for revision."))
    if request.user.role == Role.TOWNSHIP:
        return redirect("appraisal:township_queue")
    return redirect("appraisal:recheck_queue")
