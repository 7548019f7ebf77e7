from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from campaign import views
from campaign.accounts import views as account_views

urlpatterns = [
    path("", views.home, name="home"),
    path("menu/", views.menu, name="menu"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", account_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", account_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/locks/", account_views.login_locks, name="login_locks"),
    path("accounts/locks/lift/", account_views.login_lock_lift, name="login_lock_lift"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("notifications/", include("campaign.notification_urls")),
    path("registry/import/", include("villages.importer.urls")),
    path("registry/", include("villages.urls")),
    path("cadres/", include("cadres.urls")),
    path("appraisal/", include("appraisal.urls")),
    path("steering/", include("campaign.steering.urls")),
    path("reports/", include("campaign.reports.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "campaign.errors.permission_denied"
handler404 = "campaign.errors.page_not_found"
handler500 = "campaign.errors.server_error"
