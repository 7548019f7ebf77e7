from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from cadres.selectors import cadres_for, can_see_phone, current_positions_prefetch
from campaign.access import get_in_scope, role_required
from campaign.roles import Role
from villages import selectors, services
from villages.filters import DepartmentFilter
from villages.forms import DepartmentForm
from villages.models import Department
from villages.permissions import COUNTY_LEVEL_EDITORS, may_edit
from villages.views.common import list_page, object_delete, object_form


@login_required
def department_list(request):
    filterset = DepartmentFilter(
        request.GET, queryset=selectors.department_list(request.user), request=request
    )
    context = list_page(request, filterset)
    context["can_create"] = may_edit(request.user, COUNTY_LEVEL_EDITORS)
    return render(request, "villages/department_list.html", context)


@login_required
def department_detail(request, pk):
    user = request.user
    department = get_in_scope(selectors.departments_for(user), pk=pk)
    cadres = list(
        cadres_for(user)
        .filter(department=department)
        .prefetch_related(current_positions_prefetch())
        .order_by("name")
    )
    for cadre in cadres:
        cadre.phone_visible = can_see_phone(user, cadre)
    return render(
        request,
        "villages/department_detail.html",
        {
            "department": department,
            "party_organizations": selectors.party_organizations_for(user).filter(department=department),
            "cadres": cadres,
            # Townships and villages see the county's departments (they rate them),
            # not who works there.
            "show_members": user.role not in (Role.TOWNSHIP, Role.VILLAGE),
            "can_edit": may_edit(user, COUNTY_LEVEL_EDITORS),
        },
    )


@role_required(*COUNTY_LEVEL_EDITORS)
def department_create(request):
    user = request.user
    form = DepartmentForm(request.POST or None, user=user, instance=Department(county_id=user.county_id))
    return object_form(
        request,
        form=form,
        save=lambda data: services.department_create(user=user, **data),
        title=_("New county department"),
        cancel_url=reverse("villages:department_list"),
    )


@role_required(*COUNTY_LEVEL_EDITORS)
def department_update(request, pk):
    user = request.user
    department = get_in_scope(selectors.departments_for(user), pk=pk)
    form = DepartmentForm(request.POST or None, user=user, instance=department)
    return object_form(
        request,
        form=form,
        save=lambda data: services.department_update(
            user=user, department=selectors.departments_for(user).get(pk=pk), **data
        ),
        title=_("Edit county department %(name)s") % {"name": department.name},
        cancel_url=department.get_absolute_url(),
    )


@role_required(*COUNTY_LEVEL_EDITORS)
def department_delete(request, pk):
    user = request.user
    department = get_in_scope(selectors.departments_for(user), pk=pk)
    return object_delete(
        request,
        obj=department,
        delete=lambda: services.department_delete(user=user, department=department),
        success_url=reverse("villages:department_list"),
        cancel_url=department.get_absolute_url(),
    )
