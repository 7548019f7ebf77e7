from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

# What an account that must change its password may still open.
ALLOWED = {"password_change", "password_change_done", "logout", "set_language", "healthz", "login"}


class PasswordChangeRequiredMiddleware:
    """An account whose password an administrator chose goes to the password page before anything else.

    The administrator knows that password (they typed it, or handed it over on paper); until the
    user picks their own, nothing they do would be theirs alone. Demo users are never flagged.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.must_change_password:
            return None
        match = request.resolver_match
        if match is not None and match.url_name in ALLOWED:
            return None
        target = redirect("password_change")
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target.url
            return response
        messages.info(
            request,
            _("An administrator set your password. Please choose your own before you continue."),
        )
        return target
