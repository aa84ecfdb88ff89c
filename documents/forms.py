"""Forms asking for a document: each parses the POST of a button on another app's page
(session, attendance dashboard, team), plus where to come back to."""

from django import forms
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _


class ReturnForm(forms.Form):
    """``next``: the page the button was on, where an error is shown (same site only)."""

    next = forms.CharField(required=False, widget=forms.HiddenInput)

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


class AttestationsRequestForm(ReturnForm):
    """The cohort's ZIP (``cohort`` optional: the whole programme without it), or one
    person's attestation when ``person`` is chosen (the dashboard's select)."""

    cohort = forms.ModelChoiceField(label=_("Promotion"), queryset=None, required=False)
    person = forms.ModelChoiceField(label=_("Personne"), queryset=None, required=False)

    def __init__(self, *args, cohorts, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = cohorts
        self.fields["person"].queryset = people
