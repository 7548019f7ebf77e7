"""Small helpers shared by the steering views."""

from django.conf import settings
from django.core.paginator import Paginator


def client_ip(request):
    return request.META.get("REMOTE_ADDR") or None


def paginate(request, queryset):
    return Paginator(queryset, settings.PAGE_SIZE).get_page(request.GET.get("page"))


def query_string_without_page(request):
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def is_htmx(request):
    return request.headers.get("HX-Request") == "true"
