"""Helpers shared by the registry's list, form and delete views (villages and cadres)."""

from collections import defaultdict

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import ProtectedError, RestrictedError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

# How many dependents of each kind a refused delete names.
DEPENDENT_EXAMPLES = 5


def list_page(request, filterset, *, ids_first=False):
    """The page of a filtered list, and the query string that keeps the filters across pages.

    ``ids_first``: pick the page's ids without the joins, then fetch those rows with
    them. One more query, but PostgreSQL no longer joins every row in scope
    before sorting when it misjudges how many there are (the position list).
    """
    params = request.GET.copy()
    params.pop("page", None)
    queryset = filterset.qs
    if ids_first:
        page = Paginator(queryset.values_list("pk", flat=True), settings.PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        if page.object_list:
            rows = {obj.pk: obj for obj in queryset.filter(pk__in=list(page.object_list))}
            page.object_list = [rows[pk] for pk in page.object_list]
    else:
        page = Paginator(queryset, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return {"filter": filterset, "page_obj": page, "query_string": params.urlencode()}


def add_service_errors(form, error):
    """Show a service's ValidationError on the form: beside its field when the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def object_form(request, *, form, save, title, cancel_url, template="villages/object_form.html", extra=None):
    """Show ``form``; on a valid POST call ``save(cleaned_data)`` (a service) and go to the saved object."""
    if request.method == "POST" and form.is_valid():
        try:
            obj = save(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved: %(object)s") % {"object": obj})
            return redirect(obj)
    context = {"form": form, "title": title, "cancel_url": cancel_url, **(extra or {})}
    return render(request, template, context)


def summarize_dependents(objects):
    """Group what blocks a delete by kind: [(kind, count, examples)]."""
    groups = defaultdict(list)
    for obj in objects:
        groups[obj._meta.verbose_name_plural].append(obj)
    return [
        (str(kind), len(items), [str(o) for o in items[:DEPENDENT_EXAMPLES]])
        for kind, items in sorted(groups.items(), key=lambda kv: str(kv[0]))
    ]


def object_delete(request, *, obj, delete, success_url, cancel_url):
    """Ask for confirmation; on POST delete through ``delete()``, or explain what depends on ``obj``."""
    context = {"object": obj, "kind": obj._meta.verbose_name, "cancel_url": cancel_url}
    if request.method == "POST":
        try:
            delete()
        except ProtectedError as error:
            context["dependents"] = summarize_dependents(error.protected_objects)
        except RestrictedError as error:
            context["dependents"] = summarize_dependents(error.restricted_objects)
        except ValidationError as error:
            # The service's own scope check refused (the view's should have already).
            context["refusal"] = error.messages
            return render(request, "villages/object_confirm_delete.html", context, status=403)
        else:
            messages.success(request, _("Deleted: %(object)s") % {"object": obj})
            return redirect(success_url)
        return render(request, "villages/object_confirm_delete.html", context, status=409)
    return render(request, "villages/object_confirm_delete.html", context)
