"""Campaigns: create and change them, launch (fixing the questionnaire version every
response will answer), close, cancel, remind the non-respondents; and the automatic
« à chaud » campaigns kept in step with the sessions of a kind.

Choices made here:

* Cancelling a campaign never deletes anything: responses already sent stay readable
  in the results (the campaign says "annulée"), nobody can answer any more and no
  reminder is planned. Because it stops people mid-answer, cancelling a campaign that
  has received responses needs an explicit confirmation (``confirm=True``).
* After launch only the title, the message, the closing time and the assessors may
  change: the target, the mode and the anonymity define what the answers mean.
* An automatic campaign opens when its session ends. It is created for scheduled
  sessions only (a session « à confirmer » gets its campaign when it is confirmed),
  follows the session while it has not opened and nobody has started answering it, is
  cancelled with its session, and is withdrawn (deleted: nobody saw it yet) when the
  rule is switched off or removed before it opens. A campaign a coordinator cancelled
  by hand is never brought back.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluation import notices, selectors
from evaluation.actions import Action
from evaluation.models import (
    AutomaticCampaign,
    Campaign,
    CampaignReminder,
    Moment,
    Participation,
    Questionnaire,
    Response,
)
from evaluation.services import opening
from evaluation.services.questionnaires import current_version
from evaluation.targets import ASSESSMENT_MODES, default_sheet_wait
from organisations.models import Membership, Role
from organisations.services import record
from parcours.models import Programme, Session, Team

User = get_user_model()

REMIND_INTERVAL = timedelta(hours=1)
OPEN_DAYS_MIN, OPEN_DAYS_MAX = 1, 90

# What may still change once a campaign is launched.
LAUNCHED_FIELDS = frozenset({"title", "message", "closes_at", "assessors", "sheet_wait_until"})
FIELDS = (
    "questionnaire",
    "title",
    "moment",
    "audience",
    "mode",
    "anonymous",
    "anonymity_threshold",
    "opens_at",
    "closes_at",
    "message",
    "teams",
    "session",
    "people",
    "assessors",
    "paired_with",
    "sheet_wait_until",
)
# Self-assessment mode ↔ the assessment shown beside it.
PAIRS = {
    Campaign.Mode.TEAM: Campaign.Mode.ASSESS_TEAM,
    Campaign.Mode.ASSESS_TEAM: Campaign.Mode.TEAM,
    Campaign.Mode.PERSON: Campaign.Mode.ASSESS_PERSON,
    Campaign.Mode.ASSESS_PERSON: Campaign.Mode.PERSON,
}
TEAM_MODES = (Campaign.Mode.TEAM, Campaign.Mode.ASSESS_TEAM)


def _person(user):
    return user if getattr(user, "is_authenticated", False) else None


# --- Validation ------------------------------------------------------------------------


def _validate(programme: Programme, values: dict, *, campaign: Campaign | None = None) -> dict:
    """French errors keyed by form field for a campaign with ``values`` (every field of
    ``FIELDS``; related objects as lists)."""
    errors: dict[str, list[str]] = defaultdict(list)
    organisation_id = programme.organisation_id
    if not (values["title"] or "").strip():
        errors["title"].append(_("Donnez un titre à la campagne."))
    questionnaire = values["questionnaire"]
    if questionnaire is None:
        errors["questionnaire"].append(_("Choisissez un questionnaire."))
    elif questionnaire.organisation_id != organisation_id or questionnaire.programme_id not in (
        None,
        programme.pk,
    ):
        errors["questionnaire"].append(
            _("Choisissez un questionnaire de ce programme ou de la bibliothèque.")
        )
    elif questionnaire.archived:
        errors["questionnaire"].append(_("Ce questionnaire est archivé."))
    if values["moment"] not in Moment.values:
        errors["moment"].append(_("Choisissez un moment."))
    mode, audience = values["mode"], values["audience"]
    if mode not in Campaign.Mode.values:
        errors["mode"].append(_("Choisissez qui répond."))
    if audience not in Campaign.Audience.values:
        errors["audience"].append(_("Choisissez le public."))
    opens_at, closes_at = values["opens_at"], values["closes_at"]
    if opens_at is None:
        errors["opens_at"].append(_("Indiquez la date d'ouverture."))
    if closes_at is None:
        errors["closes_at"].append(_("Indiquez la date de clôture."))
    elif opens_at is not None and closes_at <= opens_at:
        errors["closes_at"].append(_("La clôture doit venir après l'ouverture."))
    threshold = values.get("anonymity_threshold")
    if threshold is None or threshold < 3:
        errors["anonymity_threshold"].append(_("Le seuil d'anonymat est d'au moins 3 réponses."))
    if values["anonymous"] and mode != Campaign.Mode.PERSON:
        errors["anonymous"].append(
            _(
                "Seules les campagnes « une réponse par personne » peuvent être anonymes : "
                "une réponse d'équipe ou une évaluation par un·e intervenant·e nomme "
                "toujours son auteur ou son sujet."
            )
        )
    if mode in TEAM_MODES and audience == Campaign.Audience.PEOPLE:
        errors["audience"].append(
            _(
                "Une réponse par équipe s'adresse à des équipes : choisissez toutes les "
                "équipes, certaines équipes ou les participant·es d'une séance."
            )
        )
    teams = values["teams"]
    if audience == Campaign.Audience.TEAMS and not teams:
        errors["teams"].append(_("Choisissez au moins une équipe."))
    if teams:
        valid = set(
            Team.objects.filter(
                organisation=organisation_id,
                cohort__programme=programme,
                pk__in=[team.pk for team in teams],
            ).values_list("pk", flat=True)
        )
        if {team.pk for team in teams} - valid:
            errors["teams"].append(_("Choisissez des équipes de ce programme."))
    session = values["session"]
    if audience == Campaign.Audience.SESSION and session is None:
        errors["session"].append(_("Choisissez une séance du programme."))
    if session is not None and (
        session.organisation_id != organisation_id or session.programme_id != programme.pk
    ):
        errors["session"].append(_("Choisissez une séance de ce programme."))
    people = values["people"]
    if audience == Campaign.Audience.PEOPLE and not people:
        errors["people"].append(_("Choisissez au moins une personne."))
    if people:
        ids = {person.pk for person in people}
        known = set(
            User.objects.filter(pk__in=ids)
            .filter(
                Q(memberships__organisation=organisation_id)
                | Q(
                    team_memberships__team__cohort__programme=programme,
                    team_memberships__left_at__isnull=True,
                )
            )
            .values_list("pk", flat=True)
        )
        if ids - known:
            errors["people"].append(
                _("Choisissez des membres de l'organisation ou des équipes de ce programme.")
            )
    assessors = values["assessors"]
    if mode in ASSESSMENT_MODES and not assessors:
        errors["assessors"].append(
            _("Une évaluation par les intervenant·es demande au moins un·e évaluateur·rice.")
        )
    if assessors:
        ids = {person.pk for person in assessors}
        allowed = set(
            Membership.objects.filter(
                organisation=organisation_id,
                user_id__in=ids,
                role__in=[Role.TRAINER, Role.COORDINATOR],
            ).values_list("user_id", flat=True)
        )
        if ids - allowed:
            errors["assessors"].append(
                _(
                    "Les évaluateur·rices doivent être intervenant·es ou coordinateur·rices "
                    "de l'organisation."
                )
            )
    paired = values["paired_with"]
    if paired is not None:
        if campaign is not None and paired.pk == campaign.pk:
            errors["paired_with"].append(_("Une campagne ne peut pas être associée à elle-même."))
        elif paired.organisation_id != organisation_id or paired.programme_id != programme.pk:
            errors["paired_with"].append(_("Choisissez une campagne de ce programme."))
        elif PAIRS.get(mode) != paired.mode:
            errors["paired_with"].append(
                _(
                    "Associez une auto-évaluation d'équipe à une évaluation des équipes, ou "
                    "une réponse par personne à une évaluation des participant·es."
                )
            )
        elif paired.anonymous or values["anonymous"]:
            errors["paired_with"].append(
                _("Une campagne anonyme ne peut pas être mise en regard d'une évaluation.")
            )
        elif paired.status == Campaign.Status.CANCELLED:
            errors["paired_with"].append(_("Cette campagne est annulée."))
    for name, messages in opening.sheet_wait_errors(values).items():
        errors[name].extend(messages)
    return dict(errors)


def _normalise(values: dict) -> dict:
    """Keep only the relations the audience and mode use."""
    values = dict(values)
    values["teams"] = (
        list(values["teams"] or []) if values["audience"] == Campaign.Audience.TEAMS else []
    )
    values["people"] = (
        list(values["people"] or []) if values["audience"] == Campaign.Audience.PEOPLE else []
    )
    values["assessors"] = list(values["assessors"] or [])
    if values["mode"] in ASSESSMENT_MODES:
        session = values["session"]
        if not values["assessors"] and session is not None:
            # By default the people who run the session assess its participants.
            values["assessors"] = list(session.facilitators.all())
    else:
        values["assessors"] = []
    values["title"] = (values["title"] or "").strip()
    values["message"] = (values["message"] or "").strip()
    if values["audience"] != Campaign.Audience.SESSION:
        values["sheet_wait_until"] = None
    return values


def _save_relations(campaign: Campaign, values: dict) -> None:
    campaign.teams.set(values["teams"])
    campaign.people.set(values["people"])
    campaign.assessors.set(values["assessors"])


# --- Coordinator's campaigns -----------------------------------------------------------


@transaction.atomic
def create_campaign(
    *,
    programme: Programme,
    acting_user,
    questionnaire: Questionnaire | None,
    title: str,
    opens_at,
    closes_at,
    moment: str = Moment.FREE,
    audience: str = Campaign.Audience.COHORT,
    mode: str = Campaign.Mode.PERSON,
    anonymous: bool = False,
    anonymity_threshold: int = 5,
    message: str = "",
    teams=(),
    session: Session | None = None,
    people=(),
    assessors=(),
    paired_with: Campaign | None = None,
    sheet_wait_until=None,
) -> Campaign:
    """A draft campaign (launch it to open it to its respondents). Aimed at a session's
    participants and opening once it started, it waits for the attendance sheet until
    ``sheet_wait_until`` (default: the next morning after the session)."""
    values = _normalise(
        {
            "questionnaire": questionnaire,
            "title": title,
            "moment": moment,
            "audience": audience,
            "mode": mode,
            "anonymous": anonymous,
            "anonymity_threshold": anonymity_threshold,
            "opens_at": opens_at,
            "closes_at": closes_at,
            "message": message,
            "teams": teams,
            "session": session,
            "people": people,
            "assessors": assessors,
            "paired_with": paired_with,
            "sheet_wait_until": sheet_wait_until,
        }
    )
    errors = _validate(programme, values)
    if errors:
        raise ValidationError(errors)
    values["sheet_wait_until"] = opening.sheet_wait_for(values, programme.organisation.time_zone)
    campaign = Campaign.objects.create(
        organisation=programme.organisation,
        programme=programme,
        created_by=_person(acting_user),
        status=Campaign.Status.DRAFT,
        **{name: values[name] for name in FIELDS if name not in ("teams", "people", "assessors")},
    )
    _save_relations(campaign, values)
    record(
        organisation=programme.organisation,
        actor=acting_user,
        action=Action.CAMPAIGN_CREATED,
        target=campaign.title,
        campaign=campaign.pk,
        programme=programme.pk,
    )
    return campaign


def _current_values(campaign: Campaign) -> dict:
    return {
        **{
            name: getattr(campaign, name)
            for name in FIELDS
            if name not in ("teams", "people", "assessors")
        },
        "teams": list(campaign.teams.all()),
        "people": list(campaign.people.all()),
        "assessors": list(campaign.assessors.all()),
    }


def _differs(name: str, before, after) -> bool:
    if name in ("teams", "people", "assessors"):
        return {item.pk for item in before or []} != {item.pk for item in after or []}
    return before != after


@transaction.atomic
def update_campaign(*, campaign: Campaign, acting_user, **changes) -> Campaign:
    """Change a campaign: anything before launch; after launch only the title, the
    message, the closing time (not before now) and the assessors."""
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown campaign fields: {sorted(unknown)}")
    campaign = Campaign.objects.select_for_update().select_related("programme").get(pk=campaign.pk)
    if campaign.status == Campaign.Status.CANCELLED:
        raise ValidationError(_("Une campagne annulée ne peut plus être modifiée."))
    before = _current_values(campaign)
    launched = campaign.status == Campaign.Status.LAUNCHED
    errors: dict[str, list[str]] = defaultdict(list)
    if launched:
        for name, value in changes.items():
            if name not in LAUNCHED_FIELDS and _differs(name, before[name], value):
                errors[name].append(_("Ce réglage ne peut plus changer : la campagne est lancée."))
    values = {**before, **changes}
    if launched:
        # Keep the relations exactly as launched (no normalising of the target).
        values["title"] = (values["title"] or "").strip()
        values["message"] = (values["message"] or "").strip()
        values["assessors"] = list(values["assessors"] or [])
        if not campaign.is_assessment:
            values["assessors"] = []
        closes_at = values["closes_at"]
        if (
            closes_at is not None
            and _differs("closes_at", before["closes_at"], closes_at)
            and closes_at <= timezone.now()
        ):
            errors["closes_at"].append(
                _(
                    "La nouvelle clôture ne peut pas être dans le passé : utilisez « Clore "
                    "maintenant »."
                )
            )
    else:
        values = _normalise(values)
    for name, messages in _validate(campaign.programme, values, campaign=campaign).items():
        errors[name].extend(messages)
    if errors:
        raise ValidationError(dict(errors))
    if not launched or "sheet_wait_until" in changes:
        values["sheet_wait_until"] = opening.sheet_wait_for(values, campaign.organisation.time_zone)
    changed = sorted(name for name in FIELDS if _differs(name, before[name], values[name]))
    for name in FIELDS:
        if name not in ("teams", "people", "assessors"):
            setattr(campaign, name, values[name])
    campaign.save()
    _save_relations(campaign, values)
    record(
        organisation=campaign.organisation,
        actor=acting_user,
        action=Action.CAMPAIGN_UPDATED,
        target=campaign.title,
        campaign=campaign.pk,
        fields=changed,
    )
    return campaign


@transaction.atomic
def launch_campaign(*, campaign: Campaign, acting_user) -> Campaign:
    """Fix the version every response will answer (the questionnaire's latest
    published one) and open the campaign at its opening time."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status == Campaign.Status.LAUNCHED:
        raise ValidationError(_("Cette campagne est déjà lancée."))
    if campaign.status == Campaign.Status.CANCELLED:
        raise ValidationError(_("Une campagne annulée ne peut pas être lancée."))
    if campaign.external:
        raise ValidationError(
            _("Une évaluation externe n'est pas envoyée : saisissez-en les chiffres.")
        )
    version = current_version(campaign.questionnaire)
    if version is None:
        raise ValidationError(
            {
                "questionnaire": _(
                    "Le questionnaire « %(title)s » n'a pas de version publiée : publiez-le "
                    "avant de lancer la campagne."
                )
                % {"title": campaign.questionnaire.title}
            }
        )
    if campaign.closes_at <= timezone.now():
        raise ValidationError(
            {"closes_at": _("La date de clôture est passée : repoussez-la avant de lancer.")}
        )
    campaign.version = version
    campaign.status = Campaign.Status.LAUNCHED
    campaign.launched_at = timezone.now()
    campaign.save(update_fields=["version", "status", "launched_at"])
    record(
        organisation=campaign.organisation,
        actor=acting_user,
        action=Action.CAMPAIGN_LAUNCHED,
        target=campaign.title,
        campaign=campaign.pk,
        version=version.number,
    )
    return campaign


