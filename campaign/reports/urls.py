from django.urls import path

from campaign.reports import briefing_views, document_views, views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("take/", views.report_take_now, name="report_take"),
    path("compare/", views.report_compare, name="report_compare"),
    path("<int:pk>/", views.report_detail, name="report_detail"),
    path("briefings/", briefing_views.briefing_list, name="briefing_list"),
    path("briefings/new/", briefing_views.briefing_new, name="briefing_new"),
    path("briefings/<int:pk>/", briefing_views.briefing_detail, name="briefing_detail"),
    path("briefings/<int:pk>/edit/", briefing_views.briefing_edit, name="briefing_edit"),
    path("briefings/<int:pk>/status/", briefing_views.briefing_status, name="briefing_status"),
    path("briefings/<int:pk>/publish/", briefing_views.briefing_publish_view, name="briefing_publish"),
    path("briefings/<int:pk>/unpublish/", briefing_views.briefing_unpublish_view, name="briefing_unpublish"),
    path("briefings/<int:pk>/render/", briefing_views.briefing_render_view, name="briefing_render"),
    path("briefings/<int:pk>/pdf/", briefing_views.briefing_download, name="briefing_download"),
    path("documents/", document_views.document_list, name="document_list"),
    path("documents/make/", document_views.document_make, name="document_make"),
    path("documents/<int:pk>/pdf/", document_views.document_download, name="document_download"),
    path("documents/<int:pk>/status/", document_views.document_status, name="document_status"),
    path("documents/settings/", document_views.print_settings, name="print_settings"),
    path("documents/public-notice/<int:pk>/", document_views.public_notice_print, name="public_notice_print"),
    path("documents/supervision/<int:pk>/", document_views.supervision_print, name="supervision_print"),
]
