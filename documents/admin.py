"""Platform staff read generated documents here (support work: why did a build fail, how
many attempts). Requesting and retrying happen in the organisation's pages, through the
services, so the admin is read-only."""

from django.contrib import admin

from documents.models import Document


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "kind", "status", "progress", "attempts", "created_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["organisation"]
    search_fields = ["title", "organisation__name"]
    date_hierarchy = "created_at"
    exclude = ["file"]
    readonly_fields = [
        "organisation",
        "kind",
        "title",
        "requested_by",
        "programme",
        "cohort",
        "session",
        "person",
        "status",
        "progress",
        "steps_done",
        "steps_total",
        "filename",
        "content_type",
        "size",
        "error",
        "attempts",
        "created_at",
        "started_at",
        "heartbeat_at",
        "finished_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