@transaction.atomic
def close_campaign(*, campaign: Campaign, acting_user) -> Campaign:
    """Close an open campaign now (answers become read-only)."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.state != "open":
        raise ValidationError(_("Seule une campagne ouverte peut être close."))
    campaign.closes_at = timezone.now()
    campaign.save(update_fields=["closes_at"])
    record(
        organisation=campaign.organisation,
        actor=acting_user,
        action=Action.CAMPAIGN_CLOSED,
        target=campaign.title,
        campaign=campaign.pk,
    )
    return campaign


def has_responses(campaign: Campaign) -> bool:
    """Whether anyone started answering (a response, or an anonymous participation)."""
    return (
        Response.objects.filter(campaign=campaign).exists()
        or Participation.objects.filter(campaign=campaign).exists()
    )


def submitted_count(campaign: Campaign) -> int:
    return Response.objects.filter(campaign=campaign, status=Response.Status.SUBMITTED).count()


@transaction.atomic
def cancel_campaign(*, campaign: Campaign, acting_user, confirm: bool = False) -> Campaign:
    """Cancel a campaign: nobody may answer any more, no reminder goes out; responses
    already sent are kept. With sent responses, ``confirm`` must be True."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status == Campaign.Status.CANCELLED:
        raise ValidationError(_("Cette campagne est déjà annulée."))
    sent = submitted_count(campaign)
    if sent and not confirm:
        raise ValidationError(
            {
                "confirm": _(
                    "%(count)s réponse(s) déjà envoyée(s) : cochez la case pour confirmer "
                    "l'annulation (elles resteront consultables)."
                )
                % {"count": sent}
            }
        )
    _cancel(campaign, acting_user=acting_user, responses=sent)
    return campaign


