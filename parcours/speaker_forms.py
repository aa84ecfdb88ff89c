"""The agenda item form with its speakers who are people (a trainer, or an outside
speaker by name and e-mail)."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from parcours.forms import AgendaItemForm, PersonChoiceField, facilitator_choices

User = get_user_model()


class AgendaItemSpeakersForm(AgendaItemForm):
    speaker_people = PersonChoiceField(
        label=_("Intervenant·es de l'organisation"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Chacun·e reçoit ses temps d'intervention dans sa convocation et son agenda."),
    )
    outside_name = forms.CharField(
        label=_("Intervenant·e extérieur·e : nom"), max_length=150, required=False
    )
    outside_email = forms.EmailField(
        label=_("Intervenant·e extérieur·e : adresse e-mail"), required=False
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        linked = (
            self.instance.speaker_people.values_list("pk", flat=True) if self.instance.pk else []
        )
        self.fields["speaker_people"].queryset = (
            (
                User.objects.filter(pk__in=facilitator_choices(organisation).values("pk"))
                | User.objects.filter(pk__in=list(linked))
            )
            .distinct()
            .order_by("last_name", "first_name", "email")
        )
        if self.instance.pk:
            self.initial.setdefault("speaker_people", list(linked))
        self.fields["speakers"].label = _("Intervenant·es (texte affiché)")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outside_name") and not cleaned.get("outside_email"):
            self.add_error("outside_email", _("Indiquez l'adresse e-mail de l'intervenant·e."))
        return cleaned

    def save_speakers(self, *, acting_user):
        from parcours.services.speakers import set_item_speakers

        data = self.cleaned_data
        return set_item_speakers(
            item=self.instance,
            people=data.get("speaker_people") or [],
            acting_user=acting_user,
            outside_name=data.get("outside_name", ""),
            outside_email=data.get("outside_email", ""),
        )
