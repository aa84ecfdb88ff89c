"""What evaluation adds to the pages of the apps below it (``sillon.extensions``): the
questionnaires to fill on an organisation's home page and in its navigation, the tabs
of a programme, the campaigns of a session, a team's progression, the questionnaires of
a call and the application's part made of them, and a person's data."""

from urllib.parse import urlencode

from django.db.models import Exists, OuterRef
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.extensions import personal_data
from candidatures.extensions import application_parts, call_panels
from candidatures.parts import ApplicationPart
from evaluation import selectors
from evaluation.filled_questionnaires import application_questionnaires
from evaluation.models import Campaign, Moment, Response
from evaluation.personal_data import export_for_user
from evaluation.services.intake import SLOTS, slot_label, slot_of
from organisations.extensions import home_panels, navigation
from organisations.home_sections import HomeSection
from organisations.models import Access, Role
from organisations.roles import role_in
from organisations.rules import is_coordinator
from parcours.extensions import (
    catalogue_figures,
    programme_copied,
    programme_tabs,
    session_panels,
    team_panels,
)
from sillon.formatting import format_moment

SHOWN = 5


# --- The organisation's pages ----------------------------------------------------------


@receiver(home_panels, dispatch_uid="evaluation.questionnaires")
def questionnaires_home_panel(sender, *, request, organisation, **kwargs) -> HomeSection | None:
    """« Questionnaires à remplir »: the open campaigns the user answers and has not
    sent yet (at most five, the nearest deadline first); None when there is none."""
    from evaluation.views.answering import describe_campaigns

    user = request.user
    if not getattr(user, "is_authenticated", False):
        return None
    now = timezone.now()
    campaigns = list(
        selectors.campaigns_to_answer(user, organisation)
        .filter(opens_at__lte=now, closes_at__gt=now)
        .order_by("closes_at", "pk")
    )
    if not campaigns:
        return None
    rows = [row for row in describe_campaigns(user, organisation, campaigns) if not row["sent"]]
    if not rows:
        return None
    return HomeSection(
        "evaluation/answer/home_section.html",
        {"rows": rows[:SHOWN], "more": len(rows) > SHOWN},
    )


@receiver(navigation, dispatch_uid="evaluation.navigation")
def questionnaires_navigation(sender, *, organisation, role, **kwargs):
    slug = organisation.slug
    entries = []
    if role == Role.COORDINATOR:
        entries.append(
            (
                _("Questionnaires"),
                reverse("evaluation:questionnaire_list", args=[slug]),
                "questionnaire_list",
            )
        )
    if role in (Access.PARTICIPANT, Role.TRAINER, Role.COORDINATOR):
        entries.append(
            (
                _("Mes questionnaires"),
                reverse("evaluation:my_campaigns", args=[slug]),
                "my_campaigns",
            )
        )
    return entries


# --- A programme, a session, a team ----------------------------------------------------


@receiver(programme_tabs, dispatch_uid="evaluation.tabs")
def evaluation_tabs(sender, *, request, organisation, programme, **kwargs):
    """« Évaluations » and « Satisfaction » for the staff, « Progression » for them and
    the participants."""
    role = role_in(request.user, organisation)
    args = [organisation.slug, programme.pk]
    tabs = []
    if role in (Role.COORDINATOR, Role.TRAINER, Role.OBSERVER):
        tabs.append(
            (_("Évaluations"), reverse("evaluation:campaign_list", args=args), "evaluations")
        )
        tabs.append(
            (
                _("Satisfaction"),
                reverse("evaluation:programme_satisfaction", args=args),
                "satisfaction",
            )
        )
    if role in (Role.COORDINATOR, Role.TRAINER, Role.OBSERVER, Access.PARTICIPANT):
        tabs.append(
            (
                _("Progression"),
                reverse("evaluation:programme_progression", args=args),
                "progression",
            )
        )
    return tabs