def _cancel(campaign: Campaign, *, acting_user, responses: int = 0, reason: str = "") -> None:
    campaign.status = Campaign.Status.CANCELLED
    campaign.save(update_fields=["status"])
    record(
        organisation=campaign.organisation,
        actor=acting_user,
        action=Action.CAMPAIGN_CANCELLED,
        target=campaign.title,
        campaign=campaign.pk,
        responses=responses,
        reason=reason,
    )


@transaction.atomic
def remind_non_respondents(*, campaign: Campaign, acting_user) -> int:
    """« Relancer »: e-mail every non-respondent of an open campaign (``evaluation.notices``
    writes the messages in this transaction). At most once an hour. Returns how many
    people were reminded."""
    campaign = (
        Campaign.objects.select_for_update(of=("self",))
        .select_related("session")
        .get(pk=campaign.pk)
    )
    if not campaign.is_open or campaign.external:
        raise ValidationError(_("Seule une campagne ouverte peut être relancée."))
    if selectors.awaiting_sheet(campaign):
        raise ValidationError(
            _(
                "La campagne attend la feuille d'émargement de la séance : personne n'a "
                "encore été invité."
            )
        )
    last = CampaignReminder.objects.filter(campaign=campaign).order_by("-sent_at").first()
    if last is not None and last.sent_at > timezone.now() - REMIND_INTERVAL:
        raise ValidationError(
            _(
                "Une relance est déjà partie il y a moins d'une heure : laissez aux "
                "personnes le temps de répondre."
            )
        )
    recipients = selectors.non_respondents(campaign)["recipients"]
    if not recipients:
        raise ValidationError(_("Tout le monde a répondu : personne à relancer."))
    CampaignReminder.objects.create(
        organisation=campaign.organisation,
        campaign=campaign,
        sent_by=_person(acting_user),
        recipients=len(recipients),
    )
    notices.send_campaign_reminder(campaign, recipients, acting_user)
    record(
        organisation=campaign.organisation,
        actor=acting_user,
        action=Action.CAMPAIGN_REMINDED,
        target=campaign.title,
        campaign=campaign.pk,
        recipients=len(recipients),
    )
    return len(recipients)


