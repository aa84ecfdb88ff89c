"""Forms of a CODEV séance: the client's case, the facilitator's notes and advice, the
client's commitments and their follow-up. The services check the rules and give the
French messages (``codev.services.cases``); these forms bound what is typed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from codev.models import CodevStep, Commitment
from codev.services.cases import DOCUMENT_TYPES
from parcours.forms import DateInput
from sillon import limits
from sillon.fields import ModelChoiceField
from sillon.forms import Form

ACCEPT = ",".join([*DOCUMENT_TYPES, ".pdf", ".docx", ".pptx", ".odt", ".png", ".jpg"])


def _textarea(rows: int = 4):
    return forms.Textarea(attrs={"rows": rows})


class CaseForm(Form):
    # Not ``required``: the service says what is missing, in its words, next to the field.
    title = forms.CharField(label=_("Titre du cas"), max_length=limits.TITLE, required=False)
    question = forms.CharField(
        label=_("La question que vous posez au groupe"),
        max_length=limits.NOTE,
        required=False,
        widget=_textarea(3),
        help_text=_("Une question ouverte : « Comment… ? », « Que faire pour… ? »"),
    )
    context = forms.CharField(
        label=_("Le contexte"), max_length=limits.TEXT, required=False, widget=_textarea(5)
    )
    tried = forms.CharField(
        label=_("Ce que vous avez déjà essayé"),
        max_length=limits.TEXT,
        required=False,
        widget=_textarea(4),
    )
    document = forms.FileField(
        label=_("Joindre un document (facultatif)"),
        max_length=200,
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text=_("PDF, Word, PowerPoint, OpenDocument, PNG ou JPEG ; 10 Mo au plus."),
    )
    document_title = forms.CharField(
        label=_("Titre du document"), max_length=limits.TITLE, required=False
    )


class StepForm(Form):
    step = forms.TypedChoiceField(coerce=int, choices=CodevStep.choices, widget=forms.HiddenInput)


class NotesForm(Form):
    step = forms.TypedChoiceField(coerce=int, choices=CodevStep.choices, widget=forms.HiddenInput)
    notes = forms.CharField(
        label=_("Notes de l'étape"), max_length=limits.TEXT, required=False, widget=_textarea(6)
    )


class MembershipChoice(ModelChoiceField):
    def label_from_instance(self, membership):
        return membership.label


class AdviceForm(Form):
    consultant = MembershipChoice(
        label=_("Consultant·e"), queryset=None, required=False, empty_label=_("(non précisé)")
    )
    text = forms.CharField(
        label=_("Conseil"), max_length=limits.NOTE, required=False, widget=_textarea(3)
    )

    def __init__(self, *args, consultants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consultant"].queryset = consultants


class PersonChoice(ModelChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.email


class CommitmentForm(Form):
    what = forms.CharField(label=_("Engagement"), max_length=300, required=False)
    owner = PersonChoice(
        label=_("Qui le porte"), queryset=None, required=False, empty_label=_("(choisir)")
    )
    due_on = forms.DateField(label=_("Pour le"), required=False, widget=DateInput())

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people


class FollowUpForm(Form):
    text = forms.CharField(
        label=_("Ce que sont devenus vos engagements"),
        max_length=limits.NOTE,
        required=False,
        widget=_textarea(5),
    )

    def __init__(self, *args, commitments, **kwargs):
        super().__init__(*args, **kwargs)
        self.commitments = list(commitments)
        for commitment in self.commitments:
            self.fields[f"status_{commitment.pk}"] = forms.ChoiceField(
                label=commitment.what,
                choices=Commitment.Status.choices,
                initial=commitment.status,
            )

    def status_fields(self):
        return [self[f"status_{commitment.pk}"] for commitment in self.commitments]

    def statuses(self) -> dict[int, str]:
        return {c.pk: self.cleaned_data[f"status_{c.pk}"] for c in self.commitments}
