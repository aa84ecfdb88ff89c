from django import forms
from django.utils.translation import gettext_lazy as _

from sillon.uploads import IMAGE_TYPES, validate_upload

from .models import Organisation, Role

LOGO_MAX_BYTES = 1024 * 1024


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        help_text=_("La personne reçoit un lien valable 14 jours."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(label=_("Rôle"), choices=Role.choices, initial=Role.TRAINER)


class MembershipRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Rôle"), choices=Role.choices)


class AcceptInvitationForm(forms.Form):
    first_name = forms.CharField(
        label=_("Prénom"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Nom"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )


# What a coordinator may change; platform staff also set the slug (organisations.admin).
SETTINGS_FIELDS = [
    "name",
    "logo",
    "brand_colour",
    "contact_email",
    "city",
    "legal_notice",
    "time_zone",
    "require_mfa_for_coordinators",
]


class OrganisationSettingsForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = SETTINGS_FIELDS
        widgets = {
            "brand_colour": forms.TextInput(attrs={"type": "color"}),
            "legal_notice": forms.Textarea(attrs={"rows": 6}),
        }

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and hasattr(logo, "content_type"):  # a new upload, not the stored file
            validate_upload(logo, allowed=IMAGE_TYPES, max_bytes=LOGO_MAX_BYTES)
        return logo
