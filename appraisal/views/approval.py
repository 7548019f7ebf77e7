"""The county leader's approval (县委审定): the batches whose notice has ended, with the warnings by name."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from appraisal import selectors, services
from appraisal.views.checks import _campaign
from appraisal.views.common import client_ip, error_messages, parse_ids
from campaign.access import role_required
from campaign.roles import Role


@role_required(Role.COUNTY_LEADER, Role.COUNTY_ADMIN)
def approval(request):
    """The leader's page: the batches under notice, which may be approved, and what to look at first:
    the five-star cap, and by name the subjects classified lagging, short of a star, or with an
    objection still open."""
    campaign = _campaign(request)
    today = timezone.localdate()
    batch = list(selectors.approval_batch(request.user, campaign)) if campaign else []
    notices = {}
    for appraisal in batch:
        entry = notices.setdefault(appraisal.notice_id, {"notice": appraisal.notice, "appraisals": []})
        appraisal.ready = appraisal.notice.has_ended(today) and not appraisal.pending_objections
        entry["appraisals"].append(appraisal)
    warnings = []
    if campaign:
        five, villages, cap = selectors.five_star_share(campaign)
        if cap is not None and villages and five * 100 > cap * villages:
            warnings.append(
                {
                    "key": "cap",
                    "text": _(
                        "%(five)s of the county's %(villages)s villages would be five-star, "
                        "above the cap of %(cap)s%%."
                    )
                    % {"five": five, "villages": villages, "cap": cap},
                }
            )
        warnings += selectors.approval_warnings(batch)
    return render(
        request,
        "appraisal/approval.html",
        {
            "campaign": campaign,
            "batches": list(notices.values()),
            "today": today,
            "warnings": warnings,
            "all_appraisals": batch,
            "can_approve": request.user.role == Role.COUNTY_LEADER,
        },
    )


@role_required(Role.COUNTY_LEADER)
@require_POST
def approve(request):
    ids, valid = parse_ids(request.POST.getlist("appraisal"))
    if not valid:
        raise PermissionDenied
    appraisals = list(selectors.appraisals_for(request.user).filter(pk__in=ids))
    if len(appraisals) != len(ids):
        raise PermissionDenied
    if not appraisals:
        messages.error(request, _("Tick the subjects to approve."))
        return redirect("appraisal:approval")
    try:
        with transaction.atomic():
            titles = services.appraisal_approve(
                appraisals=appraisals, user=request.user, ip=client_ip(request)
            )
    except ValidationError as exc:
        error_messages(request, exc)
        return redirect("appraisal:approval")
    messages.success(
        request, _("%(n)s approved; %(t)s titles issued.") % {"n": len(appraisals), "t": len(titles)}
    )
    return redirect("appraisal:title_list")
