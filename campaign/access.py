"""Access helpers: outsiders get 404, the wrong role 403, anonymous users the login page."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404


def role_required(*roles):
    """Allow a view only to users holding one of ``roles`` (403 otherwise); implies login."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.user.role not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def require_role(user, *roles):
    if user.role not in roles:
        raise PermissionDenied


def get_in_scope(queryset, **lookup):
    """Fetch one object from an already scoped queryset, or 404 as if it did not exist."""
    return get_object_or_404(queryset, **lookup)


def next_url(request, default):
    """Where to go back to: the request's ``next`` if it is a path of this site, else ``default``.

    ``next`` comes from the page (or from whoever crafted the link): a full URL of another site
    (``https://evil.example``, ``//evil.example``) or a URL name is never followed.
    """
    from django.shortcuts import resolve_url
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    if target.startswith("/") and not target.startswith("//") and safe:
        return target
    return resolve_url(default)
