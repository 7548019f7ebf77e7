"""Sign-in pages: login, password change (clears the first-login flag), and the county's login locks."""

import logging

from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaign.accounts.forms import LoginForm
from campaign.accounts.throttle import locks_now
from campaign.models import User
from campaign.net import client_ip
from campaign.roles import Role

log = logging.getLogger("campaign.security")


def locked_out(request, original_response=None, credentials=None):
    """What a locked login sees (django-axes' AXES_LOCKOUT_CALLABLE): 429 and when to try again."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked.html", {"minutes": minutes}, status=429)


class LoginView(auth_views.LoginView):
    authentication_form = LoginForm


class PasswordChangeView(auth_views.PasswordChangeView):
    def form_valid(self, form):
        response = super().form_valid(form)
        if form.user.must_change_password:
            User.objects.filter(pk=form.user.pk).update(must_change_password=False)
            messages.success(self.request, _("Your new password is set."))
            return redirect("home")
        return response


def _may_manage_locks(user):
    return user.is_superuser or user.role == Role.COUNTY_ADMIN


def _county_usernames(user):
    """The accounts whose locks ``user`` manages: a county administrator's county, minus superusers."""
    if user.is_superuser:
        return User.objects.all()
    return User.objects.filter(county_id=user.county_id, is_superuser=False)


def _visible_locks(user):
    """(username locks, address locks) ``user`` may see: the county's users, the addresses that tried them."""
    by_username, by_address = locks_now()
    if user.is_superuser:
        return by_username, by_address
    mine = set(
        _county_usernames(user).filter(username__in=list(by_username)).values_list("username", flat=True)
    )
    usernames = {name: value for name, value in by_username.items() if name in mine}
    tried_mine = set(
        AccessAttempt.objects.filter(
            ip_address__in=list(by_address), username__in=_county_usernames(user).values("username")
        ).values_list("ip_address", flat=True)
    )
    addresses = {address: value for address, value in by_address.items() if address in tried_mine}
    return usernames, addresses


@login_required
def login_locks(request):
    """Locked logins of the county's users (and the addresses that tried them), and recent failures."""
    if not _may_manage_locks(request.user):
        raise PermissionDenied
    usernames, addresses = _visible_locks(request.user)
    unlock_at = lambda last: last + settings.AXES_COOLOFF_TIME  # noqa: E731
    failures = AccessFailureLog.objects.order_by("-attempt_time")
    if not request.user.is_superuser:
        failures = failures.filter(username__in=_county_usernames(request.user).values("username"))
    context = {
        "username_locks": [
            {"key": name, "failures": n, "last": last, "until": unlock_at(last)}
            for name, (n, last) in sorted(usernames.items())
        ],
        "address_locks": [
            {"key": address, "failures": n, "last": last, "until": unlock_at(last)}
            for address, (n, last) in sorted(addresses.items())
        ],
        "failures": failures[:50],
        "limit": settings.AXES_FAILURE_LIMIT,
        "address_limit": settings.LOGIN_ADDRESS_FAILURE_LIMIT,
        "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "now": timezone.now(),
    }
    return render(request, "registration/login_locks.html", context)


@login_required
@require_POST
def login_lock_lift(request):
    """Lift one lock the administrator can see: a username of the county, or an address that tried one."""
    if not _may_manage_locks(request.user):
        raise PermissionDenied
    usernames, addresses = _visible_locks(request.user)
    username, address = request.POST.get("username"), request.POST.get("address")
    if username and username in usernames:
        AccessAttempt.objects.filter(username=username).delete()
        lifted = username
    elif address and address in addresses:
        AccessAttempt.objects.filter(ip_address=address).delete()
        lifted = address
    else:
        # Already expired or lifted by someone else, or not theirs to see.
        if username or address:
            messages.info(request, _("That lock has already ended."))
            return redirect("login_locks")
        raise Http404
    log.warning(
        "Login lock lifted: %s by=%s address=%s at=%s",
        lifted,
        request.user.username,
        client_ip(request),
        timezone.now().isoformat(),
    )
    messages.success(request, _("The lock on %(name)s is lifted.") % {"name": lifted})
    return redirect("login_locks")
