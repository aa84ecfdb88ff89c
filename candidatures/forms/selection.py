"""Forms of the selection: a reviewer's scores, a coordinator's decision, reopening,
announcing and inviting someone to a team. They parse what was typed; the services in
``parcours.services.selection`` check the rules and write."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from candidatures.models import Application
from candidatures.review import Grid
from candidatures.services import criterion_field
from parcours.forms import DateInput, TimeInput
from sillon import limits
from sillon.forms import Form

# Up to this maximum a criterion is scored with radio buttons, beyond with a number.
RADIO_MAX = 10


class ReviewForm(Form):
    """One field per criterion of the call's grid (``criterion_<id>``), then a comment."""

    comment = forms.CharField(
        max_length=limits.NOTE,
        label=gettext_lazy("Commentaire"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Visible des autres évaluateurs et de la coordination."),
    )

    def __init__(self, *args, grid: Grid, **kwargs):
        super().__init__(*args, **kwargs)
        comment = self.fields.pop("comment")
        self.grid = grid
        for criterion in grid.criteria:
            label = _("%(name)s (sur %(max)s, poids %(weight)s)") % {
                "name": criterion.name,
                "max": criterion.max_score,
                "weight": criterion.weight,
            }
            if criterion.max_score <= RADIO_MAX:
                field = forms.TypedChoiceField(
                    label=label,
                    choices=[(value, str(value)) for value in range(criterion.max_score + 1)],
                    coerce=int,
                    widget=forms.RadioSelect,
                    help_text=criterion.description,
                    error_messages={"required": _("Donnez une note à ce critère.")},
                )
            else:
                field = forms.IntegerField(
                    label=label,
                    min_value=0,
                    max_value=criterion.max_score,
                    help_text=criterion.description,
                    error_messages={"required": _("Donnez une note à ce critère.")},
                )
            self.fields[criterion_field(criterion.pk)] = field
        self.fields["comment"] = comment

    @property
    def scores(self) -> dict[int, int]:
        return {
            criterion.pk: self.cleaned_data[criterion_field(criterion.pk)]
            for criterion in self.grid.criteria
            if self.cleaned_data.get(criterion_field(criterion.pk)) is not None
        }


class DecisionForm(Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Décision"),
        choices=Application.Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choisissez une décision.")},
    )
    reasons = forms.CharField(
        max_length=limits.NOTE,
        label=gettext_lazy("Motifs"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "Obligatoires pour la liste d'attente et les candidatures non retenues : "
            "ils figurent dans le courriel envoyé à l'annonce."
        ),
    )


class ReopenForm(Form):
    """Until when the applicants may submit again, on the organisation's clock."""

    day = forms.DateField(label=gettext_lazy("Nouvelle date limite"), widget=DateInput)
    at = forms.TimeField(label=gettext_lazy("Heure limite"), widget=TimeInput, initial=time(23, 59))

    def __init__(self, *args, zone: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = ZoneInfo(zone)

    @property
    def until(self) -> datetime:
        data = self.cleaned_data
        return datetime.combine(data["day"], data["at"], tzinfo=self.zone)

    def field_for_error(self, key: str) -> str:
        return {"until": "day"}.get(key, key)


class AnnounceForm(Form):
    partial = forms.BooleanField(
        label=gettext_lazy(
            "Annoncer les décisions déjà prises, même si des candidatures attendent encore "
            "une décision"
        ),
        required=False,
    )
    publish = forms.BooleanField(
        label=gettext_lazy("Publier le programme en même temps"),
        help_text=gettext_lazy(
            "Sans cette case, les décisions sont annoncées quand même et le programme reste "
            "en brouillon."
        ),
        required=False,
    )
