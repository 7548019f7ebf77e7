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
