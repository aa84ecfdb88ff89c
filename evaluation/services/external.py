"""External evaluations: a campaign run with another tool (seed 004's « à froid » « via
un outil interne »). It has no questionnaire and is never sent, reminded nor answered:
the coordinator creates it (title, moment, who was asked and when), then records its
headline figures (people asked, respondents, satisfaction rate, a summary) and attaches
its report, checked on its content like a call's attachments."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from candidatures.services.calls import attachment_type
from evaluation.actions import Action
from evaluation.models import Campaign, Moment
from organisations.services import record
from parcours.models import Programme


@transaction.atomic
def create_external_campaign(
    *,
    programme: Programme,
    acting_user,
    title: str,
    moment: str,
    opens_at,
    closes_at,
    description: str = "",
) -> Campaign:
    """An external evaluation of ``programme``, run between ``opens_at`` and
    ``closes_at``; ``description`` says who was asked (kept as the campaign's message)."""
    errors: dict[str, list[str]] = defaultdict(list)
    title = (title or "").strip()
    if not title:
        errors["title"].append(_("Donnez un titre à l'évaluation."))
    if moment not in Moment.values:
        errors["moment"].append(_("Choisissez un moment."))
    if opens_at is None:
        errors["opens_at"].append(_("Indiquez le début de l'évaluation."))
    if closes_at is None:
        errors["closes_at"].append(_("Indiquez la fin de l'évaluation."))
    elif opens_at is not None and closes_at <= opens_at:
        errors["closes_at"].append(_("La fin doit venir après le début."))
    if errors:
        raise ValidationError(dict(errors))
    campaign = Campaign.objects.create(
        organisation=programme.organisation,
        programme=programme,
        external=True,
        questionnaire=None,
        title=title,
        moment=moment,
        message=(description or "").strip(),
        opens_at=opens_at,
        closes_at=closes_at,
        status=Campaign.Status.LAUNCHED,
        launched_at=timezone.now(),
        created_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
    )
    record(
        organisation=programme.organisation,
        actor=acting_user,
        action=Action.CAMPAIGN_CREATED,
        target=campaign.title,
        campaign=campaign.pk,
        programme=programme.pk,
        external=True,
    )
    return campaign


@transaction.atomic
def record_external_figures(
    *,
    campaign: Campaign,
    acting_user,
    invited: int | None,
    respondents: int | None,
    satisfaction: Decimal | None,
    summary: str = "",
    report=None,
    remove_report: bool = False,
) -> Campaign:
    """The headline figures of an external evaluation, and its report (PDF, Word, Excel
    or OpenDocument, 10 Mo at most, its content matching its extension)."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if not campaign.external:
        raise ValidationError(_("Seule une évaluation externe a des chiffres à saisir."))
    if campaign.status == Campaign.Status.CANCELLED:
        raise ValidationError(_("Cette évaluation est annulée."))
    errors: dict[str, list[str]] = defaultdict(list)
    for name, value in (("external_invited", invited), ("external_respondents", respondents)):
        if value is not None and value < 0:
            errors[name].append(_("Indiquez un nombre positif."))
    if invited is not None and respondents is not None and respondents > invited:
        errors["external_respondents"].append(
            _("Il ne peut pas y avoir plus de répondant·es que de personnes sollicitées.")
        )
    if satisfaction is not None:
        satisfaction = Decimal(satisfaction).quantize(Decimal("0.1"))
        if not Decimal(0) <= satisfaction <= Decimal(100):
            errors["external_satisfaction"].append(
                _("Le taux de satisfaction est un pourcentage, entre 0 et 100.")
            )
    if report is not None:
        try:
            attachment_type(report)
        except ValidationError as error:
            errors["external_report"].extend(error.messages)
    if errors:
        raise ValidationError(dict(errors))
    campaign.external_invited = invited
    campaign.external_respondents = respondents
    campaign.external_satisfaction = satisfaction
    campaign.external_summary = (summary or "").strip()
    fields = ["external_invited", "external_respondents", "external_satisfaction"]
    fields.append("external_summary")
    if report is not None:
        if campaign.external_report:
            campaign.external_report.delete(save=False)
        campaign.external_report.save(report.name, report, save=False)
        fields.append("external_report")
    elif remove_report and campaign.external_report:
        campaign.external_report.delete(save=False)
        fields.append("external_report")
    campaign.save(update_fields=fields)
    record(
        organisation=campaign.organisation,
        actor=acting_user,
        action=Action.CAMPAIGN_FIGURES_RECORDED,
        target=campaign.title,
        campaign=campaign.pk,
        invited=invited,
        respondents=respondents,
        satisfaction=str(satisfaction) if satisfaction is not None else None,
        report=bool(campaign.external_report),
    )
    return campaign
