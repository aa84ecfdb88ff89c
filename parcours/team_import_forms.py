"""Forms of the team import (a cohort and a spreadsheet) and of a member's dates on the
team's page. They parse what the coordinator sent; ``parcours.team_import`` reads the
file, the services write."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from parcours.forms import DateInput
from parcours.team_import import parse_team_file
from sillon.forms import Form


class TeamImportForm(Form):
    cohort = forms.TypedChoiceField(label=_("Promotion"), coerce=int)
    file = forms.FileField(
        label=_("Fichier des équipes"),
        help_text=_("Tableur CSV ou XLSX, 1 Mo au plus, avec les colonnes décrites ci-dessus."),
        error_messages={
            "required": _("Choisissez le fichier à importer."),
            "empty": _("Ce fichier est vide."),
        },
    )

    def __init__(self, *args, cohorts, **kwargs):
        super().__init__(*args, **kwargs)
        self.cohorts = {cohort.pk: cohort for cohort in cohorts}
        self.fields["cohort"].choices = [(cohort.pk, cohort.name) for cohort in cohorts]
        self.fields["file"].widget.attrs["accept"] = (
            ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )

    def clean_cohort(self):
        return self.cohorts[self.cleaned_data["cohort"]]

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        self.rows = parse_team_file(uploaded)  # raises ValidationError in French
        return uploaded


class MembershipDatesForm(Form):
    """When a member joined the team and, for a former member, when they left."""

    joined_at = forms.DateField(label=_("Date d'arrivée"), widget=DateInput())
    left_at = forms.DateField(label=_("Date de départ"), widget=DateInput(), required=False)

    def __init__(self, *args, former: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["joined_at"].error_messages["required"] = _("Indiquez la date d'arrivée.")
        self.fields["joined_at"].error_messages["invalid"] = _(
            "Saisissez une date valide (jj/mm/aaaa)."
        )
        if former:
            self.fields["left_at"].required = True
            self.fields["left_at"].error_messages["required"] = _("Indiquez la date de départ.")
            self.fields["left_at"].error_messages["invalid"] = _(
                "Saisissez une date valide (jj/mm/aaaa)."
            )
        else:
            del self.fields["left_at"]

    def clean(self):
        data = super().clean()
        joined, left = data.get("joined_at"), data.get("left_at")
        if joined and left and left < joined:
            raise ValidationError(
                {"left_at": _("La date de départ ne peut pas précéder la date d'arrivée.")}
            )
        return data