@receiver(session_panels, dispatch_uid="evaluation.campaigns")
def session_campaigns_panel(
    sender, *, request, organisation, session, **kwargs
) -> HomeSection | None:
    """The session's campaigns, each with the action the person can take (answer,
    assess, see the results), and for coordinators a link to create one."""
    from evaluation.views.answering import describe_campaigns

    user = request.user
    if not getattr(user, "is_authenticated", False):
        return None
    role = role_in(user, organisation)
    is_staff = role in Role.values
    coordinates = role == Role.COORDINATOR
    # Which of them the person answers, in the same query.
    to_answer = selectors.campaigns_to_answer(user, organisation).filter(pk=OuterRef("pk"))
    visible = list(
        selectors.campaigns_visible_to(user, organisation)
        .filter(session=session)
        .annotate(answered_by_viewer=Exists(to_answer))
        .order_by("opens_at", "pk")
    )
    answered = {campaign.pk for campaign in visible if campaign.answered_by_viewer}
    mine = {
        row["campaign"].pk: row
        for row in describe_campaigns(user, organisation, [c for c in visible if c.pk in answered])
    }
    slug = organisation.slug
    items = []
    for campaign in visible:
        campaign.organisation = organisation
        state = campaign.state
        actions = []
        row = mine.get(campaign.pk)
        if row is not None and state in ("open", "closed"):
            if campaign.is_assessment:
                label = _("Évaluer les participant·es") if state == "open" else _("Mes évaluations")
                actions.append(
                    {
                        "label": label,
                        "url": reverse("evaluation:assess_list", args=[slug, campaign.pk]),
                        "note": _("%(done)s sur %(total)s évalué·es")
                        % {"done": row["done"], "total": row["total"]},
                        "primary": state == "open" and not row["sent"],
                    }
                )
            else:
                label = _("Donner votre avis") if state == "open" else _("Voir mes réponses")
                actions.append(
                    {
                        "label": label,
                        "url": reverse("evaluation:answer", args=[slug, campaign.pk]),
                        "note": row["status_label"],
                        "primary": state == "open" and not row["sent"],
                    }
                )
        if is_staff:
            actions.append(
                {
                    "label": _("Résultats"),
                    "url": reverse("evaluation:campaign_results", args=[slug, campaign.pk]),
                    "note": "",
                    "primary": False,
                }
            )
        if not actions and row is None and not is_staff:
            continue
        if state == "open":
            when = _("Ouverte jusqu'au %(when)s") % {
                "when": format_moment(campaign.closes_at, organisation)
            }
        elif state == "upcoming":
            when = _("Ouvrira le %(when)s") % {
                "when": format_moment(campaign.opens_at, organisation)
            }
        elif state == "closed":
            when = _("Close depuis le %(when)s") % {
                "when": format_moment(campaign.closes_at, organisation)
            }
        else:
            when = campaign.state_label
        items.append({"campaign": campaign, "when": when, "actions": actions})
    create_url = ""
    if coordinates:
        create_url = (
            reverse("evaluation:campaign_create", args=[slug, session.programme_id])
            + "?"
            + urlencode({"session": session.pk})
        )
    if not items and not create_url:
        return None
    return HomeSection(
        "evaluation/answer/session_section.html",
        {"items": items, "create_url": create_url},
    )


@receiver(team_panels, dispatch_uid="evaluation.progression")
def team_progression_panel(sender, *, request, organisation, team, **kwargs) -> HomeSection | None:
    """A link to the team's self-diagnostic and progression (T0 / T1 / T2), for the
    people who may read it (coordinators, trainers and the team's own members; not
    observers), saying when its T0 is the self-diagnostic answered with its application."""
    user = request.user
    if not getattr(user, "is_authenticated", False):
        return None
    if role_in(user, organisation) == Role.OBSERVER:
        return None
    text = _("Les niveaux de l'équipe à l'autodiagnostic et leur évolution au fil du parcours.")
    # The T0 self-diagnostic answered with the application the team comes from.
    if Response.objects.filter(
        team=team,
        campaign__call__isnull=False,
        campaign__moment=Moment.T0,
        status=Response.Status.SUBMITTED,
    ).exists():
        text = _(
            "L'autodiagnostic T0 rempli avec la candidature est le point de départ de "
            "l'équipe : ses niveaux et leur évolution au fil du parcours."
        )
    return HomeSection(
        "parcours/partials/team_link_section.html",
        {
            "key": "progression",
            "title": _("Autodiagnostic et progression"),
            "text": text,
            "label": _("Voir la progression de l'équipe"),
            "url": reverse(
                "evaluation:team_progression",
                args=[organisation.slug, team.cohort.programme_id, team.pk],
            ),
        },
    )


# --- A call and its applications -------------------------------------------------------


