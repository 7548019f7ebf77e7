from django.urls import path

from indicators import views

app_name = "indicators"
urlpatterns = [
    path("", views.home, name="home"),
    path("settings/", views.home, name="settings"),
    path("village/<int:village_id>/<int:year>/", views.home, name="sheet"),
]
