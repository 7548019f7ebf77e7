"""Helpers shared by the appraisal views."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.utils.translation import gettext as _

from campaign.net import client_ip  # noqa: F401 - the views record it on every event


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


def evidence_too_large():
    """Why an evidence file was not kept: it passed EVIDENCE_MAX_BYTES (campaign/uploads.py)."""
    return _("The file is larger than %(mb)s MB and was not stored.") % {
        "mb": settings.EVIDENCE_MAX_BYTES // (1024 * 1024)
    }
