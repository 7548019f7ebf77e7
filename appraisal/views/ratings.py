"""Ratings of county departments from below (townships, villages) and by peers (other departments)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from appraisal import selectors, services
from appraisal.forms import RatingForm
from appraisal.models import Rating
from appraisal.views.common import error_messages
from campaign.access import get_in_scope, role_required
from campaign.roles import Role

RATERS = (Role.TOWNSHIP, Role.VILLAGE, Role.DEPARTMENT)


@role_required(*RATERS, Role.COUNTY_ADMIN)
def rating_list(request):
    """Raters see the departments with their own ratings; county administrators see every rating."""
    campaign = selectors.current_campaign(request.user)
    departments = selectors.departments_to_rate(request.user, campaign)
    given = selectors.ratings_given_by(request.user, campaign) if campaign else {}
    rows = [{"department": d, "rating": given.get(d.pk)} for d in departments]
    individual = None
    if request.user.role == Role.COUNTY_ADMIN and campaign:
        individual = (
            Rating.objects.filter(campaign=campaign, department__county_id=request.user.county_id)
            .select_related(
                "department",
                "rater__village",
                "rater__department",
                "rater__township",
                "rater__county",
                "rater__city",
            )
            .order_by("department__code", "id")
        )
    return render(
        request,
        "appraisal/rating_list.html",
        {
            "campaign": campaign,
            "rows": rows,
            "grades": Rating.Grade.choices,
            "open": bool(campaign and campaign.rating_open(timezone.localdate())),
            "can_rate": request.user.role in RATERS,
            "peer": request.user.role == Role.DEPARTMENT,
            "individual": individual,
        },
    )


@role_required(*RATERS)
@require_POST
def rating_record(request, department_pk):
    campaign = selectors.current_campaign(request.user)
    department = get_in_scope(selectors.departments_to_rate(request.user, campaign), pk=department_pk)
    form = RatingForm(request.POST)
    if not form.is_valid() or campaign is None:
        messages.error(request, _("Choose a rating."))
        return redirect("appraisal:rating_list")
    try:
        with transaction.atomic():
            services.rating_record(
                campaign=campaign, department=department, user=request.user, **form.cleaned_data
            )
    except ValidationError as exc:
        error_messages(request, exc)
    else:
        messages.success(request, _("Your rating of %(department)s was saved.") % {"department": department})
    return redirect("appraisal:rating_list")
