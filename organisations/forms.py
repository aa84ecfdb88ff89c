from django import forms
from django.utils.translation import gettext_lazy as _

from sillon.forms import Form, ModelForm
from sillon.uploads import IMAGE_TYPES, validate_upload

from .models import Organisation, Role

LOGO_MAX_BYTES = 1024 * 1024
SIGNATURE_MAX_BYTES = 512 * 1024
SIGNATURE_TYPES = {"image/png": "PNG", "image/jpeg": "JPEG"}


class InvitationForm(Form):
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        help_text=_("La personne reçoit un lien valable 14 jours."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(label=_("Rôle"), choices=Role.choices, initial=Role.TRAINER)


class MembershipRoleForm(Form):
    role = forms.ChoiceField(label=_("Rôle"), choices=Role.choices)


class AcceptInvitationForm(Form):
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
# « Identité légale et signature des attestations ».
LEGAL_FIELDS = [
    "legal_name",
    "address",
    "siret",
    "training_body_number",
    "signatory_name",
    "signatory_function",
    "signature_image",
]
# « Horaires par défaut des demi-journées ».
HALF_DAY_FIELDS = ["morning_starts", "morning_ends", "afternoon_starts", "afternoon_ends"]


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


class LogoUpload:
    """The logo is checked by its content and size, wherever it is uploaded (settings
    page, platform admin)."""

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and hasattr(logo, "content_type"):  # a new upload, not the stored file
            validate_upload(logo, allowed=IMAGE_TYPES, max_bytes=LOGO_MAX_BYTES)
        return logo


class OrganisationSettingsForm(LogoUpload, ModelForm):
    class Meta:
        model = Organisation
        fields = SETTINGS_FIELDS + LEGAL_FIELDS + HALF_DAY_FIELDS
        widgets = {
            "brand_colour": forms.TextInput(attrs={"type": "color"}),
            "legal_notice": forms.Textarea(attrs={"rows": 6}),
            "address": forms.Textarea(attrs={"rows": 3}),
            "siret": forms.TextInput(attrs={"inputmode": "numeric"}),
            "training_body_number": forms.TextInput(attrs={"inputmode": "numeric"}),
            **{name: TimeInput() for name in HALF_DAY_FIELDS},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            # « 123 456 789 00012 » as printed on a Kbis: the digits only.
            self.data = self.data.copy()
            for name in ("siret", "training_body_number"):
                key = self.add_prefix(name)
                if key in self.data:
                    self.data[key] = "".join(str(self.data[key]).split())
        for name in HALF_DAY_FIELDS:
            self.fields[name].error_messages["invalid"] = _("Saisissez une heure (HH:MM).")
            # Left empty: the time stays as it is.
            self.fields[name].required = False

    def _keep_time(self, name: str):
        value = self.cleaned_data.get(name)
        return getattr(self.instance, name) if value is None else value

    def clean_morning_starts(self):
        return self._keep_time("morning_starts")

    def clean_morning_ends(self):
        return self._keep_time("morning_ends")

    def clean_afternoon_starts(self):
        return self._keep_time("afternoon_starts")

    def clean_afternoon_ends(self):
        return self._keep_time("afternoon_ends")

    @property
    def general_fields(self):
        return [self[name] for name in SETTINGS_FIELDS]

    @property
    def legal_fields(self):
        return [self[name] for name in LEGAL_FIELDS]

    @property
    def half_day_fields(self):
        return [self[name] for name in HALF_DAY_FIELDS]

    def clean_signature_image(self):
        image = self.cleaned_data.get("signature_image")
        if image and hasattr(image, "content_type"):  # a new upload, not the stored file
            validate_upload(image, allowed=SIGNATURE_TYPES, max_bytes=SIGNATURE_MAX_BYTES)
        return image

    def clean(self):
        cleaned = super().clean()
        times = [cleaned.get(name) for name in HALF_DAY_FIELDS]
        if any(value is None for value in times):
            return cleaned
        morning_starts, morning_ends, afternoon_starts, afternoon_ends = times
        if morning_ends <= morning_starts:
            self.add_error("morning_ends", _("La fin de la matinée doit suivre son début."))
        elif afternoon_starts < morning_ends:
            self.add_error(
                "afternoon_starts",
                _("L'après-midi ne peut pas commencer avant la fin de la matinée."),
            )
        if afternoon_ends <= afternoon_starts:
            self.add_error("afternoon_ends", _("La fin de l'après-midi doit suivre son début."))
        return cleaned