# --- Automatic « à chaud » campaigns -----------------------------------------------------


@transaction.atomic
def save_automatic_campaign(
    *,
    programme: Programme,
    acting_user,
    session_kind,
    questionnaire: Questionnaire | None,
    open_days: int = 14,
    anonymous: bool = True,
    enabled: bool = True,
    automatic: AutomaticCampaign | None = None,
) -> AutomaticCampaign:
    """Create (or, with ``automatic``, change) the « à chaud » rule of a session kind,
    then bring the campaigns of the coming sessions of that kind in step."""
    errors: dict[str, list[str]] = defaultdict(list)
    organisation = programme.organisation
    if session_kind is None or session_kind.programme_id != programme.pk:
        errors["session_kind"].append(_("Choisissez un type de séance de ce programme."))
    elif (
        AutomaticCampaign.objects.filter(programme=programme, session_kind=session_kind)
        .exclude(pk=automatic.pk if automatic else None)
        .exists()
    ):
        errors["session_kind"].append(
            _("Ce type de séance a déjà son évaluation à chaud automatique.")
        )
    if questionnaire is None:
        errors["questionnaire"].append(_("Choisissez un questionnaire."))
    elif questionnaire.organisation_id != organisation.pk or questionnaire.programme_id not in (
        None,
        programme.pk,
    ):
        errors["questionnaire"].append(
            _("Choisissez un questionnaire de ce programme ou de la bibliothèque.")
        )
    elif current_version(questionnaire) is None:
        errors["questionnaire"].append(
            _("Ce questionnaire n'a pas encore de version publiée : publiez-le d'abord.")
        )
    if open_days is None or not OPEN_DAYS_MIN <= open_days <= OPEN_DAYS_MAX:
        errors["open_days"].append(
            _("Choisissez une durée entre %(min)s et %(max)s jours.")
            % {"min": OPEN_DAYS_MIN, "max": OPEN_DAYS_MAX}
        )
    if errors:
        raise ValidationError(dict(errors))
    previous_kind = None
    if automatic is None:
        automatic = AutomaticCampaign(organisation=organisation, programme=programme)
    else:
        automatic = AutomaticCampaign.objects.select_for_update().get(pk=automatic.pk)
        previous_kind = automatic.session_kind_id
    automatic.session_kind = session_kind
    automatic.questionnaire = questionnaire
    automatic.open_days = open_days
    automatic.anonymous = anonymous
    automatic.enabled = enabled
    automatic.save()
    record(
        organisation=organisation,
        actor=acting_user,
        action=Action.AUTOMATIC_CAMPAIGN_SAVED,
        target=str(session_kind),
        automatic=automatic.pk,
        questionnaire=questionnaire.pk,
        open_days=open_days,
        anonymous=anonymous,
        enabled=enabled,
    )
    kinds = {session_kind.pk, previous_kind} - {None}
    for session in Session.objects.filter(
        programme=programme, kind__in=kinds, ends_at__gt=timezone.now()
    ):
        sync_automatic_campaign(session=session)
    return automatic


