from django import forms
from django.utils.translation import gettext_lazy as _

from sillon.forms import Form, ModelForm

from .models import User


class ProfileForm(ModelForm):
    class Meta:
        model = User
        fields = ["civility", "first_name", "last_name", "phone", "function"]
        widgets = {
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
            "function": forms.TextInput(attrs={"autocomplete": "organization-title"}),
        }


class DeleteAccountForm(Form):
    confirm_email = forms.EmailField(
        label=_("Pour confirmer, saisissez votre adresse e-mail"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_confirm_email(self):
        value = self.cleaned_data["confirm_email"].strip().lower()
        if value != self.user.email.lower():
            raise forms.ValidationError(_("Ce n'est pas l'adresse de votre compte."))
        return value


class OnboardingForm(Form):
    """What an invitation's page asks someone with no account: their name (pre-filled
    with what the inviter typed). The consent is the click on the button, whose page says
    what it accepts (an affirmative act, as for a ticked box); it creates the account."""

    first_name = forms.CharField(
        label=_("Prénom"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
        error_messages={"required": _("Indiquez votre prénom.")},
    )
    last_name = forms.CharField(
        label=_("Nom"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
        error_messages={"required": _("Indiquez votre nom.")},
    )
