"""Forms of a team's plan: an action (its fields, its quick update, reopening), a stage's
draft, a comment and a review of a submitted version. The rules themselves (dates,
owner, progress, closed actions) are the services'; the forms bound what is typed and
give the errors a place next to their field."""

import secrets

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from sillon import limits
from sillon.forms import Form
from sillon.widgets import FastSelect

from .models import Action, StageVersion

PROGRESS_STEPS = [(value, f"{value} %") for value in range(0, 101, 10)]
MAX_VERSION = 2_000_000_000


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class ActionForm(Form):
    """An action's fields; on an edit, ``version`` is the copy the person started from
    and ``note`` an optional word for the history."""

    title = forms.CharField(label=_("Intitulé"), max_length=limits.TITLE, required=False)
    description = forms.CharField(
        label=_("Description"), max_length=limits.TEXT, required=False, widget=forms.Textarea
    )
    objective = forms.CharField(
        label=_("Objectif"), max_length=limits.NOTE, required=False, widget=forms.Textarea
    )
    targets = forms.CharField(
        label=_("Cibles"), max_length=limits.NOTE, required=False, widget=forms.Textarea
    )
    owner = forms.ModelChoiceField(
        label=_("Pilote (membre de l'équipe)"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("— Aucun membre —"),
    )
    owner_name = forms.CharField(
        label=_("ou pilote partenaire"),
        max_length=limits.TITLE,
        required=False,
        help_text=_("Si le pilote n'est pas membre de l'équipe : le nom d'un partenaire."),
    )
    partners = forms.CharField(
        label=_("Partenaires"), max_length=limits.NOTE, required=False, widget=forms.Textarea
    )
    means = forms.CharField(
        label=_("Moyens"), max_length=limits.NOTE, required=False, widget=forms.Textarea
    )
    starts_on = forms.DateField(label=_("Début"), required=False, widget=DateInput)
    due_on = forms.DateField(label=_("Échéance"), required=False, widget=DateInput)
    indicators = forms.CharField(
        label=_("Indicateurs"), max_length=limits.NOTE, required=False, widget=forms.Textarea
    )

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["owner"].queryset = people
        self.fields["owner"].label_from_instance = lambda user: user.get_full_name() or user.email
        for name in ("description", "objective", "targets", "partners", "means", "indicators"):
            self.fields[name].widget.attrs["rows"] = 3

    def clean_title(self):
        title = self.cleaned_data.get("title", "").strip()
        if not title:
            raise forms.ValidationError(_("Donnez un intitulé à l'action."))
        return title

    def clean(self):
        cleaned = super().clean()
        starts_on, due_on = cleaned.get("starts_on"), cleaned.get("due_on")
        if starts_on and due_on and due_on < starts_on:
            self.add_error("due_on", _("L'échéance ne peut pas précéder le début."))
        return cleaned

    def values(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in ActionForm.base_fields}


class ActionEditForm(ActionForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_VERSION)
    note = forms.CharField(
        label=_("Note pour l'historique (facultatif)"),
        max_length=limits.NOTE,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ActionUpdateForm(Form):
    """The quick update of a card: the progress (a select of tens), the state, a note."""

    progress = forms.IntegerField(
        label=_("Avancement"),
        min_value=0,
        max_value=100,
        widget=FastSelect(choices=PROGRESS_STEPS),
        error_messages={
            # Formatted with the limit (hence %%): « … entre 0 et 100 %. »
            "min_value": _("L'avancement est compris entre 0 et 100 %%."),
            "max_value": _("L'avancement est compris entre 0 et 100 %%."),
            "invalid": _("L'avancement est compris entre 0 et 100 %."),
            "required": _("Indiquez l'avancement."),
        },
    )
    status = forms.ChoiceField(
        label=_("État"),
        choices=Action.Status.choices,
        widget=FastSelect,
        error_messages={"invalid_choice": _("Choisissez un état valide.")},
    )
    note = forms.CharField(
        label=_("Note (facultatif)"),
        max_length=limits.NOTE,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, action=None, **kwargs):
        if action is not None and not args and "initial" not in kwargs:
            kwargs["initial"] = {"progress": action.progress, "status": action.status}
        kwargs.setdefault("prefix", f"a{action.pk}" if action is not None else None)
        # Fresh ids at each rendering: htmx settles the attributes of elements keeping
        # their id across a swap, copying a ``style=""`` the page's CSP refuses.
        kwargs.setdefault("auto_id", f"id_{secrets.token_hex(3)}_%s")
        super().__init__(*args, **kwargs)
        # The card writes its fields out (plans/partials/quick_field.html): Bootstrap's
        # classes are set here.
        self.fields["progress"].widget.attrs["class"] = "form-select"
        self.fields["status"].widget.attrs["class"] = "form-select"
        self.fields["note"].widget.attrs["class"] = "form-control"
        if action is not None:
            # A progress between two tens (45 %) stays choosable as it is.
            steps = dict(PROGRESS_STEPS)
            steps.setdefault(action.progress, f"{action.progress} %")
            self.fields["progress"].widget.choices = sorted(steps.items())


class ReopenForm(Form):
    note = forms.CharField(
        label=_("Pourquoi la rouvrir ? (facultatif)"),
        max_length=limits.NOTE,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DraftForm(Form):
    body = forms.CharField(
        label=_("Texte de l'étape"),
        max_length=limits.TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 18, "class": "font-monospace"}),
        help_text=_(
            "Écrit en Markdown : « ## » devant un titre de section, « - » devant un point "
            "de liste, **gras**."
        ),
    )
    revision = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=0, max_value=MAX_VERSION
    )


class CommentForm(Form):
    text = forms.CharField(
        label=_("Commentaire"),
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Écrivez votre commentaire.")},
    )


class ReviewForm(Form):
    decision = forms.ChoiceField(
        label=_("Décision"),
        choices=[
            (StageVersion.Status.VALIDATED, _("Valider")),
            (StageVersion.Status.CHANGES, _("À reprendre")),
        ],
        error_messages={"required": _("Choisissez « Valider » ou « À reprendre ».")},
    )
    comment = forms.CharField(
        label=_("Commentaire (facultatif)"),
        max_length=limits.NOTE,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