@transaction.atomic
def delete_automatic_campaign(*, automatic: AutomaticCampaign, acting_user) -> None:
    """Remove a rule: its campaigns not open yet and untouched are withdrawn; those
    already open or answered stay, as ordinary campaigns."""
    automatic = AutomaticCampaign.objects.select_for_update().get(pk=automatic.pk)
    now = timezone.now()
    withdrawn = 0
    for campaign in Campaign.objects.filter(automatic_rule=automatic, opens_at__gt=now).exclude(
        status=Campaign.Status.CANCELLED
    ):
        if not has_responses(campaign):
            campaign.delete()
            withdrawn += 1
    record(
        organisation=automatic.organisation,
        actor=acting_user,
        action=Action.AUTOMATIC_CAMPAIGN_DELETED,
        target=str(automatic.session_kind),
        automatic=automatic.pk,
        withdrawn=withdrawn,
    )
    automatic.delete()


def automatic_title(session: Session) -> str:
    return (_("Évaluation à chaud — %(title)s") % {"title": session.title})[:200]


@transaction.atomic
def sync_automatic_campaign(*, session: Session) -> Campaign | None:
    """Keep the automatic « à chaud » campaign of ``session`` in step with it (called
    whenever parcours announces a session created, changed, moved or cancelled)."""
    session = Session.objects.select_related("programme", "organisation").get(pk=session.pk)
    campaign = (
        Campaign.objects.select_for_update()
        .filter(session=session, automatic_rule__isnull=False)
        .order_by("-pk")
        .first()
    )
    now = timezone.now()
    if session.is_cancelled:
        if campaign is not None and campaign.status != Campaign.Status.CANCELLED:
            _cancel(
                campaign,
                acting_user=None,
                responses=submitted_count(campaign),
                reason="séance annulée",
            )
        return campaign
    if campaign is not None and campaign.status == Campaign.Status.CANCELLED:
        return campaign  # cancelled by a coordinator: their choice stands
    rule = (
        AutomaticCampaign.objects.filter(
            programme=session.programme_id, session_kind=session.kind_id, enabled=True
        )
        .select_related("questionnaire")
        .first()
    )
    untouched = campaign is not None and campaign.opens_at > now and not has_responses(campaign)
    if rule is None or session.status != Session.Status.SCHEDULED:
        if untouched:
            campaign.delete()  # nobody was told about it yet
            return None
        return campaign
    version = current_version(rule.questionnaire)
    opens_at = session.ends_at
    closes_at = opens_at + timedelta(days=rule.open_days)
    if version is None or closes_at <= now:
        return campaign
    wanted = {
        "automatic_rule": rule,
        "questionnaire": rule.questionnaire,
        "version": version,
        "title": automatic_title(session),
        "moment": Moment.HOT,
        "audience": Campaign.Audience.SESSION,
        "mode": Campaign.Mode.PERSON,
        "anonymous": rule.anonymous,
        "opens_at": opens_at,
        "closes_at": closes_at,
        "sheet_wait_until": default_sheet_wait(session, session.organisation.time_zone),
        "status": Campaign.Status.LAUNCHED,
    }
    if campaign is None:
        campaign = Campaign.objects.create(
            organisation=session.organisation,
            programme=session.programme,
            session=session,
            launched_at=now,
            **wanted,
        )
        record(
            organisation=session.organisation,
            actor=None,
            action=Action.CAMPAIGN_LAUNCHED,
            target=campaign.title,
            campaign=campaign.pk,
            automatic=rule.pk,
            version=version.number,
        )
        return campaign
    if not untouched:
        return campaign  # already open or being answered: left as it is
    changed = [name for name, value in wanted.items() if getattr(campaign, name) != value]
    if changed:
        for name in changed:
            setattr(campaign, name, wanted[name])
        campaign.save(update_fields=changed)
        record(
            organisation=session.organisation,
            actor=None,
            action=Action.CAMPAIGN_UPDATED,
            target=campaign.title,
            campaign=campaign.pk,
            fields=sorted(changed),
        )
    return campaign
