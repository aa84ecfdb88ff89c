"""Platform staff read the parcours of every organisation here (support work). Writes
that are workflows (publishing, moving a session) happen in the coordinators' pages,
through the services, so the admin shows these models read-only."""

from django.contrib import admin

from parcours.models import EngagementText, Programme, Session, Signature, Team


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Programme)
class ProgrammeAdmin(ReadOnlyAdmin):
    list_display = ["name", "organisation", "start_date", "end_date", "status"]
    list_filter = ["status"]
    list_select_related = ["organisation"]
    search_fields = ["name", "organisation__name"]


@admin.register(Session)
class SessionAdmin(ReadOnlyAdmin):
    list_display = ["title", "organisation", "programme", "kind", "starts_at", "status"]
    list_filter = ["status", "format"]
    list_select_related = ["organisation", "programme", "kind"]
    search_fields = ["title", "programme__name"]
    date_hierarchy = "starts_at"


@admin.register(Team)
class TeamAdmin(ReadOnlyAdmin):
    list_display = ["name", "organisation", "cohort", "territory"]
    list_select_related = ["organisation", "cohort", "territory"]
    search_fields = ["name"]


@admin.register(EngagementText)
class EngagementTextAdmin(ReadOnlyAdmin):
    list_display = ["programme", "version", "organisation", "published_at", "requires_resignature"]
    list_select_related = ["programme", "organisation"]
    search_fields = ["programme__name"]


@admin.register(Signature)
class SignatureAdmin(ReadOnlyAdmin):
    list_display = ["typed_name", "organisation", "text", "signed_at", "ip_address"]
    list_select_related = ["organisation", "text__programme"]
    search_fields = ["typed_name", "user__email"]
    date_hierarchy = "signed_at"
