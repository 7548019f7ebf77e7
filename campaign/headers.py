"""Content-Security-Policy and Permissions-Policy on every response.

A small middleware rather than django-csp: the policy is one fixed string (no
nonces, because no page carries inline script or style), Django 5.2 has no
built-in CSP yet (6.0 adds one), and a fixed header is easy to read and test.
The policy lives in settings (``CONTENT_SECURITY_POLICY``,
``PERMISSIONS_POLICY``) so that a deployment can read what it sends.
"""

from django.conf import settings


def _header(directives):
    return "; ".join(f"{name} {' '.join(values)}".strip() for name, values in directives.items())


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.csp = _header(settings.CONTENT_SECURITY_POLICY)
        self.permissions = ", ".join(
            f"{feature}=({' '.join(origins)})" for feature, origins in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        # Django's own debug pages (DEBUG=1 only) are built from inline styles and scripts.
        technical = settings.DEBUG and response.status_code in (404, 500)
        if technical and not getattr(response, "template_name", None):
            return response
        response.headers.setdefault("Content-Security-Policy", self.csp)
        response.headers.setdefault("Permissions-Policy", self.permissions)
        return response
