"""The form of « Dupliquer la séance »: a copy as it is, or at a new date."""

from django import forms
from django.utils.translation import gettext_lazy as _

from parcours.forms import DateInput
from sillon.forms import Form


class DuplicateSessionForm(Form):
    new_date = forms.DateField(
        label=_("Nouvelle date (facultative)"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "Le même programme de la journée, aux mêmes heures, ce jour-là. Vide : une copie "
            "aux mêmes dates, à ajuster ensuite."
        ),
    )
