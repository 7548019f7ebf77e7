from django.urls import path

from villages import views

app_name = "villages"


def crud(prefix, name, module_views):
    """The list, detail, create, update and delete routes of one kind of object."""
    return [
        path(f"{prefix}/", module_views[f"{name}_list"], name=f"{name}_list"),
        path(f"{prefix}/new/", module_views[f"{name}_create"], name=f"{name}_create"),
        path(f"{prefix}/<int:pk>/", module_views[f"{name}_detail"], name=f"{name}_detail"),
        path(f"{prefix}/<int:pk>/edit/", module_views[f"{name}_update"], name=f"{name}_update"),
        path(f"{prefix}/<int:pk>/delete/", module_views[f"{name}_delete"], name=f"{name}_delete"),
    ]


_views = vars(views)
urlpatterns = [
    path("villages/mine/", views.village_mine, name="village_mine"),
    *crud("townships", "township", _views),
    *crud("villages", "village", _views),
    *crud("departments", "department", _views),
    *crud("party-organizations", "party_org", _views),
]
