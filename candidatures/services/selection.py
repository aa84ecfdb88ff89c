"""Selection of the applications to a call and the teams it makes: reviewers score,
coordinators decide, reopen and announce; a selected application becomes a team whose
people are invited by e-mail, and accepting an invitation makes the team membership.

Every state change goes through ``applications.transition`` (one ``ApplicationEvent``
and one audit entry each); the e-mails are written here, inside the transaction
(``candidatures.notices``, ``parcours.notices`` for the team invitations), and the apps
above hear of a new team from ``candidatures.signals``.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from candidatures import notices
from candidatures.actions import Action
from candidatures.models import (
    Application,
    ApplicationEvent,
    Call,
    Review,
    ReviewScore,
    ScoringCriterion,
)
from candidatures.services.applications import lock_application, record_event, transition
from candidatures.signals import team_created_from_application
from organisations.services import record
from parcours.models import Programme, Team
from parcours.services.invitations import invite_people_to_team
from parcours.services.programmes import publish_programme
from parcours.services.teams import create_team
from territoires.models import Project

Status = Application.Status
Decision = Application.Decision

# Decisions that must say why (the applicant reads the reasons in the announcement).
DECISIONS_WITH_REASONS = (Decision.WAITING_LIST, Decision.NOT_SELECTED)
# A second e-mail to the same person no sooner than this.
# The field name of a criterion's score in the review form and in the errors.
CRITERION_FIELD = "criterion_{}"


def criterion_field(criterion_id: int) -> str:
    return CRITERION_FIELD.format(criterion_id)


def _refuse_if_announced(application: Application) -> None:
    if application.announced_at is not None:
        raise ValidationError(
            _(
                "Les décisions sur cette candidature ont déjà été annoncées : rien ne peut "
                "plus y changer."
            )
        )


# --- Reviewing -----------------------------------------------------------------------


@transaction.atomic
def save_review(
    *, application: Application, reviewer, scores: dict[int, int], comment: str = ""
) -> Review:
    """``reviewer``'s scores on every criterion of the call's grid (0 to the criterion's
    maximum) and comment, replacing their previous ones. The first review of a submitted
    application puts it under review."""
    application = lock_application(application)
    if application.status in (Status.DRAFT, Status.WITHDRAWN):
        raise ValidationError(
            _("Une candidature « %(status)s » ne peut pas être notée.")
            % {"status": Status(application.status).label}
        )
    _refuse_if_announced(application)
    criteria = list(ScoringCriterion.objects.filter(call=application.call_id))
    if not criteria:
        raise ValidationError(
            _("La grille de notation de cet appel est vide : ajoutez-y des critères d'abord.")
        )
    errors: dict[str, str] = {}
    cleaned: dict[int, int] = {}
    for criterion in criteria:
        value = scores.get(criterion.pk)
        if value is None or value == "":
            errors[criterion_field(criterion.pk)] = _("Donnez une note à ce critère.")
            continue
        try:
            value = int(value)
        except (TypeError, ValueError):
            errors[criterion_field(criterion.pk)] = _("La note doit être un nombre entier.")
            continue
        if not 0 <= value <= criterion.max_score:
            errors[criterion_field(criterion.pk)] = _(
                "La note doit être comprise entre 0 et %(max)s."
            ) % {"max": criterion.max_score}
            continue
        cleaned[criterion.pk] = value
    unknown = set(scores) - {criterion.pk for criterion in criteria}
    if unknown:
        errors["__all__"] = _("Certaines notes portent sur des critères d'un autre appel.")
    if errors:
        raise ValidationError(errors)

    comment = (comment or "").strip()
    review, created = Review.objects.get_or_create(
        application=application,
        reviewer=reviewer,
        defaults={"organisation": application.organisation, "comment": comment},
    )
    if not created and review.comment != comment:
        review.comment = comment
        review.save(update_fields=["comment", "updated_at"])
    elif not created:
        review.save(update_fields=["updated_at"])
    existing = {score.criterion_id: score for score in review.scores.all()}
    changed = []
    for criterion_id, value in cleaned.items():
        score = existing.get(criterion_id)
        if score is not None and score.score != value:
            score.score = value
            changed.append(score)
    ReviewScore.objects.bulk_update(changed, ["score"])
    ReviewScore.objects.bulk_create(
        ReviewScore(
            organisation=application.organisation,
            review=review,
            criterion_id=criterion_id,
            score=value,
        )
        for criterion_id, value in cleaned.items()
        if criterion_id not in existing
    )
    if application.status == Status.SUBMITTED:
        transition(
            application,
            to=Status.UNDER_REVIEW,
            acting_user=reviewer,
            note=_("Première évaluation"),
        )
    record(
        organisation=application.organisation,
        actor=reviewer,
        action=Action.APPLICATION_REVIEWED,
        target=str(application),
        application=application.pk,
        scores={str(key): value for key, value in cleaned.items()},
    )
    return review


# --- Deciding ------------------------------------------------------------------------


@transaction.atomic
def decide(
    *, application: Application, acting_user, decision: str, reasons: str = ""
) -> Application:
    """Selected, waiting list or not selected (the last two with their reasons). A
    submitted application passes through « under review »; a decision may be changed
    until it is announced (decided → under review → decided, each step recorded)."""
    application = lock_application(application)
    _refuse_if_announced(application)
    if decision not in Decision.values:
        raise ValidationError({"decision": _("Choisissez une décision.")})
    reasons = (reasons or "").strip()
    if decision in DECISIONS_WITH_REASONS and not reasons:
        raise ValidationError(
            {"reasons": _("Expliquez cette décision : la candidature recevra ces motifs.")}
        )
    if application.status not in (Status.SUBMITTED, Status.UNDER_REVIEW, Status.DECIDED):
        raise ValidationError(
            _("Une candidature « %(status)s » ne peut pas recevoir de décision.")
            % {"status": Status(application.status).label}
        )
    previous = application.decision
    if application.status == Status.SUBMITTED:
        transition(application, to=Status.UNDER_REVIEW, acting_user=acting_user, note=_("Examen"))
    elif application.status == Status.DECIDED:
        transition(
            application,
            to=Status.UNDER_REVIEW,
            acting_user=acting_user,
            note=_("Décision « %(decision)s » réexaminée")
            % {"decision": Decision(previous).label if previous else "—"},
        )
    application.decision = decision
    application.decision_reasons = reasons
    application.decided_at = timezone.now()
    application.decided_by = acting_user
    transition(
        application,
        to=Status.DECIDED,
        acting_user=acting_user,
        note=Decision(decision).label,
        fields=("decision", "decision_reasons", "decided_at", "decided_by"),
    )
    record(
        organisation=application.organisation,
        actor=acting_user,
        action=Action.APPLICATION_DECIDED,
        target=str(application),
        application=application.pk,
        decision=decision,
        previous=previous,
    )
    return application


@transaction.atomic
def reopen_application(*, application: Application, acting_user, until: datetime) -> Application:
    """A coordinator's explicit reopening: the applicants may submit (again) until
    ``until``. A submitted application goes back to draft; a draft keeps its state and
    gets the new deadline."""
    application = lock_application(application)
    if until is None or until <= timezone.now():
        raise ValidationError({"until": _("Choisissez une date limite dans le futur.")})
    if application.status not in (Status.SUBMITTED, Status.DRAFT):
        raise ValidationError(
            _(
                "Seule une candidature déposée ou en brouillon peut être rouverte ; celle-ci "
                "est « %(status)s »."
            )
            % {"status": Status(application.status).label}
        )
    application.reopened_until = until
    note = _("Rouverte jusqu'au %(until)s") % {"until": until.isoformat(timespec="minutes")}
    if application.status == Status.SUBMITTED:
        transition(
            application,
            to=Status.DRAFT,
            acting_user=acting_user,
            note=note,
            fields=("reopened_until",),
        )
    else:
        application.save(update_fields=["reopened_until", "updated_at"])
        record_event(
            application,
            from_status=Status.DRAFT,
            to_status=Status.DRAFT,
            acting_user=acting_user,
            note=note,
        )
    record(
        organisation=application.organisation,
        actor=acting_user,
        action=Action.APPLICATION_REOPENED,
        target=str(application),
        application=application.pk,
        until=until.isoformat(),
    )
    return application


def undecided_count(call: Call) -> int:
    """Applications of ``call`` submitted or under review, still without a decision."""
    return Application.objects.filter(
        call=call, status__in=(Status.SUBMITTED, Status.UNDER_REVIEW)
    ).count()


@transaction.atomic
def announce_decisions(
    *, call: Call, acting_user, partial: bool = False, publish: bool = False
) -> list[Application]:
    """Announce every decided, not yet announced application of ``call``: each selected
    one becomes a team of the call's cohort whose people are invited; the applicants
    hear of the decision (``notices.send_decisions``, once, with the list).
    Refused when nothing is to be announced, or while applications remain undecided
    unless ``partial``. With ``publish``, a draft programme is published first, in the
    same transaction (otherwise its new teams would see neither the calendar nor their
    convocations)."""
    call = (
        Call.objects.select_for_update()
        .select_related("cohort", "organisation", "programme")
        .get(pk=call.pk)
    )
    applications = list(
        Application.objects.select_for_update(of=("self",))
        .filter(call=call, status=Status.DECIDED, announced_at__isnull=True)
        .select_related("territory", "organisation")
        .order_by("pk")
    )
    if not applications:
        raise ValidationError(_("Aucune décision à annoncer : décidez d'abord des candidatures."))
    undecided = undecided_count(call)
    if undecided and not partial:
        raise ValidationError(
            {
                "partial": ngettext(
                    "%(count)s candidature attend encore une décision. Cochez la case pour "
                    "annoncer les décisions déjà prises.",
                    "%(count)s candidatures attendent encore une décision. Cochez la case pour "
                    "annoncer les décisions déjà prises.",
                    undecided,
                )
                % {"count": undecided}
            }
        )
    if publish and call.programme.status == Programme.Status.DRAFT:
        call.programme = publish_programme(programme=call.programme, acting_user=acting_user)
    now = timezone.now()
    for application in applications:
        application.call = call
        application.announced_at = now
        application.save(update_fields=["announced_at", "updated_at"])
    ApplicationEvent.objects.bulk_create(
        ApplicationEvent(
            organisation=call.organisation,
            application=application,
            from_status=Status.DECIDED,
            to_status=Status.DECIDED,
            actor=acting_user,
            at=now,
            note=_("Décision annoncée : %(decision)s")
            % {"decision": Decision(application.decision).label},
        )
        for application in applications
    )
    for application in applications:
        if application.decision == Decision.SELECTED and application.team_id is None:
            create_team_from_application(application=application, acting_user=acting_user)
    counts = {
        decision: sum(1 for a in applications if a.decision == decision)
        for decision in Decision.values
    }
    record(
        organisation=call.organisation,
        actor=acting_user,
        action=Action.DECISIONS_ANNOUNCED,
        target=call.title,
        call=call.pk,
        partial=bool(undecided),
        **counts,
    )
    notices.send_decisions(applications, acting_user)
    return applications


def _team_name(application: Application) -> str:
    """The territory's name, else the project's or the structure's, made unique in the
    cohort (« … — PAT du Pays de Bray », then « … (2) »)."""
    base = (
        application.territory.name
        if application.territory_id
        else application.project_name or application.structure or str(application)
    )[:180]
    taken = {
        name.lower()
        for name in Team.objects.filter(
            cohort=application.call.cohort_id, name__istartswith=base
        ).values_list("name", flat=True)
    }
    candidates = [base]
    if application.project_name and application.project_name != base:
        candidates.append(f"{base} — {application.project_name}"[:200])
    candidates += [f"{base} ({number})" for number in range(2, 100)]
    return next(name for name in candidates if name.lower() not in taken)


@transaction.atomic
def create_team_from_application(*, application: Application, acting_user) -> Team:
    """The team of a selected application: in the call's cohort, with its territory and
    project, and an invitation per person of the application with their role."""
    call = application.call
    if application.decision != Decision.SELECTED or application.team_id is not None:
        raise ValidationError(
            _("Seule une candidature retenue, sans équipe encore, devient une équipe.")
        )
    team = create_team(
        cohort=call.cohort,
        acting_user=acting_user,
        name=_team_name(application),
        territory=application.territory,
    )
    if application.territory_id:
        project = Project.objects.create(
            organisation=application.organisation,
            name=(application.project_name or team.name)[:200],
            territory=application.territory,
            stage=_choice(application.project_stage, Project.Stage),
            recognition=_choice(application.project_recognition, Project.Recognition),
            website=application.project_website,
        )
        team.project = project
        team.save(update_fields=["project"])
    application.team = team
    application.save(update_fields=["team", "updated_at"])
    team_created_from_application.send(sender=Application, application=application, team=team)
    invite_people_to_team(
        team=team,
        people=application.members.select_related("role").order_by("-is_lead", "pk"),
        acting_user=acting_user,
    )
    return team


def _choice(value: str, choices) -> str:
    return value if value in choices.values else choices.values[0]


__all__ = [
    "DECISIONS_WITH_REASONS",
    "announce_decisions",
    "create_team_from_application",
    "criterion_field",
    "decide",
    "reopen_application",
    "save_review",
    "undecided_count",
]
