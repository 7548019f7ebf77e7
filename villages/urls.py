from django.urls import path

from villages import views

app_name = "villages"
urlpatterns = [
    path("townships/", views.township_list, name="township_list"),
    path("villages/", views.village_list, name="village_list"),
    path("villages/mine/", views.village_mine, name="village_mine"),
    path("villages/<int:pk>/", views.village_detail, name="village_detail"),
    path("departments/", views.department_list, name="department_list"),
    path("party-organizations/", views.party_org_list, name="party_org_list"),
]
