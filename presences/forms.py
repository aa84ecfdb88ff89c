"""Forms of the attendance sheet. They parse; ``parcours.services.attendance`` checks
the half-day, the person and the sheet's state, and writes."""

from django import forms
from django.utils.translation import gettext_lazy as _

from parcours.models import Team
from presences.models import AttendanceStatus, HalfDay, WorkshopStatus
from presences.strokes import MAX_JSON
from sillon.fields import BIGGEST_ID, ModelChoiceField
from sillon.forms import Form


class HalfDayForm(Form):
    day = forms.DateField(widget=forms.HiddenInput)
    half_day = forms.ChoiceField(choices=HalfDay.choices, widget=forms.HiddenInput)


class RecordForm(HalfDayForm):
    user = forms.IntegerField(max_value=BIGGEST_ID, widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Présence"), choices=AttendanceStatus.choices)
    note = forms.CharField(label=_("Précision"), max_length=200, required=False)


class AddParticipantForm(Form):
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        help_text=_("Si la personne a déjà un compte, son nom est repris de ce compte."),
    )
    first_name = forms.CharField(label=_("Prénom"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Nom"), max_length=150, required=False)
    team = ModelChoiceField(
        label=_("Équipe"),
        queryset=Team.objects.none(),
        required=False,
        empty_label=_("Aucune équipe"),
    )

    def __init__(self, *args, teams=(), **kwargs):
        super().__init__(*args, **kwargs)
        team_ids = [team.pk for team in teams]
        self.fields["team"].queryset = Team.objects.filter(pk__in=team_ids).order_by("name")
        if not team_ids:
            del self.fields["team"]


class ReopenForm(Form):
    reason = forms.CharField(
        label=_("Motif de la réouverture"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SignatureForm(Form):
    """A drawn signature (stroke points filled by ``static/js/signature-pad.js``) or,
    for whoever cannot draw, the name typed with the keyboard."""

    strokes = forms.CharField(
        required=False,
        max_length=MAX_JSON,
        widget=forms.HiddenInput,
        error_messages={
            "max_length": _("Le tracé est trop long : effacez et signez plus simplement.")
        },
    )
    typed_name = forms.CharField(
        label=_("Ou signez au clavier : saisissez votre nom complet"),
        max_length=150,
        required=False,
    )


class CodeForm(Form):
    code = forms.CharField(
        label=_("Code affiché dans la salle"),
        max_length=12,
        help_text=_("Six caractères, par exemple K7M4QX."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class DayReopenForm(Form):
    reason = forms.CharField(
        label=_("Motif de la réouverture de la journée"),
        max_length=250,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class WorkshopRecordForm(Form):
    """A presence at a workshop: the person (a registrant, or someone of the session
    added as a walk-in) and present or absent."""

    user = forms.TypedChoiceField(label=_("Personne"), coerce=int, choices=())
    status = forms.ChoiceField(label=_("Présence"), choices=WorkshopStatus.choices)

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [("", _("Choisissez une personne"))] + [
            (row.user.pk, _person_choice(row)) for row in people
        ]


def _person_choice(row) -> str:
    details = [
        part
        for part in (
            row.structure,
            row.elsewhere and _("a choisi « %(title)s »") % {"title": row.elsewhere},
        )
        if part
    ]
    return f"{row.name} ({', '.join(details)})" if details else row.name
