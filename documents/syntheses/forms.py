"""The dashboard's filter (GET): the period (the whole programme, one of its phases, or
chosen dates) and the teams (none ticked: every team)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sillon.forms import Form

WHOLE, DATES = "programme", "dates"


class SynthesisFilterForm(Form):
    periode = forms.ChoiceField(label=gettext_lazy("Période"), required=False)
    du = forms.DateField(
        label=gettext_lazy("Du"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    au = forms.DateField(
        label=gettext_lazy("Au"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    equipes = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Équipes"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Aucune équipe cochée : toutes les équipes."),
    )

    def __init__(self, *args, programme, phases, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.phases = {str(phase.pk): phase for phase in phases}
        self.teams = {team.pk: team for team in teams}
        self.fields["periode"].choices = [
            (WHOLE, _("Tout le programme")),
            *[(key, _("Phase « %(name)s »") % {"name": p.name}) for key, p in self.phases.items()],
            (DATES, _("Dates choisies")),
        ]
        self.fields["equipes"].choices = [(team.pk, team.name) for team in teams]
        self.fields["du"].widget.attrs.update(
            min=programme.start_date.isoformat(), max=programme.end_date.isoformat()
        )
        self.fields["au"].widget.attrs.update(
            min=programme.start_date.isoformat(), max=programme.end_date.isoformat()
        )

    def clean(self):
        data = super().clean()
        if data.get("periode") == DATES:
            start, end = data.get("du"), data.get("au")
            if start is None and "du" not in self.errors:
                self.add_error("du", _("Indiquez le premier jour de la période."))
            if end is None and "au" not in self.errors:
                self.add_error("au", _("Indiquez le dernier jour de la période."))
            if start and end and end < start:
                self.add_error("au", _("La fin de la période ne peut pas précéder son début."))
        return data

    def scope_arguments(self) -> dict:
        """The arguments of ``build_scope`` the form gives (nothing when invalid: the
        whole programme and every team)."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        arguments: dict = {
            "teams": [self.teams[pk] for pk in data.get("equipes") or [] if pk in self.teams]
        }
        period = data.get("periode") or WHOLE
        if period in self.phases:
            arguments["phase"] = self.phases[period]
        elif period == DATES:
            arguments["starts_on"], arguments["ends_on"] = data["du"], data["au"]
        return arguments
