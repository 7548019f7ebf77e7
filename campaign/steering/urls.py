from django.urls import path

from campaign.steering.views import dashboards, lists, notices, rankings

app_name = "steering"
urlpatterns = [
    path("dashboard/", dashboards.dashboard, name="dashboard"),
    path("departments/", dashboards.department_dashboard, name="departments"),
    path("city/", dashboards.city_dashboard, name="city"),
    path("appraisals/", lists.appraisal_list, name="appraisal_list"),
    path("appraisals/export.xlsx", lists.appraisal_export, name="appraisal_export"),
    path("titles/", lists.title_list, name="title_list"),
    path("titles/export.xlsx", lists.title_export, name="title_export"),
    path("classification/", rankings.classification, name="classification"),
    path("ranking/", rankings.ranking_view, name="ranking"),
    path("ranking/compute/", rankings.ranking_compute, name="ranking_compute"),
    path("ranking/export.xlsx", rankings.ranking_export, name="ranking_export"),
    path("settings/", rankings.settings_edit, name="settings"),
    path("notices/", notices.notice_list, name="notice_list"),
    path("notices/new/", notices.notice_create, name="notice_create"),
    path("notices/export.xlsx", notices.notice_export, name="notice_export"),
    path("notices/<int:pk>/", notices.notice_detail, name="notice_detail"),
    path("notices/<int:pk>/reply/", notices.notice_reply, name="notice_reply"),
    path("notices/<int:pk>/items/<int:item_pk>/", notices.notice_item_toggle, name="notice_item_toggle"),
    path("notices/<int:pk>/accept/", notices.notice_accept, name="notice_accept"),
    path("notices/<int:pk>/return/", notices.notice_return, name="notice_return"),
    path(
        "notices/<int:pk>/files/<int:attachment_pk>/",
        notices.attachment_download,
        name="notice_attachment",
    ),
]
