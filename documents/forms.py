"""Forms asking for a document: each parses the POST of a button on another app's page
(session, attendance dashboard, team), plus where to come back to."""

from django import forms
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from sillon.fields import ModelChoiceField
from sillon.forms import Form


class ReturnForm(Form):
    """``next``: the page the button was on, where an error is shown (same site only)."""

    next = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)

    def safe_next(self, request, default: str) -> str:
        target = self.cleaned_data.get("next", "") if self.is_valid() else ""
        if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return target
        return default


class AttendanceSheetRequestForm(ReturnForm):
    filled = forms.TypedChoiceField(
        label=_("Feuille"),
        choices=[("0", _("Vierge")), ("1", _("Remplie"))],
        coerce=lambda value: value == "1",
        empty_value=False,
        required=False,
    )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class AttestationRequestForm(ReturnForm):
    """One person's attestation: the period (by default from the programme's start to
    today) and whether a provisional one is asked for."""

    period_start = forms.DateField(label=_("Du"), required=False, widget=DateInput())
    period_end = forms.DateField(label=_("Au"), required=False, widget=DateInput())
    provisional = forms.TypedChoiceField(
        label=_("Attestation"),
        choices=[
            ("0", _("Définitive (feuilles d'émargement validées)")),
            ("1", _("Provisoire (comprend les feuilles pas encore validées)")),
        ],
        coerce=lambda value: value == "1",
        empty_value=False,
        required=False,
        initial="0",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, period=None, **kwargs):
        super().__init__(*args, **kwargs)
        if period is not None:
            self.fields["period_start"].initial = period.starts_on
            self.fields["period_end"].initial = period.ends_on

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("La fin de la période ne peut pas précéder son début."))
        return cleaned


class AttestationsRequestForm(AttestationRequestForm):
    """The cohort's ZIP (``cohort`` optional: the whole programme without it), or one
    person's attestation when ``person`` is chosen (the dashboard's select)."""

    cohort = ModelChoiceField(label=_("Promotion"), queryset=None, required=False)
    person = ModelChoiceField(label=_("Personne"), queryset=None, required=False)

    def __init__(self, *args, cohorts, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = cohorts
        self.fields["person"].queryset = people


class VerificationForm(Form):
    numero = forms.CharField(
        label=_("Numéro de l'attestation"),
        max_length=30,
        help_text=_("Il figure en haut de l'attestation, par exemple ATT-2026-000042."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_numero(self) -> str:
        return "".join(self.cleaned_data["numero"].split()).upper()


class RevocationForm(Form):
    reason = forms.CharField(
        label=_("Motif de la révocation"),
        max_length=300,
        help_text=_("Par exemple : erreur sur les heures, attestation remplacée."),
    )
