"""The data of ``bench/pages.py``: an organisation with its members, a growing PAT
programme (teams, sessions, individual coaching), a neighbour organisation, loaded
through the services and ``tests/factories.py``, at 1× and 10×."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from harness import analyze

if TYPE_CHECKING:
    from pages import Page

# Data at 1×; 10× multiplies every number.
MEMBERS = 5
PENDING_INVITATIONS = 3
CLOSED_INVITATIONS = 1  # of each kind: expired, revoked
AUDIT_ENTRIES = 20
PARTNER_ORGANISATIONS = 1
# Programme pages: a cohort of 20 teams (trinômes) and 150 sessions, of which 4
# individual coachings per team and the rest collective. The "fixed" programme keeps that
# size (its times are the realistic ones); the "growing" one has it at 1× and ten times
# it at 10× (200 teams, 1500 sessions): its query count must not move.
PROGRAMME_TEAMS = 20
PROGRAMME_SESSIONS = 150
INDIVIDUAL_PER_TEAM = 4
PROGRAMME_PHASES = ((0, 4), (5, 9), (10, 14), (15, 19), (20, 23))  # months of the parcours
SIZES = (1, 10)
TIMED_SIZE = 10

BENCH_SLUG = "bench"
OTHER_SLUG = "voisine"
ROLES = ("coordinator", "trainer", "observer")
# A member of a team of both measured programmes (no membership of the organisation).
TEAM_MEMBER = "team_member"


# --------------------------------------------------------------------------- data


@dataclass
class World:
    users: dict  # identity -> User (the measured users, all in BENCH_SLUG)
    coordinators: dict  # slug -> the coordinator who invites there
    other_emails: list[str]  # members of OTHER_SLUG, which must never appear
    # "fixed", "growing" (BENCH_SLUG) and "other" (OTHER_SLUG) -> programme id
    programmes: dict = field(default_factory=dict)

    def path(self, page: Page) -> str:
        return page.path.format(**self.programmes)


TRINOME = (
    ("Élu·e référent·e", True),
    ("Chargé·e de mission", True),
    ("Responsable de service", False),
)


def create_pat_programme(roles=TRINOME):
    """The organisation "bench" with its coordinator and a published PAT programme: one
    cohort, the trinôme's roles, a kind "Formation". Called inside a transaction;
    returns a namespace (organisation, coordinator, programme, cohort, roles, kind) whose
    ORM objects are used inside ``scope(organisation=…)``."""
    from datetime import date
    from types import SimpleNamespace

    from django_scopes import scope

    from organisations import services
    from organisations.models import Membership, Role
    from parcours.models import Cohort, Programme, SessionKind, TeamRole
    from tests.factories import UserFactory

    organisation = services.create_organisation(name="Région Bench", slug="bench")
    with scope(organisation=organisation.pk):
        coordinator = UserFactory(email="coordination@bench.example")
        Membership.objects.create(
            organisation=organisation, user=coordinator, role=Role.COORDINATOR
        )
        programme = Programme.objects.create(
            organisation=organisation,
            name="Gouvernance des PAT",
            start_date=date(2026, 6, 1),
            end_date=date(2028, 5, 31),
            status=Programme.Status.PUBLISHED,
        )
        cohort = Cohort.objects.create(
            organisation=organisation, programme=programme, name="Promotion 2026–2028"
        )
        role_rows = [
            TeamRole.objects.create(
                organisation=organisation,
                programme=programme,
                name=name,
                required=required,
                order=order,
            )
            for order, (name, required) in enumerate(roles)
        ]
        kind = SessionKind.objects.create(
            organisation=organisation, programme=programme, name="Formation"
        )
    return SimpleNamespace(
        organisation=organisation,
        coordinator=coordinator,
        programme=programme,
        cohort=cohort,
        roles=role_rows,
        kind=kind,
    )


def create_programme(organisation, coordinator, name: str):
    """A published programme with the trinôme roles and five phases, no e-mail sent."""
    from datetime import date

    from parcours import services
    from parcours.models import Phase

    programme = services.create_programme(
        organisation=organisation,
        acting_user=coordinator,
        name=name,
        start_date=date(2026, 6, 1),
        end_date=date(2028, 5, 31),
        team_roles="pat",
    )
    for order, (start, end) in enumerate(PROGRAMME_PHASES):
        services.save_phase(
            phase=Phase(
                programme=programme,
                name=f"Phase {order + 1}",
                order=order,
                start_month=start,
                end_month=end,
            ),
            acting_user=coordinator,
        )
    return services.publish_programme(programme=programme, acting_user=coordinator, notify=False)


def fill_programme(programme, factor: int, *, facilitator, team_member=None) -> None:
    """Grow ``programme`` to ``factor``× PROGRAMME_TEAMS teams of three and
    PROGRAMME_SESSIONS sessions (INDIVIDUAL_PER_TEAM per team, the rest collective:
    mostly cohort-wide, some for a few teams or one role; some tentative or cancelled),
    with bulk inserts. ``team_member`` takes the second seat of the first team.
    Idempotent: only what is missing is added."""
    from datetime import datetime, time, timedelta
    from zoneinfo import ZoneInfo

    from django.contrib.auth.hashers import make_password

    from accounts.models import User
    from parcours.models import (
        Phase,
        Session,
        SessionFormat,
        SessionKind,
        Team,
        TeamMember,
        TeamRole,
    )

    organisation = programme.organisation
    zone = ZoneInfo(organisation.time_zone)
    cohort = programme.cohorts.get()
    roles = list(TeamRole.objects.filter(programme=programme).order_by("order"))
    kinds = list(SessionKind.objects.filter(programme=programme).order_by("order"))
    individual_kind = next(kind for kind in kinds if kind.is_individual)
    collective_kinds = [kind for kind in kinds if not kind.is_individual]
    phases = list(Phase.objects.filter(programme=programme).order_by("order"))
    prefix = f"p{programme.pk}"

    existing = Team.objects.filter(cohort=cohort).count()
    new_teams = Team.objects.bulk_create(
        Team(organisation=organisation, cohort=cohort, name=f"Équipe {i + 1:03d}")
        for i in range(existing, PROGRAMME_TEAMS * factor)
    )
    users = User.objects.bulk_create(
        User(
            email=f"{prefix}-t{team.name[-3:]}-{seat}@bench.example",
            first_name=f"Membre {seat + 1}",
            last_name=team.name,
            password=make_password(None),  # unusable: never logs in
        )
        for team in new_teams
        for seat in range(len(roles))
    )
    seats = iter(users)
    members = []
    for team in new_teams:
        for seat, role in enumerate(roles):
            user = next(seats)
            if team_member is not None and team.name.endswith("001") and seat == 1:
                user = team_member
            members.append(TeamMember(organisation=organisation, team=team, user=user, role=role))
    TeamMember.objects.bulk_create(members)
    teams = list(Team.objects.filter(cohort=cohort).order_by("name"))

    start = datetime.combine(programme.start_date, time(), zone)
    days = (programme.end_date - programme.start_date).days

    def when(index: int) -> tuple[datetime, datetime]:
        # Spread over the programme; 9 h 30 or 14 h, 3 hours, in local time.
        day = start + timedelta(days=(index * 7919) % days)
        hour = (9, 30) if index % 2 else (14, 0)
        begin = day.replace(hour=hour[0], minute=hour[1])
        return begin, begin + timedelta(hours=3)

    def phase_for(moment: datetime):
        day = moment.astimezone(zone).date()
        return next((phase for phase in phases if phase.starts_on <= day <= phase.ends_on), None)

    sessions = []
    session_teams = []  # (session index in ``sessions``, [teams])
    statuses = [Session.Status.SCHEDULED] * 6 + [Session.Status.TENTATIVE, Session.Status.CANCELLED]
    formats = [SessionFormat.REMOTE, SessionFormat.IN_PERSON, SessionFormat.HYBRID]

    def session(index: int, **fields) -> Session:
        begin, end = when(index)
        session_format = formats[index % len(formats)]
        return Session(
            organisation=organisation,
            programme=programme,
            phase=phase_for(begin),
            starts_at=begin,
            ends_at=end,
            format=session_format,
            place="" if session_format == SessionFormat.REMOTE else "Salle des fêtes, Lille",
            visio_url=""
            if session_format == SessionFormat.IN_PERSON
            else "https://visio.example/s",
            status=statuses[index % len(statuses)],
            objectives="Objectifs de la séance.",
            **fields,
        )

    audiences = (Session.Audience.COHORT, Session.Audience.TEAMS)
    collective = Session.objects.filter(programme=programme, audience__in=audiences).count()
    collective_target = (PROGRAMME_SESSIONS - PROGRAMME_TEAMS * INDIVIDUAL_PER_TEAM) * factor
    for i in range(collective, collective_target):
        fields = {"kind": collective_kinds[i % len(collective_kinds)], "title": f"Séance {i + 1}"}
        if i % 10 == 3:
            fields["audience"] = Session.Audience.TEAMS
            session_teams.append((len(sessions), [teams[(i + k) % len(teams)] for k in range(3)]))
        if i % 7 == 5:
            fields["expected_presence"] = Session.Presence.ONE_ROLE
            fields["expected_role"] = roles[1]
        sessions.append(session(i, **fields))
    for index, team in enumerate(teams[existing:], start=existing):
        for n in range(INDIVIDUAL_PER_TEAM):
            session_teams.append((len(sessions), [team]))
            sessions.append(
                session(
                    collective_target + index * INDIVIDUAL_PER_TEAM + n,
                    kind=individual_kind,
                    title=f"Accompagnement individuel n°{n + 1} — {team.name}",
                    audience=Session.Audience.TEAM,
                )
            )
    sessions = Session.objects.bulk_create(sessions)
    Session.teams.through.objects.bulk_create(
        Session.teams.through(session_id=sessions[index].pk, team_id=team.pk)
        for index, team_list in session_teams
        for team in team_list
    )
    Session.facilitators.through.objects.bulk_create(
        Session.facilitators.through(session_id=item.pk, user_id=facilitator.pk)
        for item in sessions
    )


def create_world():
    from django.db import transaction
    from django_scopes import scope

    from organisations import services
    from organisations.models import Role
    from tests.factories import MembershipFactory, UserFactory

    names = {
        "coordinator": ("Camille", "Coordinatrice"),
        "trainer": ("Thomas", "Formateur"),
        "observer": ("Olivia", "Observatrice"),
    }
    with transaction.atomic():
        bench = services.create_organisation(name="Organisation mesurée", slug=BENCH_SLUG)
        other = services.create_organisation(name="Organisation voisine", slug=OTHER_SLUG)
        users = {}
        with scope(organisation=bench.pk):
            for role in ROLES:
                first, last = names[role]
                users[role] = UserFactory(
                    email=f"{role}@bench.example", first_name=first, last_name=last
                )
                MembershipFactory(organisation=bench, user=users[role], role=Role(role))
        with scope(organisation=other.pk):
            other_coordinator = MembershipFactory(
                organisation=other,
                role=Role.COORDINATOR,
                user__email="coordination@voisine.example",
            ).user
        users[TEAM_MEMBER] = UserFactory(
            email="team_member@bench.example", first_name="Margaux", last_name="Trinôme"
        )
        programmes = {}
        with scope(organisation=bench.pk):
            for key in ("fixed", "growing"):
                programme = create_programme(bench, users["coordinator"], f"Parcours {key}")
                fill_programme(
                    programme, 1, facilitator=users["trainer"], team_member=users[TEAM_MEMBER]
                )
                programmes[key] = programme.pk
        with scope(organisation=other.pk):
            programme = create_programme(other, other_coordinator, "Parcours voisin")
            fill_programme(programme, 1, facilitator=other_coordinator)
            programmes["other"] = programme.pk
    return World(
        users=users,
        coordinators={BENCH_SLUG: users["coordinator"], OTHER_SLUG: other_coordinator},
        other_emails=[],
        programmes=programmes,
    )


def grow(world: World, factor: int) -> None:
    """Add what is missing for the data set at ``factor``× (idempotent)."""
    from django.db import transaction
    from django_scopes import scope, scopes_disabled

    from organisations import services
    from organisations.models import AuditEntry, Invitation, Membership, Organisation, Role
    from parcours.models import Programme
    from tests.factories import InvitationFactory, MembershipFactory

    filler_roles = (Role.TRAINER, Role.OBSERVER, Role.TRAINER, Role.COORDINATOR)
    actions = (
        services.Action.MEMBER_ROLE_CHANGED,
        services.Action.INVITATION_RESENT,
        services.Action.ORGANISATION_UPDATED,
        services.Action.MEMBER_REMOVED,
    )
    with transaction.atomic():
        for organisation in Organisation.objects.filter(slug__in=[BENCH_SLUG, OTHER_SLUG]):
            slug = organisation.slug
            coordinator = world.coordinators[slug]
            with scope(organisation=organisation.pk):
                memberships = Membership.objects.filter(organisation=organisation)
                for i in range(memberships.count(), MEMBERS * factor):
                    MembershipFactory(organisation=organisation, role=filler_roles[i % 4])
                invitations = Invitation.objects.filter(organisation=organisation)
                for i in range(invitations.pending().count(), PENDING_INVITATIONS * factor):
                    services.invite_member(
                        organisation=organisation,
                        email=f"invitee-{i}@{slug}.example",
                        role=filler_roles[i % 4],
                        acting_user=coordinator,
                    )
                for kind in ("expired", "revoked"):
                    existing = invitations.filter(email__startswith=f"{kind}-").count()
                    for i in range(existing, CLOSED_INVITATIONS * factor):
                        InvitationFactory(
                            organisation=organisation,
                            email=f"{kind}-{i}@{slug}.example",
                            invited_by=coordinator,
                            **{kind: True},
                        )
                actors = [m.user for m in memberships.select_related("user")[:8]] + [None]
                entries = AuditEntry.objects.filter(organisation=organisation)
                for i in range(entries.count(), AUDIT_ENTRIES * factor):
                    services.record(
                        organisation=organisation,
                        actor=actors[i % len(actors)],
                        action=actions[i % len(actions)],
                        target=f"objet {i}",
                        index=i,
                    )
                if slug == OTHER_SLUG:
                    world.other_emails = list(memberships.values_list("user__email", flat=True))
        with scopes_disabled():
            partners = Organisation.objects.filter(slug__startswith="partenaire-").count()
        for i in range(partners, PARTNER_ORGANISATIONS * factor):
            partner = services.create_organisation(
                name=f"Partenaire {i + 1:02d}", slug=f"partenaire-{i + 1:02d}"
            )
            with scope(organisation=partner.pk):
                for role in ROLES:
                    MembershipFactory(organisation=partner, user=world.users[role], role=Role(role))
                MembershipFactory(organisation=partner, role=Role.COORDINATOR)
        bench = Organisation.objects.get(slug=BENCH_SLUG)
        with scope(organisation=bench.pk):
            fill_programme(
                Programme.objects.get(pk=world.programmes["growing"]),
                factor,
                facilitator=world.users["trainer"],
                team_member=world.users[TEAM_MEMBER],
            )
    analyze()


def describe_data() -> str:
    from django.db.models import Count
    from django_scopes import scopes_disabled

    from accounts.models import User
    from organisations.models import AuditEntry, Invitation, Membership, Organisation
    from parcours.models import Programme

    with scopes_disabled():
        bench = Organisation.objects.get(slug=BENCH_SLUG)
        programmes = "; ".join(
            f"programme {programme.name!r}: {programme.teams} teams, "
            f"{programme.session_count} sessions"
            for programme in Programme.objects.filter(organisation=bench)
            .annotate(
                teams=Count("cohorts__teams", distinct=True),
                session_count=Count("sessions", distinct=True),
            )
            .order_by("name")
        )
        return (
            f"{Organisation.objects.count()} organisations, {User.objects.count()} users; "
            f"{BENCH_SLUG}: {Membership.objects.filter(organisation=bench).count()} members, "
            f"{Invitation.objects.filter(organisation=bench).pending().count()} pending "
            f"invitations, {AuditEntry.objects.filter(organisation=bench).count()} journal "
            f"entries; the measured users belong to "
            f"{Membership.objects.filter(user__email='coordinator@bench.example').count()} "
            f"organisations; {programmes}"
        )
