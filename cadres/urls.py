from django.urls import path

from cadres import views

app_name = "cadres"
urlpatterns = [
    path("", views.cadre_list, name="cadre_list"),
    path("new/", views.cadre_create, name="cadre_create"),
    path("<int:pk>/", views.cadre_detail, name="cadre_detail"),
    path("<int:pk>/edit/", views.cadre_update, name="cadre_update"),
    path("<int:pk>/delete/", views.cadre_delete, name="cadre_delete"),
    path("positions/", views.position_list, name="position_list"),
    path("<int:cadre_pk>/positions/new/", views.position_create, name="position_create"),
    path("positions/<int:pk>/", views.position_detail, name="position_detail"),
    path("positions/<int:pk>/edit/", views.position_update, name="position_update"),
    path("positions/<int:pk>/delete/", views.position_delete, name="position_delete"),
]
