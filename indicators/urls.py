from django.urls import path

from indicators.views import excel, rollups, settings, sheets

app_name = "indicators"
urlpatterns = [
    path("", rollups.home, name="home"),
    path("county/", rollups.county, name="county"),
    path("county/<int:pk>/", rollups.county_detail, name="county_detail"),
    path("city/", rollups.city, name="city"),
    path("township/<int:pk>/", rollups.township, name="township"),
    path("township/<int:pk>/confirm/", rollups.township_confirm, name="township_confirm"),
    path("village/<int:village_id>/<int:year>/", sheets.sheet_detail, name="sheet"),
    path("village/<int:village_id>/<int:year>/<slug:action>/", sheets.sheet_action, name="sheet_action"),
    path("settings/", settings.settings_page, name="settings"),
    path("settings/window/", settings.window_edit, name="window"),
    path("settings/indicators/", settings.switches, name="switches"),
    path("settings/targets/new/", settings.target_edit, name="target_new"),
    path("settings/targets/<int:pk>/", settings.target_edit, name="target_edit"),
    path("settings/targets/<int:pk>/delete/", settings.target_delete, name="target_delete"),
    path("settings/extras/new/", settings.extra_edit, name="extra_new"),
    path("settings/extras/<int:pk>/", settings.extra_edit, name="extra_edit"),
    path("excel/<int:township_id>/<int:year>.xlsx", excel.template_download, name="excel_template"),
    path("excel/export/<int:year>.xlsx", excel.export_download, name="excel_export"),
    path("excel/import/", excel.import_upload, name="excel_import"),
]
