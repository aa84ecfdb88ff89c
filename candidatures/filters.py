"""The filters of a call's applications list (text, status, decision, not yet scored
by me)."""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from candidatures.models import Application
from sillon.widgets import FastSelect

User = get_user_model()


class ApplicationFilter(django_filters.FilterSet):
    """The filters of a call's applications list. Without a chosen status, drafts are
    left out (nothing to review there yet); the sort is read by the view, which orders
    by the weighted averages it computes."""

    q = django_filters.CharFilter(
        label=_("Rechercher"),
        method="filter_text",
        help_text=_("Territoire, structure ou projet"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Statut"),
        choices=Application.Status.choices,
        empty_label=_("Tous sauf les brouillons"),
        widget=FastSelect,
    )
    decision = django_filters.ChoiceFilter(
        label=_("Décision"),
        choices=[*Application.Decision.choices, ("none", _("Sans décision"))],
        empty_label=_("Toutes les décisions"),
        widget=FastSelect,
        method="filter_decision",
    )
    not_mine = django_filters.BooleanFilter(
        label=_("Non notées par moi"),
        method="filter_not_mine",
        widget=forms.CheckboxInput,
    )
    tri = django_filters.ChoiceFilter(
        label=_("Trier par"),
        choices=[
            ("note", _("Moyenne pondérée")),
            ("territoire", _("Territoire")),
            ("depot", _("Date de dépôt")),
        ],
        empty_label=None,
        widget=FastSelect,
        method="filter_nothing",
    )

    class Meta:
        model = Application
        fields = ["q", "status", "decision", "not_mine", "tri"]

    def __init__(self, data=None, queryset=None, *, user, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.user = user

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.exclude(status=Application.Status.DRAFT)
        return queryset

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(territory__name__icontains=value)
            | Q(structure__icontains=value)
            | Q(project_name__icontains=value)
        )

    def filter_decision(self, queryset, name, value):
        if value == "none":
            return queryset.filter(decision="")
        return queryset.filter(decision=value)

    def filter_not_mine(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.exclude(reviews__reviewer=self.user)

    def filter_nothing(self, queryset, name, value):
        return queryset

    @property
    def sort(self) -> str:
        if self.is_bound and self.form.is_valid():
            return self.form.cleaned_data.get("tri") or "note"
        return "note"
