from django.urls import path

from villages.importer import views

app_name = "importer"
urlpatterns = [
    path("", views.import_home, name="home"),
    path("upload/", views.import_upload, name="upload"),
    path("<int:pk>/", views.import_detail, name="detail"),
    path("<int:pk>/progress/", views.import_progress, name="progress"),
    path("<int:pk>/confirm/", views.import_confirm, name="confirm"),
    path("<int:pk>/retry/", views.import_retry, name="retry"),
    path("<int:pk>/cancel/", views.import_cancel, name="cancel"),
    path("<int:pk>/problems.xlsx", views.import_errors_download, name="errors"),
    path("template/<slug:kind>.xlsx", views.template_download, name="template"),
    path("export/<slug:kind>.xlsx", views.export_download, name="export"),
]
