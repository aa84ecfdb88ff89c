"""Intake questionnaires: what a call for applications asks its applicants, the motivation
questions and the T0 self-diagnostic, each a campaign of the call (``Campaign.call``)
answered once per application, together by its lead and the people who joined it.

Choices made here:

* A call has two slots: « Questions de motivation » (moment libre) and « Autodiagnostic
  T0 » (moment T0). Each is a launched campaign of the call's programme, one collective
  answer per application (mode équipe, not anonymous), between the call's dates. Its
  public is « les candidat·es d'un appel »: no team nor person of the programme is
  reached, so it is never listed, proposed nor reminded as a programme campaign.
* An application's answers are editable while the application is a draft, whatever
  the campaign's dates (a coordinator may reopen an application after the closing);
  the call's questionnaire is « complete » when no required answer is missing, and it
  is sent with the application: there is no separate « envoyer » for the applicants.
* Detaching a questionnaire deletes its campaign, which is refused once an
  application has answered it (its answers would be lost).
* When a selected application becomes a team, its responses are the team's: ``team``
  is set and they count as sent (when the application was submitted), so the T0
  self-diagnostic is the team's T0 in its progression.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from candidatures.models import Application, ApplicationEvent, Call
from evaluation import shipped
from evaluation.actions import Action
from evaluation.answer_values import AnswerValue
from evaluation.models import Answer, Campaign, Moment, Questionnaire, Response
from evaluation.services import answers
from evaluation.services.questionnaires import current_version
from organisations.services import record
from parcours.models import Team

MOTIVATION = "motivation"
DIAGNOSTIC = "diagnostic"
# slot -> (moment of its campaign, its name)
SLOTS = {
    MOTIVATION: (Moment.FREE, gettext_lazy("Questions de motivation")),
    DIAGNOSTIC: (Moment.T0, gettext_lazy("Autodiagnostic T0")),
}
DIAGNOSTIC_TEMPLATE = "pat_governance"


def slot_of(campaign: Campaign) -> str:
    return DIAGNOSTIC if campaign.moment == Moment.T0 else MOTIVATION


def slot_label(slot: str) -> str:
    return str(SLOTS[slot][1])


def response_key(application: Application) -> str:
    return f"application:{application.pk}"


def _person(user):
    return user if getattr(user, "is_authenticated", False) else None


# --- The coordinator attaches and detaches -------------------------------------------


def _validate_questionnaire(call: Call, questionnaire: Questionnaire | None):
    """The version to attach, or a French error keyed ``questionnaire``."""
    if questionnaire is None:
        raise ValidationError({"questionnaire": _("Choisissez un questionnaire.")})
    if questionnaire.organisation_id != call.organisation_id or questionnaire.programme_id not in (
        None,
        call.programme_id,
    ):
        raise ValidationError(
            {"questionnaire": _("Choisissez un questionnaire de la bibliothèque ou du programme.")}
        )
    if questionnaire.archived:
        raise ValidationError({"questionnaire": _("Ce questionnaire est archivé.")})
    version = current_version(questionnaire)
    if version is None:
        raise ValidationError(
            {
                "questionnaire": _(
                    "Ce questionnaire n'a pas encore de version publiée : publiez-le d'abord."
                )
            }
        )
    return version


@transaction.atomic
def attach_questionnaire(
    *, call: Call, slot: str, questionnaire: Questionnaire | None, acting_user
) -> Campaign:
    """Use the latest published version of ``questionnaire`` as the call's motivation
    questions or T0 self-diagnostic (``slot``)."""
    if slot not in SLOTS:
        raise ValidationError(
            {"slot": _("Choisissez les questions de motivation ou l'autodiagnostic.")}
        )
    call = Call.objects.select_for_update().select_related("programme").get(pk=call.pk)
    moment, label = SLOTS[slot]
    if Campaign.objects.filter(call=call, moment=moment).exists():
        raise ValidationError(
            {
                "questionnaire": _(
                    "« %(slot)s » a déjà un questionnaire : détachez-le avant d'en choisir "
                    "un autre."
                )
                % {"slot": label}
            }
        )
    version = _validate_questionnaire(call, questionnaire)
    now = timezone.now()
    campaign = Campaign.objects.create(
        organisation=call.organisation,
        programme=call.programme,
        call=call,
        questionnaire=questionnaire,
        version=version,
        title=str(label),
        moment=moment,
        audience=Campaign.Audience.APPLICANTS,
        mode=Campaign.Mode.TEAM,
        anonymous=False,
        opens_at=call.opens_at,
        closes_at=call.closes_at,
        status=Campaign.Status.LAUNCHED,
        launched_at=now,
        created_by=_person(acting_user),
    )
    record(
        organisation=call.organisation,
        actor=acting_user,
        action=Action.CALL_QUESTIONNAIRE_ATTACHED,
        target=call.title,
        call=call.pk,
        campaign=campaign.pk,
        questionnaire=questionnaire.pk,
        version=version.number,
        slot=slot,
    )
    return campaign


def diagnostic_template_in_library(organisation) -> Questionnaire | None:
    """The shipped PAT governance self-diagnostic already in the library, if any."""
    return (
        Questionnaire.objects.filter(
            organisation=organisation,
            programme__isnull=True,
            template_code=DIAGNOSTIC_TEMPLATE,
            archived=False,
        )
        .order_by("-created_at", "-pk")
        .first()
    )


@transaction.atomic
def use_diagnostic_template(*, call: Call, acting_user) -> Campaign:
    """The shipped PAT governance self-diagnostic as the call's T0 self-diagnostic, added
    to the library first when it is not there yet (one click for the coordinator)."""
    questionnaire = diagnostic_template_in_library(call.organisation)
    if questionnaire is None:
        if Campaign.objects.filter(call=call, moment=Moment.T0).exists():
            # Say it before installing anything.
            return attach_questionnaire(
                call=call, slot=DIAGNOSTIC, questionnaire=None, acting_user=acting_user
            )
        questionnaire = shipped.install_template(
            organisation=call.organisation, code=DIAGNOSTIC_TEMPLATE, acting_user=acting_user
        )
    return attach_questionnaire(
        call=call, slot=DIAGNOSTIC, questionnaire=questionnaire, acting_user=acting_user
    )


def has_answers(campaign: Campaign) -> bool:
    return Answer.objects.filter(response__campaign=campaign).exists()


@transaction.atomic
def detach_questionnaire(*, campaign: Campaign, acting_user) -> None:
    """Remove a questionnaire from its call, while no application has answered it."""
    campaign = (
        Campaign.objects.select_for_update(of=("self",)).select_related("call").get(pk=campaign.pk)
    )
    if campaign.call_id is None:
        raise ValueError("not a call's questionnaire")
    if has_answers(campaign):
        raise ValidationError(
            _(
                "Des candidatures ont déjà répondu à « %(title)s » : le questionnaire ne peut "
                "plus être détaché, leurs réponses seraient perdues."
            )
            % {"title": campaign.title}
        )
    call = campaign.call
    record(
        organisation=campaign.organisation,
        actor=acting_user,
        action=Action.CALL_QUESTIONNAIRE_DETACHED,
        target=call.title,
        call=call.pk,
        questionnaire=campaign.questionnaire_id,
        slot=slot_of(campaign),
    )
    campaign.delete()


# --- The applicants answer -------------------------------------------------------------


def ensure_editable(application: Application) -> None:
    """The answers of an application change only while it is a draft."""
    if application.status != Application.Status.DRAFT:
        raise ValidationError(
            _("La candidature a été déposée : ses réponses ne peuvent plus être modifiées.")
        )


def _check_campaign(campaign: Campaign, application: Application) -> None:
    if campaign.call_id != application.call_id:
        raise ValueError("a questionnaire of another call")


def start_application_response(
    *, campaign: Campaign, application: Application, acting_user
) -> Response:
    """The one response of ``application`` to its call's questionnaire ``campaign``,
    created as a draft the first time. Whether ``acting_user`` is one of its applicants
    is checked by the caller (``candidatures.access``)."""
    _check_campaign(campaign, application)
    existing = Response.objects.filter(campaign=campaign, key=response_key(application)).first()
    if existing is not None:
        return existing
    ensure_editable(application)
    try:
        with transaction.atomic():
            return Response.objects.create(
                organisation=campaign.organisation,
                campaign=campaign,
                version=campaign.version,
                key=response_key(application),
                application=application,
                updated_at=timezone.now(),
            )
    except IntegrityError:  # two applicants started it at the same moment
        return Response.objects.get(campaign=campaign, key=response_key(application))


@transaction.atomic
def save_application_answers(
    *, response: Response, values: list[AnswerValue], acting_user
) -> answers.SaveResult:
    """Store the applicants' answers (who changed what is recorded, concurrent changes
    are reported as conflicts), while the application is a draft."""
    if response.application_id is None:
        raise ValueError("not an application's response")
    # Locked: a submission waits for the save, and a save after it is refused.
    application = Application.objects.select_for_update(of=("self",)).get(
        pk=response.application_id
    )
    ensure_editable(application)
    return answers.save_answers(response=response, values=values, acting_user=acting_user)


# --- The application becomes a team ---------------------------------------------------


def _submitter(application: Application):
    event = (
        ApplicationEvent.objects.filter(
            application=application, to_status=Application.Status.SUBMITTED
        )
        .select_related("actor")
        .order_by("-at", "-pk")
        .first()
    )
    return event.actor if event is not None and event.actor_id else None


@transaction.atomic
def carry_over_to_team(*, application: Application, team: Team) -> int:
    """Make ``application``'s answers to its call's questionnaires the team's: the T0
    self-diagnostic becomes the team's T0. Returns how many responses moved."""
    if team.organisation_id != application.organisation_id:
        raise ValueError("a team of another organisation")
    responses = list(
        Response.objects.select_for_update().filter(
            application=application, campaign__call=application.call_id
        )
    )
    if not responses:
        return 0
    submitted_by = _submitter(application)
    submitted_at = application.submitted_at or timezone.now()
    for response in responses:
        response.team = team
        fields = ["team"]
        if not response.is_submitted:
            response.status = Response.Status.SUBMITTED
            response.submitted_at = submitted_at
            response.submitted_by = submitted_by
            fields += ["status", "submitted_at", "submitted_by"]
        response.save(update_fields=fields)
    return len(responses)


__all__ = [
    "DIAGNOSTIC",
    "MOTIVATION",
    "SLOTS",
    "Action",
    "attach_questionnaire",
    "carry_over_to_team",
    "detach_questionnaire",
    "diagnostic_template_in_library",
    "ensure_editable",
    "has_answers",
    "response_key",
    "save_application_answers",
    "slot_label",
    "slot_of",
    "start_application_response",
    "use_diagnostic_template",
]
