"""« Générer le PDF » (``programmes/<id>/synthese/pdf/``): the coordinator (or a trainer,
an observer) chooses the document — the programme synthesis with a free foreword, the
journey report of one team, the reports of the chosen teams as one ZIP, the training
bilan — the period and the teams (the dashboard's filter), and is taken to the
document's page, whose progress bar names the steps. A team's member asks for their own
team's report (``programmes/<id>/equipes/<team>/rapport/``, POST).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from documents.models import Document
from organisations.access import organisation_view
from organisations.models import Role
from organisations.roles import role_in
from parcours.models import Phase
from parcours.views.calendar import programme_context

from .forms import SynthesisFilterForm
from .pdf import scope_data
from .scope import programme_teams
from .services import (
    get_programme_for_synthesis_or_404,
    get_team_for_report_or_404,
    request_synthesis,
)

VIEW = "parcours.view_calendar"
TAB = "synthese"

KIND_CHOICES = [
    (Document.Kind.PROGRAMME_SYNTHESIS, gettext_lazy("Synthèse du programme (un PDF)")),
    (Document.Kind.TEAM_REPORT, gettext_lazy("Rapport de parcours d’une équipe (un PDF)")),
    (
        Document.Kind.TEAM_REPORTS,
        gettext_lazy("Rapports de parcours des équipes choisies (un ZIP, un PDF par équipe)"),
    ),
    (Document.Kind.TRAINING_BILAN, gettext_lazy("Bilan de formation, module par module (un PDF)")),
]


class SynthesisRequestForm(SynthesisFilterForm):
    document = forms.ChoiceField(
        label=gettext_lazy("Document"), choices=KIND_CHOICES, widget=forms.RadioSelect
    )
    equipe = forms.TypedChoiceField(
        label=gettext_lazy("Équipe du rapport de parcours"),
        coerce=int,
        required=False,
        empty_value=None,
    )
    avant_propos = forms.CharField(
        label=gettext_lazy("Avant-propos"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "Texte libre placé en tête de la synthèse du programme (mise en forme Markdown)."
        ),
    )

    field_order = ["document", "equipe", "avant_propos", "periode", "du", "au", "equipes"]

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, teams=teams, **kwargs)
        self.fields["equipe"].choices = [
            ("", _("Choisir une équipe")),
            *self.fields["equipes"].choices,
        ]
        self.fields["document"].initial = Document.Kind.PROGRAMME_SYNTHESIS

    def clean(self):
        data = super().clean()
        if (
            data.get("document") == Document.Kind.TEAM_REPORT
            and data.get("equipe") not in self.teams
        ):
            self.add_error("equipe", _("Choisissez l’équipe du rapport de parcours."))
        return data


def _title(kind: str, programme, team=None) -> str:
    if kind == Document.Kind.TEAM_REPORT:
        return _("Rapport de parcours — %(team)s") % {"team": team.name}
    if kind == Document.Kind.TEAM_REPORTS:
        return _("Rapports de parcours — %(programme)s") % {"programme": programme.name}
    if kind == Document.Kind.TRAINING_BILAN:
        return _("Bilan de formation — %(programme)s") % {"programme": programme.name}
    return _("Synthèse — %(programme)s") % {"programme": programme.name}


@organisation_view(VIEW)
def synthesis_request(request, organisation, programme_id: int):
    programme = get_programme_for_synthesis_or_404(request.user, organisation, programme_id)
    phases = list(
        Phase.objects.filter(organisation=organisation, programme=programme).order_by("order", "pk")
    )
    for phase in phases:
        phase.programme = programme
    teams = programme_teams(programme)
    if request.method == "POST":
        form = SynthesisRequestForm(request.POST, programme=programme, phases=phases, teams=teams)
    else:
        initial = {"document": request.GET.get("document") or Document.Kind.PROGRAMME_SYNTHESIS}
        filters = SynthesisFilterForm(
            request.GET or None, programme=programme, phases=phases, teams=teams
        )
        if request.GET and filters.is_valid():
            initial.update(
                {k: v for k, v in filters.cleaned_data.items() if v not in (None, [], "")}
            )
        form = SynthesisRequestForm(
            initial=initial, programme=programme, phases=phases, teams=teams
        )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        kind = data["document"]
        team = form.teams.get(data.get("equipe")) if kind == Document.Kind.TEAM_REPORT else None
        try:
            document = request_synthesis(
                organisation=organisation,
                acting_user=request.user,
                kind=kind,
                title=_title(kind, programme, team),
                programme=programme,
                team=team,
                scope=scope_data(**form.scope_arguments()),
                foreword=data.get("avant_propos", "")
                if kind == Document.Kind.PROGRAMME_SYNTHESIS
                else "",
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Document demandé : suivez sa création ici, puis téléchargez-le.")
            )
            return redirect("documents:detail", organisation.slug, document.pk)
    return render(
        request,
        "documents/syntheses/request.html",
        {
            **programme_context(request, organisation, programme, TAB),
            "form": form,
            "observer": role_in(request.user, organisation) == Role.OBSERVER,
        },
    )


@organisation_view(VIEW)
@require_POST
def team_report_request(request, organisation, programme_id: int, team_id: int):
    """A team's journey report over the whole programme: its members, and the staff."""
    programme, team = get_team_for_report_or_404(request.user, organisation, programme_id, team_id)
    try:
        document = request_synthesis(
            organisation=organisation,
            acting_user=request.user,
            kind=Document.Kind.TEAM_REPORT,
            title=_title(Document.Kind.TEAM_REPORT, programme, team),
            programme=programme,
            team=team,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("parcours:timeline", organisation.slug, programme.pk)
    messages.success(request, _("Document demandé : suivez sa création ici, puis téléchargez-le."))
    return redirect("documents:detail", organisation.slug, document.pk)
