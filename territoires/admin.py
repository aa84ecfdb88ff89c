from django.contrib import admin

from .models import Project, Territory


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "code", "parent", "epci"]
    list_filter = ["kind"]
    list_select_related = ["parent", "epci"]
    search_fields = ["name", "search_name", "code"]
    autocomplete_fields = ["parent", "epci"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    """Projects belong to an organisation and are edited in its pages (with the call for
    applications): read-only here, for support."""

    list_display = ["name", "organisation", "territory", "kind", "stage", "recognition"]
    list_filter = ["kind", "stage", "recognition"]
    list_select_related = ["organisation", "territory"]
    search_fields = ["name", "territory__name", "organisation__name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
