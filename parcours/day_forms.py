"""The « Horaires » form of a session: one form per day, with its morning and afternoon
times (« pas de matinée », « pas d'après-midi »). The service checks the times against
each other and the session (``parcours.services.session_days``)."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from parcours.forms import TimeInput
from parcours.services import DayChange
from sillon.forms import Form

HALVES = ("morning", "afternoon")


class SessionDayForm(Form):
    day = forms.DateField(widget=forms.HiddenInput)
    no_morning = forms.BooleanField(label=_("Pas de matinée"), required=False)
    morning_starts = forms.TimeField(
        label=_("Début de la matinée"), required=False, widget=TimeInput
    )
    morning_ends = forms.TimeField(label=_("Fin de la matinée"), required=False, widget=TimeInput)
    no_afternoon = forms.BooleanField(label=_("Pas d'après-midi"), required=False)
    afternoon_starts = forms.TimeField(
        label=_("Début de l'après-midi"), required=False, widget=TimeInput
    )
    afternoon_ends = forms.TimeField(
        label=_("Fin de l'après-midi"), required=False, widget=TimeInput
    )

    def clean(self):
        data = super().clean()
        for half in HALVES:
            starts, ends = f"{half}_starts", f"{half}_ends"
            if data.get(f"no_{half}"):
                data[starts] = data[ends] = None
                continue
            if starts in self.errors or ends in self.errors:
                continue
            for name in (starts, ends):
                if data.get(name) is None:
                    self.add_error(
                        name,
                        gettext("Indiquez l'heure, ou cochez « %(none)s ».")
                        % {"none": self.fields[f"no_{half}"].label},
                    )
        return data

    def change(self) -> DayChange:
        data = self.cleaned_data
        return DayChange(
            day=data["day"],
            morning_starts=data.get("morning_starts"),
            morning_ends=data.get("morning_ends"),
            afternoon_starts=data.get("afternoon_starts"),
            afternoon_ends=data.get("afternoon_ends"),
        )


SessionDayFormSet = forms.formset_factory(SessionDayForm, extra=0, max_num=62, validate_max=True)


def initial_for(rows) -> list[dict]:
    return [
        {
            "day": row.day,
            "no_morning": row.morning_starts is None,
            "morning_starts": row.morning_starts,
            "morning_ends": row.morning_ends,
            "no_afternoon": row.afternoon_starts is None,
            "afternoon_starts": row.afternoon_starts,
            "afternoon_ends": row.afternoon_ends,
        }
        for row in rows
    ]
