"""The coordinator's forms: the stage templates, the follow-up séances, a new group or
common plan, and the common plan's entries."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sillon import limits
from sillon.forms import Form

from .models import ActionPlan, CommonPlanEntry


class TemplateForm(Form):
    """One stage's template (the page shows one per stage, with a prefix)."""

    sections = forms.CharField(
        label=gettext_lazy("Sections"),
        help_text=gettext_lazy("Un titre de section par ligne (vingt au plus)."),
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    guidance = forms.CharField(
        label=gettext_lazy("Consignes"),
        help_text=gettext_lazy("Ce que l'équipe lit en haut de l'étape (facultatif)."),
        max_length=limits.NOTE,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FollowUpForm(Form):
    """Which sessions of the programme are « séances de suivi des plans »."""

    sessions = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Séances de suivi des plans"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sessions"].choices = [(session.pk, session.title) for session in sessions]


class PlanCreateForm(Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Type de plan"),
        choices=[
            (ActionPlan.Kind.COMMON, ActionPlan.Kind.COMMON.label),
            (ActionPlan.Kind.GROUP, ActionPlan.Kind.GROUP.label),
        ],
        widget=forms.RadioSelect,
        initial=ActionPlan.Kind.COMMON,
    )
    title = forms.CharField(label=gettext_lazy("Titre"), max_length=limits.TITLE)


class EntryForm(Form):
    """An entry's priority and lead (the action is chosen by ``EntryAddForm``)."""

    priority = forms.TypedChoiceField(
        label=gettext_lazy("Priorité"),
        choices=CommonPlanEntry.Priority.choices,
        coerce=int,
        initial=CommonPlanEntry.Priority.MEDIUM,
        error_messages={
            "invalid_choice": gettext_lazy("Choisissez une priorité : haute, moyenne ou basse.")
        },
    )
    lead = forms.CharField(
        label=gettext_lazy("Chef de file"),
        help_text=gettext_lazy("La personne ou la structure qui porte l'action pour tous."),
        max_length=limits.TITLE,
        required=False,
    )


class EntryAddForm(EntryForm):
    """Choose an action of the programme's teams and groups: a select grouped by plan."""

    action = forms.TypedChoiceField(
        label=gettext_lazy("Action"),
        coerce=int,
        error_messages={
            "invalid_choice": gettext_lazy("Choisissez une action d'une équipe ou d'un groupe.")
        },
    )

    field_order = ["action", "priority", "lead"]

    def __init__(self, *args, actions, group_of, **kwargs):
        """``actions``: the choosable actions, ordered by plan; ``group_of(action)``: the
        heading of its plan in the select."""
        super().__init__(*args, **kwargs)
        self.actions = {action.pk: action for action in actions}
        grouped: list[tuple[str, list]] = []
        for action in actions:
            heading = group_of(action)
            if not grouped or grouped[-1][0] != heading:
                grouped.append((heading, []))
            grouped[-1][1].append((action.pk, action.title))
        self.fields["action"].choices = [("", _("Choisissez une action")), *grouped]

    def chosen(self):
        return self.actions[self.cleaned_data["action"]]