@receiver(call_panels, dispatch_uid="evaluation.call_questionnaires")
def call_questionnaires_panel(
    sender, *, request, organisation, call, **kwargs
) -> HomeSection | None:
    """The call's motivation questions and T0 self-diagnostic, and the page to choose
    them."""
    if not is_coordinator(request.user, organisation):
        return None
    attached = {
        slot_of(campaign): campaign
        for campaign in Campaign.objects.filter(call=call).select_related(
            "questionnaire", "version"
        )
    }
    rows = [{"label": slot_label(slot), "campaign": attached.get(slot)} for slot in SLOTS]
    return HomeSection(
        "evaluation/intake/call_section.html",
        {
            "rows": rows,
            "url": reverse(
                "evaluation:call_questionnaires",
                args=[organisation.slug, call.programme_id, call.pk],
            ),
            "label": _("Choisir les questionnaires de l'appel"),
        },
    )


# The application's part: its questionnaires as the applicants fill them, as the reviewers
# read them, on the PDF receipt, and what is still missing (evaluation.filled_questionnaires
# reads them once per application object).


def answer_url(organisation, application, campaign) -> str:
    return reverse(
        "evaluation:application_answer",
        args=[organisation.slug, application.call.slug, application.pk, campaign.pk],
    )


def applicant_panel(request, application, editable: bool) -> HomeSection | None:
    """Each questionnaire with « complet » or what is missing, and « Remplir » (while the
    application can change) or « Consulter »."""
    filled = application_questionnaires(application)
    if not filled:
        return None
    organisation = getattr(request, "organisation", None) or application.organisation
    rows = [
        {
            "filled": item,
            "url": answer_url(organisation, application, item.campaign),
            "action": _("Remplir") if editable else _("Consulter"),
        }
        for item in filled
    ]
    return HomeSection("evaluation/intake/applicant_part.html", {"rows": rows})


def review_panel(request, application) -> HomeSection | None:
    """The answers, read-only: for a maturity grid each criterion's level with its
    descriptor and comment."""
    filled = application_questionnaires(application)
    if not filled:
        return None
    return HomeSection("evaluation/intake/review_part.html", {"questionnaires": filled})


def missing_items(application) -> list[str]:
    """« Autodiagnostic T0 : 3 réponses obligatoires manquantes »."""
    return [
        _("%(questionnaire)s : %(status)s") % {"questionnaire": item.label, "status": item.status}
        for item in application_questionnaires(application)
        if not item.complete
    ]


def receipt_panel(application) -> HomeSection | None:
    """The answers, for the PDF receipt (no link, no form)."""
    filled = application_questionnaires(application)
    if not filled:
        return None
    # Read as ``section.questionnaires`` whether the receipt renders the template with
    # this context or includes it ``with section=section.context``.
    context = {"questionnaires": filled}
    return HomeSection("evaluation/intake/receipt_part.html", {**context, "section": context})


APPLICATION_PART = ApplicationPart(
    key="evaluation",
    applicant=applicant_panel,
    review=review_panel,
    missing=missing_items,
    receipt=receipt_panel,
)


@receiver(application_parts, dispatch_uid="evaluation.call_questionnaires")
def call_questionnaires_part(sender, **kwargs) -> ApplicationPart:
    return APPLICATION_PART


# --- A person's account ----------------------------------------------------------------


@receiver(personal_data, dispatch_uid="evaluation.personal_data")
def evaluation_personal_data(sender, *, user, **kwargs):
    return "evaluation", export_for_user(user)


# --- Copies and the catalogue sheet of parcours ------------------------------------------


@receiver(programme_copied, dispatch_uid="evaluation.copy_campaigns")
def copy_programme_campaigns(sender, *, source, copy, session_map, by, **kwargs):
    """The campaigns follow a copied programme or session, as drafts re-dated."""
    from evaluation.services.copy import copy_campaigns

    copy_campaigns(source=source, copy=copy, session_map=session_map, by=by)


@receiver(catalogue_figures, dispatch_uid="evaluation.catalogue_satisfaction")
def catalogue_satisfaction(sender, *, programme, **kwargs):
    """« Taux de satisfaction » of a catalogue sheet: the programme's launched campaigns
    à chaud and à froid (else every session's), with its n; None without an answer."""
    from evaluation.results import combine, programme_satisfaction

    campaigns = list(
        Campaign.objects.filter(
            programme=programme, call__isnull=True, status=Campaign.Status.LAUNCHED
        ).select_related("session")
    )
    if not campaigns:
        return None
    overview = programme_satisfaction(campaigns)
    rate = overview.programme or combine(row.rate for row in overview.sessions)
    if rate is None or not rate.n:
        return None
    return (_("Taux de satisfaction"), str(rate))
