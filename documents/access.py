"""Who may see a generated document, and who may ask for one. Anything else answers
404 (never 403), so ids don't leak. One condition per line."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from documents.models import Document
from organisations.models import Organisation, Role
from organisations.roles import role_in
from parcours.access import get_programme_for_user_or_404, get_session_for_user_or_404
from parcours.models import Session, TeamMember
from parcours.selectors import is_facilitator
from plans import access as plan_access
from plans.models import ActionPlan
from presences.models import ATTENDED, Attendance

SHEET_KINDS = (Document.Kind.ATTENDANCE_SHEET, Document.Kind.FILLED_ATTENDANCE_SHEET)


def is_coordinator(user, organisation: Organisation) -> bool:
    return role_in(user, organisation) == Role.COORDINATOR


def facilitates(user, session: Session) -> bool:
    # The facilitators the page already loaded, when it did (parcours.selectors).
    return is_facilitator(user, session)


def documents_visible_to(user, organisation: Organisation) -> QuerySet:
    """The documents ``user`` may open: coordinators see the organisation's; others the
    ones they asked for, the ones about them, and the attendance sheets of the sessions
    they facilitate."""
    documents = Document.objects.filter(organisation=organisation)
    if is_coordinator(user, organisation):
        return documents
    facilitated_sheet = Q(kind__in=SHEET_KINDS) & Exists(
        Session.facilitators.through.objects.filter(session=OuterRef("session"), user=user)
    )
    return documents.filter(
        Q(requested_by=user)  # they asked for it
        | Q(person=user)  # it is about them
        | facilitated_sheet  # a sheet of a session they run
    )


def get_document_for_user_or_404(user, organisation: Organisation, generated_id: int) -> Document:
    return get_object_or_404(
        documents_visible_to(user, organisation).select_related(
            "requested_by", "person", "programme", "cohort", "session"
        ),
        pk=generated_id,
    )


# --- Asking for one ----------------------------------------------------------------------


def get_session_for_sheets_or_404(user, organisation: Organisation, session_id: int) -> Session:
    """A session whose attendance sheets ``user`` may ask for: coordinators, and the
    session's facilitators."""
    session = get_session_for_user_or_404(user, organisation, session_id)
    if is_coordinator(user, organisation):
        return session
    if facilitates(user, session):
        return session
    raise Http404


def get_programme_for_attestations_or_404(user, organisation: Organisation, programme_id: int):
    """A programme whose cohort attestations (ZIP) ``user`` may ask for: coordinators."""
    if not is_coordinator(user, organisation):
        raise Http404
    return get_programme_for_user_or_404(user, organisation, programme_id)


def get_attestation_subject_or_404(user, organisation: Organisation, programme, user_id: int):
    """The person whose attestation ``user`` may ask for in ``programme``: anyone who
    took part in it for coordinators, themselves for anyone else."""
    coordinator = is_coordinator(user, organisation)
    if not coordinator and user_id != user.pk:
        raise Http404
    person = participants(organisation, programme).filter(pk=user_id).first()
    if person is None:
        raise Http404
    return person


def participants(organisation: Organisation, programme) -> QuerySet:
    """People who took part in ``programme``: recorded at one of its sessions, or in
    one of its teams (global users, reached only through this organisation's rows)."""
    from accounts.models import User

    recorded = Attendance.objects.filter(
        organisation=organisation, session__programme=programme, user=OuterRef("pk")
    )
    member = TeamMember.objects.filter(
        organisation=organisation, team__cohort__programme=programme, user=OuterRef("pk")
    )
    return User.objects.filter(Exists(recorded) | Exists(member))


def attended_people(organisation: Organisation, programme) -> QuerySet:
    """People who attended at least one half-day of ``programme`` (those who may have
    an attestation), by name."""
    from accounts.models import User

    attended = Attendance.objects.filter(
        organisation=organisation,
        session__programme=programme,
        status__in=ATTENDED,
        user=OuterRef("pk"),
    )
    return User.objects.filter(Exists(attended)).order_by("last_name", "first_name", "pk")


# --- The attestations' registry -----------------------------------------------------------


def attestations_for_coordinator_or_404(user, organisation: Organisation) -> QuerySet:
    """The organisation's registry of attestations: coordinators only."""
    from documents.models import Attestation

    if not is_coordinator(user, organisation):
        raise Http404
    return Attestation.objects.filter(organisation=organisation)


def get_attestation_for_coordinator_or_404(user, organisation: Organisation, attestation_id: int):
    return get_object_or_404(
        attestations_for_coordinator_or_404(user, organisation), pk=attestation_id
    )


def get_plan_for_user_or_404(user, organisation: Organisation, plan_id: int) -> ActionPlan:
    """A plan whose PDF ``user`` may ask for: one they read (its team, the staff) in a
    programme they see."""
    programme_id = get_object_or_404(
        ActionPlan.objects.values_list("programme_id", flat=True),
        organisation=organisation,
        pk=plan_id,
    )
    programme = plan_access.get_programme_or_404(user, organisation, programme_id)
    return plan_access.get_plan_for_user_or_404(user, organisation, programme, plan_id)
