"""Platform staff read questionnaires and campaigns here (support work), read-only:
writes are workflows that go through the coordinators' pages and the services. Answers
are not shown at all: anonymous ones must stay unlinkable, named ones belong to the
organisation's coordinators."""

from django.contrib import admin

from evaluation.models import Campaign, Questionnaire
from parcours.admin import ReadOnlyAdmin


@admin.register(Questionnaire)
class QuestionnaireAdmin(ReadOnlyAdmin):
    list_display = ["title", "organisation", "programme", "purpose", "archived"]
    list_filter = ["purpose", "archived"]
    list_select_related = ["organisation", "programme"]
    search_fields = ["title", "organisation__name"]


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ["title", "organisation", "programme", "moment", "mode", "status", "opens_at"]
    list_filter = ["status", "moment", "mode", "anonymous"]
    list_select_related = ["organisation", "programme"]
    search_fields = ["title", "programme__name"]
    date_hierarchy = "opens_at"
