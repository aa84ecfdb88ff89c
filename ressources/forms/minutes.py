"""The minutes' forms: the attendees (ticked among the people expected, plus free
names), and repeated rows for the agenda items, the decisions and the actions (Django
formsets: « Ajouter une ligne » is a submit button, so they work without JavaScript), a
comment. Every text is bounded (``sillon.limits``) with a French error next to it."""

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from sillon import limits
from sillon.fields import BIGGEST_ID, ModelChoiceField, ModelMultipleChoiceField
from sillon.forms import Form

MAX_ROWS = 100


class PersonChoiceField(ModelMultipleChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.email


class PersonField(ModelChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.email


class AttendeesForm(Form):
    present = PersonChoiceField(
        label=_("Personnes présentes"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_names = forms.CharField(
        label=_("Autres personnes présentes"),
        help_text=_("Une personne par ligne (nom, et structure si utile)."),
        required=False,
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, people, from_sheet: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = people
        if from_sheet:
            del self.fields["present"]


class ItemForm(Form):
    title = forms.CharField(
        label=_("Point de l'ordre du jour"), required=False, max_length=limits.TITLE
    )
    text = forms.CharField(
        label=_("Ce qui a été dit"),
        help_text=_("Markdown : **gras**, listes avec « - », liens."),
        required=False,
        max_length=limits.TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class DecisionForm(Form):
    text = forms.CharField(
        label=_("Décision"),
        required=False,
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ActionForm(Form):
    text = forms.CharField(label=_("Action"), required=False, max_length=limits.TITLE)
    owner = PersonField(label=_("Pilote"), queryset=None, required=False)
    owner_name = forms.CharField(
        label=_("ou pilote nommé"),
        help_text=_("Une personne sans compte : son nom."),
        required=False,
        max_length=limits.TITLE,
    )
    team = ModelChoiceField(
        label=_("Équipe"),
        queryset=None,
        required=False,
        help_text=_("L'action ira au plan de cette équipe."),
    )
    plan = ModelChoiceField(
        label=_("ou plan partagé"),
        queryset=None,
        required=False,
        help_text=_("Plan d'un groupe de travail ou plan commun."),
    )
    due_on = forms.DateField(
        label=_("Échéance"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    lineage = forms.IntegerField(
        required=False, min_value=1, max_value=BIGGEST_ID, widget=forms.HiddenInput
    )

    def __init__(self, *args, people=None, teams=None, plans=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people
        self.fields["team"].queryset = teams
        self.fields["plan"].queryset = plans


def _formset(form, prefix):
    return formset_factory(
        form,
        extra=0,
        can_delete=True,
        max_num=MAX_ROWS,
        absolute_max=MAX_ROWS,
        validate_max=True,
    )


ItemFormSet = _formset(ItemForm, "items")
DecisionFormSet = _formset(DecisionForm, "decisions")
ActionFormSet = _formset(ActionForm, "actions")


class CommentForm(Form):
    text = forms.CharField(
        label=_("Votre commentaire"),
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
