from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from campaign.access import get_in_scope
from villages import selectors


def _page(request, queryset):
    return Paginator(queryset, settings.PAGE_SIZE).get_page(request.GET.get("page"))


@login_required
def township_list(request):
    return render(
        request,
        "villages/township_list.html",
        {"page_obj": _page(request, selectors.township_list(request.user))},
    )


@login_required
def village_list(request):
    return render(
        request,
        "villages/village_list.html",
        {"page_obj": _page(request, selectors.villages_for(request.user))},
    )


@login_required
def village_mine(request):
    village = selectors.villages_for(request.user).first()
    if village is None:
        return redirect("home")
    return redirect("villages:village_detail", pk=village.pk)


@login_required
def village_detail(request, pk):
    village = get_in_scope(selectors.villages_for(request.user), pk=pk)
    return render(request, "villages/village_detail.html", {"village": village})


@login_required
def department_list(request):
    return render(
        request,
        "villages/department_list.html",
        {"page_obj": _page(request, selectors.departments_for(request.user))},
    )


@login_required
def party_org_list(request):
    return render(
        request,
        "villages/party_org_list.html",
        {"page_obj": _page(request, selectors.party_organizations_for(request.user))},
    )
