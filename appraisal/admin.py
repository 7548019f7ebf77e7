"""The appraisal models in the Django admin: read-only, and kept inside the county administrator's county.

Every write goes through ``appraisal/services.py`` (locks, checks, history events), so the admin only
shows: no add, change or delete for anybody, superusers included.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from appraisal.models import (
    Appraisal,
    AppraisalEvent,
    Evidence,
    Indicator,
    Objection,
    PublicNotice,
    Rating,
    Rubric,
    SatisfactionSurvey,
    Score,
    Star,
    Title,
    TitleEvent,
    VetoEvent,
)
from villages.admin_scoping import CountyScopedAdmin


class ReadOnlyCountyAdmin(CountyScopedAdmin):
    actions = None

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Rubric)
class RubricAdmin(ReadOnlyCountyAdmin):
    county_lookup = "campaign__county_id"
    list_display = ("campaign", "track", "version", "frozen", "star_threshold", "satisfaction_floor")
    list_filter = ("track", "frozen")
    list_select_related = ("campaign",)


@admin.register(Star)
class StarAdmin(ReadOnlyCountyAdmin):
    county_lookup = "rubric__campaign__county_id"
    list_display = ("code", "name", "rubric", "order", "max_points")
    list_select_related = ("rubric__campaign",)


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyCountyAdmin):
    county_lookup = "star__rubric__campaign__county_id"
    list_display = ("text", "star", "max_points", "feed", "evidence_required")
    list_filter = ("feed", "evidence_required")
    list_select_related = ("star__rubric__campaign",)
    search_fields = ("text",)


@admin.register(Appraisal)
class AppraisalAdmin(ReadOnlyCountyAdmin):
    list_display = (
        "id",
        "campaign",
        "track",
        "township",
        "village",
        "department",
        "status",
        "self_points",
        "township_points",
        "final_points",
        "star_count",
    )
    list_filter = ("track", "status")
    list_select_related = ("campaign", "township", "village", "department")
    search_fields = ("village__name", "township__name", "department__name")


@admin.register(Score)
class ScoreAdmin(ReadOnlyCountyAdmin):
    county_lookup = "appraisal__county_id"
    list_display = ("appraisal", "indicator", "tier", "points", "max_points", "updated_by", "updated_at")
    list_filter = ("tier",)
    list_select_related = (
        "appraisal__campaign",
        "appraisal__village",
        "appraisal__township",
        "appraisal__department",
        "indicator",
        "updated_by",
    )


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyCountyAdmin):
    county_lookup = "appraisal__county_id"
    list_display = ("original_name", "appraisal", "indicator", "size", "uploaded_by", "uploaded_at")
    list_select_related = (
        "appraisal__campaign",
        "appraisal__village",
        "appraisal__township",
        "appraisal__department",
        "indicator",
        "uploaded_by",
    )
    # The stored file is served only through the appraisal's own scoped view, never by its media URL.
    exclude = ("file",)


@admin.register(AppraisalEvent)
class AppraisalEventAdmin(ReadOnlyCountyAdmin):
    county_lookup = "appraisal__county_id"
    list_display = ("created_at", "appraisal", "action", "actor", "on_behalf", "from_status", "to_status")
    list_filter = ("action", "on_behalf")
    list_select_related = (
        "appraisal__campaign",
        "appraisal__village",
        "appraisal__township",
        "appraisal__department",
        "actor",
    )


@admin.register(SatisfactionSurvey)
class SatisfactionSurveyAdmin(ReadOnlyCountyAdmin):
    county_lookup = "appraisal__county_id"
    list_display = ("appraisal", "surveyed_on", "sample_size", "recorded_by")
    list_select_related = (
        "appraisal__campaign",
        "appraisal__village",
        "appraisal__township",
        "appraisal__department",
        "recorded_by",
    )


@admin.register(Rating)
class RatingAdmin(ReadOnlyCountyAdmin):
    county_lookup = "campaign__county_id"
    list_display = ("campaign", "department", "rater", "kind", "grade")
    list_filter = ("kind", "grade")
    list_select_related = ("campaign", "department", "rater")


@admin.register(PublicNotice)
class PublicNoticeAdmin(ReadOnlyCountyAdmin):
    county_lookup = "campaign__county_id"
    list_display = ("title", "campaign", "starts_on", "ends_on", "working_days")
    list_select_related = ("campaign",)


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyCountyAdmin):
    county_lookup = "appraisal__county_id"
    list_display = ("appraisal", "notice", "received_on", "outcome")
    list_select_related = (
        "appraisal__campaign",
        "appraisal__village",
        "appraisal__township",
        "appraisal__department",
        "notice",
    )


@admin.register(VetoEvent)
class VetoEventAdmin(ReadOnlyCountyAdmin):
    list_display = ("campaign", "kind", "track", "township", "village", "department", "occurred_on")
    list_filter = ("kind", "track")
    list_select_related = ("campaign", "township", "village", "department")
    # The file is served only by the scoped view (media is never served directly): link to it.
    exclude = ("evidence",)
    readonly_fields = ("evidence_link",)

    @admin.display(description=_("evidence"))
    def evidence_link(self, obj):
        if not obj.evidence:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("appraisal:veto_evidence", args=[obj.pk]), _("Download")
        )


@admin.register(Title)
class TitleAdmin(ReadOnlyCountyAdmin):
    list_display = (
        "campaign",
        "track",
        "township",
        "village",
        "department",
        "star_count",
        "named_on",
        "valid_until",
        "status",
    )
    list_filter = ("track", "status")
    list_select_related = ("campaign", "township", "village", "department")


@admin.register(TitleEvent)
class TitleEventAdmin(ReadOnlyCountyAdmin):
    county_lookup = "title__county_id"
    list_display = ("title", "action", "actor", "effective_on")
    list_filter = ("action",)
    list_select_related = (
        "title__campaign",
        "title__village",
        "title__township",
        "title__department",
        "actor",
    )
