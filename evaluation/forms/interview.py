"""The first step of an answer recorded at an interview: who, and when."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sillon.fields import ModelChoiceField
from sillon.forms import Form


class PersonField(ModelChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.email


class InterviewForm(Form):
    person = PersonField(
        label=_("Personne interrogée"),
        queryset=None,
        empty_label=_("(choisissez)"),
        help_text=_("Parmi les personnes visées qui n'ont pas encore répondu."),
    )
    interview_on = forms.DateField(
        label=_("Date de l'entretien"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Indiquez une date (jj/mm/aaaa).")},
    )

    def __init__(self, *args, people, **kwargs):
        kwargs.setdefault("initial", {"interview_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
