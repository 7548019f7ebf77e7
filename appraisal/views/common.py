"""Helpers shared by the appraisal views."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator


def client_ip(request):
    return request.META.get("REMOTE_ADDR") or None


def page(request, queryset):
    return Paginator(queryset, settings.PAGE_SIZE).get_page(request.GET.get("page"))


def error_messages(request, exc: ValidationError):
    """Show a service's refusal at the top of the page (field errors go beside their fields)."""
    for message in exc.messages:
        messages.error(request, message)


def parse_id(value):
    """An id from a query string or a form, or None: only plain digits, and no more than fit a row id
    (a 20-digit value, "²" or "1e9" is no id, and never reaches the database)."""
    value = (value or "").strip()
    if value.isascii() and value.isdigit() and len(value) < 12:
        return int(value)
    return None


def parse_ids(values):
    """The ids of a list of form values; (ids, all_valid)."""
    ids = {parse_id(v) for v in values}
    return ids - {None}, None not in ids
