"""The filters of a programme's session list (kind, phase, format, team, facilitator,
status; choices limited to the programme, a team member only offered their own teams)."""

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from parcours.models import Phase, Session, SessionFormat, SessionKind, Team
from sillon.widgets import FastSelect

User = get_user_model()


class SessionFilter(django_filters.FilterSet):
    kind = django_filters.ModelChoiceFilter(
        label=_("Type"),
        queryset=SessionKind.objects.none(),
        empty_label=_("Tous les types"),
        widget=FastSelect,
    )
    phase = django_filters.ModelChoiceFilter(
        label=_("Phase"),
        queryset=Phase.objects.none(),
        empty_label=_("Toutes les phases"),
        widget=FastSelect,
    )
    format = django_filters.ChoiceFilter(
        label=_("Format"),
        choices=SessionFormat.choices,
        empty_label=_("Tous les formats"),
        widget=FastSelect,
    )
    team = django_filters.ModelChoiceFilter(
        label=_("Équipe"),
        queryset=Team.objects.none(),
        empty_label=_("Toutes les équipes"),
        widget=FastSelect,
        method="filter_team",
    )
    facilitator = django_filters.ModelChoiceFilter(
        label=_("Intervenant·e"),
        queryset=User.objects.none(),
        empty_label=_("Tous les intervenant·es"),
        widget=FastSelect,
        field_name="facilitators",
    )
    status = django_filters.ChoiceFilter(
        label=_("Statut"),
        choices=Session.Status.choices,
        empty_label=_("Tous les statuts"),
        widget=FastSelect,
    )

    class Meta:
        model = Session
        fields = ["kind", "phase", "format", "team", "facilitator", "status"]

    def __init__(self, data=None, queryset=None, *, programme, teams, facilitators, **kwargs):
        super().__init__(data, queryset, **kwargs)
        fields = self.form.fields
        fields["kind"].queryset = SessionKind.objects.filter(programme=programme)
        fields["phase"].queryset = Phase.objects.filter(programme=programme)
        fields["team"].queryset = teams
        fields["facilitator"].queryset = facilitators
        fields["facilitator"].label_from_instance = lambda user: user.get_full_name() or str(user)

    def filter_team(self, queryset, name, team):
        """A team's sessions: its own, and those of its whole cohort."""
        if not team:
            return queryset
        return queryset.filter(
            Q(teams=team) | Q(audience=Session.Audience.COHORT, programme=team.cohort.programme_id)
        ).distinct()
