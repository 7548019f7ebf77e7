from django.urls import path

from appraisal.views import titles

app_name = "appraisal"
urlpatterns = [
    path("titles/", titles.title_list, name="title_list"),
    path("titles/<int:pk>/", titles.title_detail, name="title_detail"),
    path("titles/<int:pk>/revoke/", titles.title_revoke, name="title_revoke"),
    path("titles/<int:pk>/withdraw-star/", titles.title_withdraw_star, name="title_withdraw_star"),
]
