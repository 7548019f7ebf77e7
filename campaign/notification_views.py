"""The notification centre: one's own notifications, marked read one by one (htmx) or all at once."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaign.models import Notification


def _unread(user):
    return Notification.objects.filter(user=user, read_at__isnull=True)


@login_required
def notification_list(request):
    notifications = Notification.objects.filter(user=request.user)
    only_unread = request.GET.get("unread") == "1"
    if only_unread:
        notifications = notifications.filter(read_at__isnull=True)
    page = Paginator(notifications, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "campaign/notification_list.html",
        {"page_obj": page, "only_unread": only_unread, "query_string": "unread=1" if only_unread else ""},
    )


@login_required
@require_POST
def notification_read(request, pk):
    # Only one's own notifications exist as far as this view is concerned.
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    if request.headers.get("HX-Request") == "true" and request.POST.get("open") != "1":
        # htmx: swap the row in place and refresh the badge in the navigation bar (out of band).
        return render(
            request,
            "campaign/_notification_row.html",
            {"n": notification, "unread_notifications": _unread(request.user).count(), "oob_badge": True},
        )
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read_all(request):
    count = _unread(request.user).update(read_at=timezone.now())
    messages.success(request, _("%(count)s notifications marked as read.") % {"count": count})
    return redirect("notifications:list")
