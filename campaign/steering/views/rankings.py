"""Classification for guidance, the township ranking and the campaign's steering settings."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaign.access import role_required
from campaign.roles import COUNTY_ROLES, Role
from campaign.steering import ranking, selectors, services
from campaign.steering.forms import SteeringSettingsForm
from campaign.steering.models import Classification
from campaign.steering.views.common import campaign_choice
from campaign.steering.xlsx import xlsx_response


@role_required(*COUNTY_ROLES, Role.TOWNSHIP)
def classification(request):
    from appraisal.selectors import appraisals_for

    campaign, campaigns = campaign_choice(request)
    rows = []
    track = request.GET.get("track", "village")
    chosen_class = request.GET.get("class", "")
    if campaign is not None:
        appraisals = appraisals_for(request.user)
        township = request.GET.get("township", "")
        if township.isdigit():
            appraisals = appraisals.filter(township_id=int(township))
        rows = ranking.classification_for(appraisals, campaign)
    rows = [r for r in rows if r.track == track]
    counts = {c: sum(1 for r in rows if r.classification == c) for c in Classification.values}
    if chosen_class in Classification.values:
        rows = [r for r in rows if r.classification == chosen_class]
    return render(
        request,
        "steering/classification.html",
        {
            "campaign": campaign,
            "campaigns": campaigns,
            "rows": rows,
            "track": track,
            "counts": counts,
            "chosen_class": chosen_class,
            "classes": Classification.choices,
            "settings": services.settings_for(campaign) if campaign else None,
            "can_configure": request.user.role == Role.COUNTY_ADMIN,
        },
    )


@role_required(*COUNTY_ROLES, Role.TOWNSHIP, Role.CITY)
def ranking_view(request):
    campaign, campaigns = campaign_choice(request)
    rows = []
    if campaign is not None:
        rows = list(
            selectors.rankings_for(request.user).filter(campaign=campaign).order_by("rank", "township__code")
        )
    return render(
        request,
        "steering/ranking.html",
        {
            "campaign": campaign,
            "campaigns": campaigns,
            "rows": rows,
            # 组织委员末位转岗 is a personnel matter: only county administrators see it.
            "show_transfer": request.user.role == Role.COUNTY_ADMIN,
            "can_compute": request.user.role == Role.COUNTY_ADMIN
            and campaign is not None
            and campaign.county_id == request.user.county_id,
            "settings": services.settings_for(campaign) if campaign else None,
        },
    )


@require_POST
@role_required(Role.COUNTY_ADMIN)
def ranking_compute(request):
    campaign, _campaigns = campaign_choice(request, request.POST.get("campaign", ""))
    if campaign is None or campaign.county_id != request.user.county_id:
        messages.error(request, _("Choose a campaign."))
        return redirect("steering:ranking")
    rows = ranking.ranking_compute(campaign=campaign, user=request.user)
    messages.success(
        request,
        _("Ranking of %(n)s townships computed for %(campaign)s.") % {"n": len(rows), "campaign": campaign},
    )
    return redirect(f"{_ranking_url()}?campaign={campaign.pk}")


def _ranking_url():
    from django.urls import reverse

    return reverse("steering:ranking")


@role_required(*COUNTY_ROLES, Role.TOWNSHIP, Role.CITY)
def ranking_export(request):
    campaign, _campaigns = campaign_choice(request)
    rows = selectors.rankings_for(request.user)
    if campaign is not None:
        rows = rows.filter(campaign=campaign)
    show_transfer = request.user.role == Role.COUNTY_ADMIN
    data = rows.order_by("campaign__year", "rank", "township__code").values_list(
        "campaign__year",
        "rank",
        "township__name",
        "own_score",
        "villages_mean",
        "village_count",
        "score",
        "bottom_two",
        "previous_rank",
        "transfer_flag",
        "organization_member__name",
    )

    def generate():
        for *values, bottom, previous, flag, member in data.iterator(chunk_size=2000):
            row = [*values, _("yes") if bottom else "", previous]
            if show_transfer:
                row += [_("yes") if flag else "", member if flag else ""]
            yield row

    headers = [
        _("Year"),
        _("Rank"),
        _("Township"),
        _("Own score"),
        _("Villages' mean score"),
        _("Villages scored"),
        _("Ranking score"),
        _("Bottom two"),
        _("Previous rank"),
    ]
    if show_transfer:
        headers += [_("Flagged for transfer"), _("Organization committee member")]
    return xlsx_response(
        filename=_("township-ranking-%(date)s.xlsx") % {"date": timezone.localdate().isoformat()},
        title=_("Township ranking"),
        headers=headers,
        rows=generate(),
        widths=[8, 6, 16, 10, 12, 10, 10, 8, 8, 10, 14],
    )


@role_required(Role.COUNTY_ADMIN)
def settings_edit(request):
    campaign, campaigns = campaign_choice(request)
    if campaign is None or campaign.county_id != request.user.county_id:
        messages.error(request, _("Choose a campaign of your county."))
        return redirect("steering:classification")
    current = services.settings_for(campaign)
    form = SteeringSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.steering_settings_update(campaign=campaign, user=request.user, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Settings saved for %(campaign)s.") % {"campaign": campaign})
            return redirect(f"{_classification_url()}?campaign={campaign.pk}")
    return render(
        request, "steering/settings_form.html", {"form": form, "campaign": campaign, "campaigns": campaigns}
    )


def _classification_url():
    from django.urls import reverse

    return reverse("steering:classification")
