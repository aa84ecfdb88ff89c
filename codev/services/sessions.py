"""Group séances: a session of the programme attached to a group, whose public is the
group (its teams as the session's teams, its people as registrations); a séance
created for every group at once; the CODEV roles (client, facilitator, timekeeper) and
the rotation that makes each member client once over a series."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from codev.actions import Action
from codev.models import Case, Group, GroupKind, GroupMembership, GroupSession
from organisations.services import record
from parcours.models import Session
from parcours.services.sessions import create_session, set_session_people, update_session


def _members(group: Group):
    memberships = list(group.memberships.current().select_related("team", "user"))
    teams = [m.team for m in memberships if m.team_id]
    people = [m.user for m in memberships if m.user_id]
    return teams, people


def _to_come(group: Group):
    """The group's séances that its changes still concern: not cancelled, not ended."""
    now = timezone.now()
    return [
        group_session.session
        for group_session in group.group_sessions.select_related("session__programme")
        if not group_session.session.is_cancelled
        and (group_session.session.ends_at is None or group_session.session.ends_at > now)
    ]


@transaction.atomic
def sync_group_sessions(*, group: Group, acting_user) -> None:
    """Make the public of the group's séances to come its current members: newcomers
    are convened (``parcours``), leavers lose their place; past séances keep who was
    there."""
    teams, people = _members(group)
    for session in _to_come(group):
        update_session(session=session, acting_user=acting_user, teams=teams)
        set_session_people(session=session, people=people, acting_user=acting_user)


@transaction.atomic
def attach_session(
    *,
    group: Group,
    session: Session,
    acting_user,
    purpose: str = "",
    expected_output: str = "",
) -> GroupSession:
    """Make ``session`` a séance of ``group``: only the group is convened and reminded."""
    if session.programme_id != group.programme_id:
        raise ValidationError(_("Choisissez une séance du programme du groupe."))
    if GroupSession.objects.filter(session=session).exclude(group=group).exists():
        raise ValidationError(_("Cette séance est déjà celle d'un autre groupe."))
    if session.is_cancelled:
        raise ValidationError(_("Cette séance est annulée."))
    group_session, _created = GroupSession.objects.update_or_create(
        session=session,
        defaults={
            "organisation": group.organisation,
            "group": group,
            "purpose": purpose.strip(),
            "expected_output": expected_output.strip(),
        },
    )
    teams, people = _members(group)
    update_session(
        session=session, acting_user=acting_user, audience=Session.Audience.GROUP, teams=teams
    )
    set_session_people(session=session, people=people, acting_user=acting_user)
    record(
        organisation=group.organisation,
        actor=acting_user,
        action=Action.SESSION_ATTACHED,
        target=session.title,
        group=group.pk,
        session=session.pk,
    )
    return group_session


@transaction.atomic
def create_series(
    *, groups: list[Group], acting_user, facilitators=(), purpose="", expected_output="", **fields
) -> list[GroupSession]:
    """The same séance for every group of ``groups`` (one session each, titled with the
    group's name), as individual sessions are created for every team."""
    if not groups:
        raise ValidationError({"groups": [_("Choisissez au moins un groupe.")]})
    programmes = {group.programme_id for group in groups}
    if len(programmes) != 1:
        raise ValidationError({"groups": [_("Choisissez des groupes d'un même programme.")]})
    title = fields.pop("title", "").strip()
    if not title:
        raise ValidationError({"title": [_("Donnez un titre à la séance.")]})
    created = []
    for group in groups:
        teams, _people = _members(group)
        session = create_session(
            programme=group.programme,
            acting_user=acting_user,
            facilitators=list(facilitators) or list(group.facilitators.all()),
            teams=teams,
            title=f"{title} — {group.name}"[:200],
            audience=Session.Audience.GROUP,
            **fields,
        )
        created.append(
            attach_session(
                group=group,
                session=session,
                acting_user=acting_user,
                purpose=purpose,
                expected_output=expected_output,
            )
        )
    record(
        organisation=groups[0].organisation,
        actor=acting_user,
        action=Action.SERIES_CREATED,
        target=title,
        groups=[group.pk for group in groups],
    )
    return created


def propose_rotation(group: Group) -> dict[int, GroupMembership]:
    """{group session id: client} for the group's CODEV séances without a client, in
    date order: each member who has not been client yet comes first (the members in
    their order of arrival), so each is client once over a series as long as it."""
    sessions = [
        gs
        for gs in group.group_sessions.select_related("session").order_by(
            "session__starts_at", "pk"
        )
        if not gs.session.is_cancelled
    ]
    members = list(group.memberships.current().select_related("team", "user"))
    if not members:
        return {}
    been = [gs.client_id for gs in sessions if gs.client_id]
    counts = {m.pk: been.count(m.pk) for m in members}
    proposal = {}
    for group_session in sessions:
        if group_session.client_id:
            continue
        chosen = min(members, key=lambda m: (counts[m.pk], m.joined_at, m.pk))
        proposal[group_session.pk] = chosen
        counts[chosen.pk] += 1
    return proposal


@transaction.atomic
def set_roles(
    *, group_session: GroupSession, client=None, facilitator=None, timekeeper=None, acting_user
) -> GroupSession:
    """Name the client (a current member of the group), the facilitator and the
    timekeeper of a CODEV séance."""
    group = group_session.group
    if group.kind != GroupKind.CODEV and client is not None:
        raise ValidationError({"client": [_("Seule une séance de CODEV a un client.")]})
    if client is not None and (client.group_id != group.pk or client.left_at is not None):
        raise ValidationError({"client": [_("Le client est un membre actuel du groupe.")]})
    prepared = Case.objects.filter(group_session=group_session).first()
    if prepared is not None and client is not None and prepared.client_id != client.pk:
        raise ValidationError(
            {"client": [_("Le client a déjà préparé son cas : il ne change plus.")]}
        )
    group_session.client = client
    group_session.facilitator = facilitator
    group_session.timekeeper = timekeeper
    group_session.save(update_fields=["client", "facilitator", "timekeeper"])
    record(
        organisation=group.organisation,
        actor=acting_user,
        action=Action.ROLES_SET,
        target=group_session.session.title,
        group_session=group_session.pk,
    )
    return group_session


@transaction.atomic
def apply_rotation(*, group: Group, acting_user) -> int:
    """Name the proposed client of each CODEV séance that has none; returns how many."""
    proposal = propose_rotation(group)
    for group_session_id, client in proposal.items():
        group_session = GroupSession.objects.get(pk=group_session_id)
        set_roles(
            group_session=group_session,
            client=client,
            facilitator=group_session.facilitator,
            timekeeper=group_session.timekeeper,
            acting_user=acting_user,
        )
    return len(proposal)
