"""Campaigns of a programme: the list (by moment and state, with "n sur m" responses),
a campaign's page, the coordinator's tools (create, change, launch, close, cancel) and
the automatic « à chaud » rules. Thin views: a form parses, a service writes, the page
redirects with a French message. Trainers and observers see the list and the pages of
the campaigns visible to them, read-only; participants get 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from evaluation import selectors
from evaluation import targets as evaluation_targets
from evaluation.access import (
    get_automatic_campaign_or_404,
    get_campaign_for_user_or_404,
    get_managed_campaign_or_404,
)
from evaluation.forms.campaigns import (
    AutomaticCampaignForm,
    CampaignFilterForm,
    CampaignForm,
    CancelCampaignForm,
    LaunchedCampaignForm,
)
from evaluation.interviews import can_record_interview
from evaluation.models import AutomaticCampaign, Campaign, CampaignReminder, Moment, Response
from evaluation.services import campaigns as campaign_services
from evaluation.views.external import external_context
from organisations.access import organisation_view
from parcours.access import get_programme_for_user_or_404
from parcours.forms import add_service_errors
from parcours.models import Session, Team
from parcours.views.calendar import programme_context
from sillon.formatting import format_moment

VIEW = "evaluation.view_staff"
MANAGE = "evaluation.manage"

MODE_EXPLAINED = {
    Campaign.Mode.TEAM: gettext_lazy(
        "Chaque équipe remplit une réponse collective : plusieurs membres peuvent la "
        "compléter ensemble, chaque modification est signée."
    ),
    Campaign.Mode.PERSON: gettext_lazy("Chaque personne visée remplit sa propre réponse."),
    Campaign.Mode.ASSESS_TEAM: gettext_lazy(
        "Les évaluateur·rices remplissent une évaluation pour chaque équipe visée."
    ),
    Campaign.Mode.ASSESS_PERSON: gettext_lazy(
        "Les évaluateur·rices remplissent une évaluation pour chaque participant·e visé·e."
    ),
}


def _to_detail(campaign: Campaign):
    return redirect("evaluation:campaign_detail", campaign.organisation.slug, campaign.pk)


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _state_filter(state: str) -> Q:
    now = timezone.now()
    launched = Q(status=Campaign.Status.LAUNCHED)
    return {
        "draft": Q(status=Campaign.Status.DRAFT),
        "cancelled": Q(status=Campaign.Status.CANCELLED),
        "upcoming": launched & Q(opens_at__gt=now),
        "open": launched & Q(opens_at__lte=now, closes_at__gt=now),
        "closed": launched & Q(closes_at__lte=now),
    }.get(state, Q())


# --- The list ------------------------------------------------------------------------


@organisation_view(VIEW)
def campaign_list(request, organisation, programme_id):
    programme = get_programme_for_user_or_404(request.user, organisation, programme_id)
    filters = CampaignFilterForm(request.GET or None)
    campaigns = (
        selectors.campaigns_visible_to(request.user, organisation)
        .filter(programme=programme)
        .annotate(
            submitted=Count("responses", filter=Q(responses__status=Response.Status.SUBMITTED))
        )
    )
    if filters.is_valid():
        if filters.cleaned_data["moment"]:
            campaigns = campaigns.filter(moment=filters.cleaned_data["moment"])
        campaigns = campaigns.filter(_state_filter(filters.cleaned_data["state"]))
    campaigns = list(campaigns.order_by("-opens_at", "pk"))
    found = evaluation_targets.targets(campaigns)
    by_moment: dict[str, list] = {}
    for campaign in campaigns:
        campaign.expected = found.expected(campaign)
        by_moment.setdefault(campaign.moment, []).append(campaign)
    groups = [
        {"moment": moment, "label": label, "campaigns": by_moment[moment]}
        for moment, label in Moment.choices
        if moment in by_moment
    ]
    context = programme_context(request, organisation, programme, "evaluations")
    context.update(
        {
            "groups": groups,
            "filters": filters,
            "filtered": filters.is_bound,
            "can_manage_campaigns": request.user.has_perm(MANAGE, organisation),
        }
    )
    return render(request, "evaluation/campaigns/campaign_list.html", context)


# --- A campaign ------------------------------------------------------------------------


def _target_summary(campaign: Campaign, found) -> str:
    audience = campaign.audience
    if audience == Campaign.Audience.COHORT:
        return _("Toutes les équipes du programme")
    if audience == Campaign.Audience.TEAMS:
        names = list(
            Team.objects.filter(pk__in=found.teams.get(campaign.pk, []))
            .order_by("name")
            .values_list("name", flat=True)
        )
        return _("Équipes : %(names)s") % {"names": ", ".join(names)}
    if audience == Campaign.Audience.SESSION and campaign.session_id:
        return _("Les participant·es de la séance « %(title)s » (%(when)s)") % {
            "title": campaign.session.title,
            "when": format_moment(campaign.session.starts_at, campaign.organisation),
        }
    count = len(found.people.get(campaign.pk, []))
    return _("%(count)s personne(s) nommément désignée(s)") % {"count": count}


def _anonymity_text(campaign: Campaign) -> str:
    if campaign.anonymous:
        return _(
            "Réponses anonymes : aucune réponse ne peut être reliée à son auteur·rice, même "
            "par les coordinateurs. Le fait d'avoir répondu est enregistré à part, pour "
            "relancer les personnes qui n'ont pas répondu."
        )
    if campaign.is_assessment:
        return _("Évaluations nominatives : chaque évaluation nomme son sujet et son auteur·rice.")
    return _(
        "Réponses nominatives : les coordinateurs (et les intervenant·es de la séance) "
        "voient qui a répondu quoi."
    )


@organisation_view(VIEW)
def campaign_detail(request, organisation, campaign_id):
    campaign = get_campaign_for_user_or_404(request.user, organisation, campaign_id)
    found = evaluation_targets.targets([campaign])
    submitted = Response.objects.filter(campaign=campaign, status=Response.Status.SUBMITTED).count()
    can_manage = request.user.has_perm(MANAGE, organisation)
    paired = []
    if campaign.paired_with_id:
        paired.append(campaign.paired_with)
    paired.extend(campaign.pairs.exclude(status=Campaign.Status.CANCELLED).order_by("pk"))
    context = {"programme": campaign.programme}
    context.update(
        {
            "campaign": campaign,
            "can_manage_campaigns": can_manage,
            "target_summary": _target_summary(campaign, found),
            "mode_text": MODE_EXPLAINED[campaign.mode],
            "anonymity_text": _anonymity_text(campaign),
            "opens_when": format_moment(campaign.opens_at, organisation),
            "closes_when": format_moment(campaign.closes_at, organisation),
            "launched_when": (
                format_moment(campaign.launched_at, organisation) if campaign.launched_at else ""
            ),
            "submitted": submitted,
            "expected": found.expected(campaign),
            "assessors": found.assessors.get(campaign.pk, []),
            "paired": paired,
            "reminders": list(
                CampaignReminder.objects.filter(campaign=campaign).select_related("sent_by")[:5]
            ),
            "is_respondent": selectors.is_respondent(campaign, request.user),
            "cancel_form": CancelCampaignForm(),
            "needs_confirmation": submitted > 0,
            "awaiting_sheet": campaign.pk in found.waiting,
            "sheet_recorded": evaluation_targets.uses_attendance(
                campaign, found.sheets.has_sheet(campaign.session_id)
            ),
            "sheet_wait_when": (
                format_moment(campaign.sheet_wait_until, organisation)
                if campaign.sheet_wait_until
                else ""
            ),
            "can_interview": can_record_interview(campaign, request.user, organisation),
        }
    )
    if campaign.external:
        context.update(external_context(request, organisation, campaign))
    return render(request, "evaluation/campaigns/campaign_detail.html", context)


# --- Coordinator's tools ---------------------------------------------------------------


@organisation_view(MANAGE)
def campaign_create(request, organisation, programme_id):
    programme = get_programme_for_user_or_404(request.user, organisation, programme_id)
    initial = {}
    session_id = request.GET.get("session", "")
    if request.method == "GET" and session_id.isdigit():
        session = Session.objects.filter(programme=programme, pk=int(session_id)).active().first()
        if session is not None:
            initial = CampaignForm.initial_for_session(session)
    form = CampaignForm(request.POST or None, programme=programme, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = campaign_services.create_campaign(
                programme=programme, acting_user=request.user, **form.service_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Campagne « %(title)s » créée en brouillon : lancez-la quand elle est prête.")
                % {"title": campaign.title},
            )
            return _to_detail(campaign)
    return render(
        request,
        "evaluation/campaigns/campaign_form.html",
        {"programme": programme, "form": form, "campaign": None},
    )


@organisation_view(MANAGE)
def campaign_edit(request, organisation, campaign_id):
    campaign = get_managed_campaign_or_404(organisation, campaign_id)
    programme = campaign.programme
    if campaign.status == Campaign.Status.CANCELLED:
        messages.error(request, _("Une campagne annulée ne peut plus être modifiée."))
        return _to_detail(campaign)
    launched = campaign.status == Campaign.Status.LAUNCHED
    form_class = LaunchedCampaignForm if launched else CampaignForm
    form = form_class(request.POST or None, programme=programme, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            campaign_services.update_campaign(
                campaign=campaign, acting_user=request.user, **form.service_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Campagne enregistrée."))
            return _to_detail(campaign)
    return render(
        request,
        "evaluation/campaigns/campaign_form.html",
        {"programme": programme, "form": form, "campaign": campaign, "launched": launched},
    )


def _transition(request, organisation, campaign_id, service, success: str, **kwargs):
    campaign = get_managed_campaign_or_404(organisation, campaign_id)
    try:
        service(campaign=campaign, acting_user=request.user, **kwargs)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, success % {"title": campaign.title})
    return _to_detail(campaign)


@organisation_view(MANAGE)
@require_POST
def campaign_launch(request, organisation, campaign_id):
    return _transition(
        request,
        organisation,
        campaign_id,
        campaign_services.launch_campaign,
        _("Campagne « %(title)s » lancée : elle ouvrira à la date prévue."),
    )


@organisation_view(MANAGE)
@require_POST
def campaign_close(request, organisation, campaign_id):
    return _transition(
        request,
        organisation,
        campaign_id,
        campaign_services.close_campaign,
        _("Campagne « %(title)s » close : les réponses ne peuvent plus être modifiées."),
    )


@organisation_view(MANAGE)
@require_POST
def campaign_cancel(request, organisation, campaign_id):
    form = CancelCampaignForm(request.POST)
    confirm = form.is_valid() and form.cleaned_data["confirm"]
    return _transition(
        request,
        organisation,
        campaign_id,
        campaign_services.cancel_campaign,
        _("Campagne « %(title)s » annulée."),
        confirm=confirm,
    )


# --- Automatic « à chaud » -------------------------------------------------------------


@organisation_view(MANAGE)
def automatic_list(request, organisation, programme_id):
    programme = get_programme_for_user_or_404(request.user, organisation, programme_id)
    form = AutomaticCampaignForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        try:
            campaign_services.save_automatic_campaign(
                programme=programme, acting_user=request.user, **form.service_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Évaluation à chaud automatique enregistrée."))
            return redirect("evaluation:automatic_list", organisation.slug, programme.pk)
    now = timezone.now()
    rules = list(
        AutomaticCampaign.objects.filter(programme=programme)
        .select_related("session_kind", "questionnaire")
        .annotate(
            coming=Count(
                "session_kind__sessions",
                filter=Q(
                    session_kind__sessions__ends_at__gt=now,
                    session_kind__sessions__status=Session.Status.SCHEDULED,
                ),
                distinct=True,
            ),
            created=Count("campaigns", distinct=True),
        )
    )
    return render(
        request,
        "evaluation/campaigns/automatic_list.html",
        {"programme": programme, "form": form, "rules": rules},
    )


@organisation_view(MANAGE)
def automatic_edit(request, organisation, programme_id, automatic_id):
    programme = get_programme_for_user_or_404(request.user, organisation, programme_id)
    automatic = get_automatic_campaign_or_404(organisation, programme, automatic_id)
    form = AutomaticCampaignForm(request.POST or None, programme=programme, automatic=automatic)
    if request.method == "POST" and form.is_valid():
        try:
            campaign_services.save_automatic_campaign(
                programme=programme,
                acting_user=request.user,
                automatic=automatic,
                **form.service_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Évaluation à chaud automatique enregistrée."))
            return redirect("evaluation:automatic_list", organisation.slug, programme.pk)
    return render(
        request,
        "evaluation/campaigns/automatic_edit.html",
        {"programme": programme, "form": form, "automatic": automatic},
    )


@organisation_view(MANAGE)
@require_POST
def automatic_delete(request, organisation, programme_id, automatic_id):
    programme = get_programme_for_user_or_404(request.user, organisation, programme_id)
    automatic = get_automatic_campaign_or_404(organisation, programme, automatic_id)
    campaign_services.delete_automatic_campaign(automatic=automatic, acting_user=request.user)
    messages.success(
        request,
        _(
            "Évaluation à chaud automatique supprimée. Les campagnes déjà ouvertes restent "
            "en place."
        ),
    )
    return redirect("evaluation:automatic_list", organisation.slug, programme.pk)
