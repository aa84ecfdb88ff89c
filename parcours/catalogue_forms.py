"""The form of a programme's catalogue sheet (« Fiche catalogue »)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from parcours.forms import MAX_TEXT, PersonChoiceField, _textarea, facilitator_choices
from parcours.models import CatalogueSheet
from parcours.services.catalogue import SHEET_FIELDS
from sillon.forms import ModelForm


class CatalogueSheetForm(ModelForm):
    maximums = {"duration_hours": 10_000, "duration_days": 1_000}

    description = forms.CharField(
        label=_("Présentation"), required=False, max_length=MAX_TEXT, widget=_textarea(4)
    )
    objectives = forms.CharField(
        label=_("Objectifs"),
        required=False,
        max_length=MAX_TEXT,
        widget=_textarea(4),
        help_text=_("Les objectifs opérationnels ou pédagogiques, un par ligne."),
    )
    trainers = PersonChoiceField(
        label=_("Formateur·rices"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = CatalogueSheet
        # The sheet's fields, its address last.
        fields = [*(name for name in SHEET_FIELDS if name != "slug"), "slug"]
        widgets = {
            "audience": _textarea(2),
            "prerequisites": _textarea(2),
            "accessibility": _textarea(3),
            "evaluation_methods": _textarea(3),
            "modality": forms.RadioSelect,
        }

    field_order = ["description", "objectives", "audience", "prerequisites"]

    def __init__(self, *args, programme, duration_hint: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.fields["trainers"].queryset = facilitator_choices(programme.organisation)
        if duration_hint:
            self.fields["duration_hours"].help_text = duration_hint
        self.fields["dates"].help_text = _("Vide : les dates du programme.")

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        taken = (
            CatalogueSheet.objects.filter(organisation=self.programme.organisation, slug=slug)
            .exclude(pk=self.instance.pk)
            .exists()
        )
        if taken:
            raise ValidationError(_("Cette adresse est déjà celle d'une autre fiche."))
        return slug

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("free") and cleaned.get("price"):
            self.add_error("price", _("Une formation gratuite n'a pas de tarif : videz-le."))
        if not cleaned.get("free") and not cleaned.get("price") and "price" not in self.errors:
            self.add_error("price", _("Indiquez le tarif, ou cochez « gratuit »."))
        contact = cleaned.get("accessibility_contact_email")
        if cleaned.get("accessibility_contact_name") and not contact:
            self.add_error(
                "accessibility_contact_email",
                _("Indiquez l'adresse e-mail du ou de la référent·e handicap."),
            )
        for name in ("duration_hours", "duration_days"):
            value = cleaned.get(name)
            if value is not None and value <= 0:
                self.add_error(name, _("Indiquez une durée positive."))
        return cleaned
