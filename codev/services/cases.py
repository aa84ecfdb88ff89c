"""A CODEV séance's case, its six steps, the consultants' advice, the client's
commitments and their follow-up.

The case belongs to the client: only the client (a member of the client team, or the
client person) writes it; the facilitator and the coordinators may complete it during
the séance (the reformulated question, what was learnt). A commitment has an owner and
a deadline on or after the séance.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from codev.actions import Action
from codev.models import (
    Advice,
    Case,
    CaseDocument,
    CodevStep,
    Commitment,
    GroupKind,
    GroupMembership,
    GroupSession,
    StepNote,
)
from codev.services import plan_actions
from organisations.services import record
from parcours.models import TeamMember
from sillon.uploads import validate_upload

DOCUMENT_TYPES = {
    "application/pdf": "PDF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint",
    "application/vnd.oasis.opendocument.text": "OpenDocument",
    "image/png": "PNG",
    "image/jpeg": "JPEG",
}
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024


def is_client(user, membership: GroupMembership | None) -> bool:
    """Whether ``user`` speaks for ``membership``: the person, or a current member of
    the team."""
    if membership is None or not getattr(user, "is_authenticated", False):
        return False
    if membership.user_id:
        return membership.user_id == user.pk
    return TeamMember.objects.current().filter(team=membership.team_id, user=user).exists()


def _check_codev(group_session: GroupSession) -> None:
    if group_session.group.kind != GroupKind.CODEV:
        raise ValidationError(_("Seule une séance de CODEV a un cas."))
    if group_session.client_id is None:
        raise ValidationError(_("Le client de cette séance n'est pas encore désigné."))


@transaction.atomic
def save_case(
    *, group_session: GroupSession, acting_user, title: str, question: str, context="", tried=""
) -> Case:
    """The client prepares (or corrects) its case. Another team cannot write it."""
    group_session = GroupSession.objects.select_for_update().get(pk=group_session.pk)
    _check_codev(group_session)
    if not is_client(acting_user, group_session.client):
        raise ValidationError(_("Seul le client de la séance prépare son cas."))
    errors = {}
    if not title.strip():
        errors["title"] = [_("Donnez un titre à votre cas.")]
    if not question.strip():
        errors["question"] = [_("Formulez la question que vous posez au groupe.")]
    if errors:
        raise ValidationError(errors)
    case, created = Case.objects.update_or_create(
        group_session=group_session,
        defaults={
            "organisation": group_session.organisation,
            "client": group_session.client,
            "title": title.strip(),
            "question": question.strip(),
            "context": context.strip(),
            "tried": tried.strip(),
            "updated_by": acting_user,
        },
    )
    record(
        organisation=case.organisation,
        actor=acting_user,
        action=Action.CASE_SAVED,
        target=case.title,
        case=case.pk,
        created=created,
    )
    return case


@transaction.atomic
def add_case_document(*, case: Case, acting_user, title: str, file) -> CaseDocument:
    if not is_client(acting_user, case.client):
        raise ValidationError(_("Seul le client joint des documents à son cas."))
    validate_upload(file, allowed=DOCUMENT_TYPES, max_bytes=DOCUMENT_MAX_BYTES)
    return CaseDocument.objects.create(
        organisation=case.organisation,
        case=case,
        title=(title or file.name).strip()[:200],
        file=file,
        added_by=acting_user,
    )


# --- During the séance: the facilitator's six steps -------------------------------------


@transaction.atomic
def start_step(*, group_session: GroupSession, step: int) -> GroupSession:
    """Start ``step`` (1 to 6) on the facilitator's tablet; the time of the step that was
    running is added to its note."""
    if step not in CodevStep.values:
        raise ValidationError(_("Cette étape n'existe pas."))
    group_session = GroupSession.objects.select_for_update().get(pk=group_session.pk)
    _check_codev(group_session)
    now = timezone.now()
    _stop_running(group_session, now)
    group_session.current_step = step
    group_session.step_started_at = now
    group_session.finished_at = None
    group_session.save(update_fields=["current_step", "step_started_at", "finished_at"])
    return group_session


def _stop_running(group_session: GroupSession, now) -> None:
    if group_session.current_step and group_session.step_started_at:
        note, _created = StepNote.objects.get_or_create(
            group_session=group_session,
            step=group_session.current_step,
            defaults={"organisation": group_session.organisation},
        )
        note.seconds += max(0, int((now - group_session.step_started_at).total_seconds()))
        note.save(update_fields=["seconds", "updated_at"])


@transaction.atomic
def finish_session(*, group_session: GroupSession) -> GroupSession:
    group_session = GroupSession.objects.select_for_update().get(pk=group_session.pk)
    now = timezone.now()
    _stop_running(group_session, now)
    group_session.current_step = None
    group_session.step_started_at = None
    group_session.finished_at = now
    group_session.save(update_fields=["current_step", "step_started_at", "finished_at"])
    return group_session


@transaction.atomic
def save_step_notes(*, group_session: GroupSession, step: int, notes: str) -> StepNote:
    if step not in CodevStep.values:
        raise ValidationError(_("Cette étape n'existe pas."))
    note, _created = StepNote.objects.get_or_create(
        group_session=group_session,
        step=step,
        defaults={"organisation": group_session.organisation},
    )
    note.notes = notes.strip()
    note.save(update_fields=["notes", "updated_at"])
    case = Case.objects.filter(group_session=group_session).first()
    if case is not None and step in (CodevStep.CONTRACT, CodevStep.LEARNING):
        if step == CodevStep.CONTRACT:
            case.contract = note.notes[:5000]
        else:
            case.learning = note.notes
        case.save(update_fields=["contract", "learning", "updated_at"])
    return note


@transaction.atomic
def add_advice(*, case: Case, text: str, consultant: GroupMembership | None = None) -> Advice:
    """One piece of advice for the client (step 4), from a consultant of the group."""
    if not text.strip():
        raise ValidationError({"text": [_("Écrivez le conseil.")]})
    if consultant is not None:
        group = case.group_session.group
        if consultant.group_id != group.pk or consultant.pk == case.client_id:
            raise ValidationError(
                {"consultant": [_("Le conseil vient d'un autre membre du groupe.")]}
            )
    return Advice.objects.create(
        organisation=case.organisation, case=case, consultant=consultant, text=text.strip()
    )


# --- After: commitments and their follow-up --------------------------------------------


def _session_day(case: Case) -> date | None:
    session = case.group_session.session
    if session.starts_at is None:
        return None
    return timezone.localtime(session.starts_at).date()


def _check_commitment(case: Case, *, what: str, owner, due_on: date | None) -> None:
    """What a commitment needs: a text, an owner speaking for the client, a deadline on
    or after the séance. Raises the French messages, field by field."""
    errors = {}
    if not what.strip():
        errors["what"] = [_("Dites à quoi le client s'engage.")]
    if owner is None:
        errors["owner"] = [_("Choisissez qui porte cet engagement.")]
    elif not is_client(owner, case.client):
        errors["owner"] = [_("Le porteur de l'engagement est une personne du client.")]
    day = _session_day(case)
    if due_on is None:
        errors["due_on"] = [_("Indiquez pour quand.")]
    elif day is not None and due_on < day:
        errors["due_on"] = [
            _("L'échéance ne peut pas précéder la séance (%(day)s).")
            % {"day": day.strftime("%d/%m/%Y")}
        ]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_commitment(
    *, case: Case, acting_user, what: str, owner, due_on: date | None, commitment=None
) -> Commitment:
    """A commitment of the client: what, who (a person of the client), by when (on or
    after the séance). Refused with a French message otherwise, nothing saved."""
    if commitment is not None:
        return update_commitment(
            commitment=commitment, acting_user=acting_user, what=what, owner=owner, due_on=due_on
        )
    _check_commitment(case, what=what, owner=owner, due_on=due_on)
    commitment = Commitment.objects.create(
        organisation=case.organisation, case=case, what=what.strip(), owner=owner, due_on=due_on
    )
    plan_actions.commitment_to_action(commitment=commitment, acting_user=acting_user)
    record(
        organisation=case.organisation,
        actor=acting_user,
        action=Action.COMMITMENTS_SAVED,
        target=case.title,
        case=case.pk,
    )
    return commitment


@transaction.atomic
def update_commitment(
    *, commitment: Commitment, acting_user, what: str, owner, due_on: date | None
) -> Commitment:
    """Correct a commitment (what, who, by when), with the same rules as adding one;
    its status stays (the follow-up changes it)."""
    commitment = (
        Commitment.objects.select_for_update()
        .select_related("case__group_session__session", "case__client")
        .get(pk=commitment.pk)
    )
    case = commitment.case
    _check_commitment(case, what=what, owner=owner, due_on=due_on)
    commitment.what = what.strip()
    commitment.owner = owner
    commitment.due_on = due_on
    commitment.save(update_fields=["what", "owner", "due_on", "updated_at"])
    plan_actions.commitment_to_action(commitment=commitment, acting_user=acting_user)
    record(
        organisation=case.organisation,
        actor=acting_user,
        action=Action.COMMITMENT_UPDATED,
        target=commitment.what,
        case=case.pk,
        commitment=commitment.pk,
    )
    return commitment


@transaction.atomic
def delete_commitment(*, commitment: Commitment, acting_user) -> None:
    """Remove a commitment of the client; the journal keeps what it was."""
    commitment = Commitment.objects.select_for_update().select_related("case").get(pk=commitment.pk)
    case = commitment.case
    record(
        organisation=case.organisation,
        actor=acting_user,
        action=Action.COMMITMENT_DELETED,
        target=commitment.what,
        case=case.pk,
        commitment=commitment.pk,
        owner=commitment.owner_id,
        due_on=commitment.due_on.isoformat(),
    )
    commitment_id = commitment.pk
    commitment.delete()
    plan_actions.forget_commitment(commitment_id=commitment_id, acting_user=acting_user)


@transaction.atomic
def answer_follow_up(
    *, case: Case, acting_user, text: str, statuses: dict[int, str] | None = None
) -> Case:
    """The former client says what became of its commitments: a text, and the status
    of each commitment ({commitment id: status})."""
    if not is_client(acting_user, case.client):
        raise ValidationError(_("Seul le client répond au suivi de ses engagements."))
    changed = {}
    for commitment in case.commitments.all():
        status = (statuses or {}).get(commitment.pk)
        if status is None:
            continue
        if status not in Commitment.Status.values:
            raise ValidationError(_("Choisissez un état valide."))
        if status != commitment.status:
            commitment.status = status
            commitment.save(update_fields=["status", "updated_at"])
            changed[commitment.pk] = status
    plan_actions.follow_up_to_actions(
        statuses=changed,
        acting_user=acting_user,
        note=_("Suivi de CODEV : %(text)s") % {"text": text.strip()} if text.strip() else "",
    )
    case.follow_up = text.strip()
    case.follow_up_at = timezone.now()
    case.save(update_fields=["follow_up", "follow_up_at", "updated_at"])
    return case


def mark_follow_up_asked(*, case_ids, moment=None) -> int:
    """Note that the former clients of these cases were asked what became of their
    commitments (by ``codev.reminders``, in the transaction writing the messages): they
    are asked once."""
    return Case.objects.filter(pk__in=list(case_ids), follow_up_asked_at__isnull=True).update(
        follow_up_asked_at=moment or timezone.now()
    )
