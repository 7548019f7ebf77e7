from django.urls import path

from campaign.steering.views import notices

app_name = "steering"
urlpatterns = [
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
