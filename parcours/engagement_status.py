"""Reading the engagement: the version in force, which versions' signatures count, each
team's status role by role, the programme's dashboard and who still has to sign."""

import operator
from dataclasses import dataclass, field
from functools import cached_property, reduce

from django.contrib.auth import get_user_model
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    QuerySet,
    Value,
)
from django.utils.translation import ngettext

from organisations.models import Organisation
from parcours.models import (
    EngagementText,
    Programme,
    Signature,
    Team,
    TeamMember,
    TeamRole,
)

User = get_user_model()


def current_engagement_text(programme: Programme) -> EngagementText | None:
    """The version in force of ``programme``'s engagement (the latest published), with
    what displaying it needs (its key sessions, the organisation's time zone)."""
    return (
        EngagementText.objects.filter(programme=programme)
        .select_related("organisation")
        .prefetch_related("key_sessions")
        .order_by("-version")
        .first()
    )


def accepted_versions(texts) -> set[int]:
    """Ids of the versions whose signatures count, among all ``texts`` of one programme:
    the one in force, and the earlier ones back to the latest that asked for a new
    signature (included)."""
    accepted = set()
    for text in sorted(texts, key=lambda t: t.version, reverse=True):
        accepted.add(text.pk)
        if text.requires_resignature:
            break
    return accepted


@dataclass
class MemberSignature:
    """A current team member and their signature: the one that counts (on a version
    accepted), else their latest on an older version (``outdated``), else None."""

    member: TeamMember
    signature: Signature | None = None
    signed: bool = False

    @property
    def outdated(self) -> bool:
        return self.signature is not None and not self.signed


@dataclass
class RoleEngagement:
    role: TeamRole | None  # None: the members without a role
    members: list[MemberSignature] = field(default_factory=list)

    @property
    def required(self) -> bool:
        return self.role is not None and self.role.required

    @property
    def signed(self) -> bool:
        return any(row.signed for row in self.members)


@dataclass
class TeamEngagement:
    team: Team
    roles: list[RoleEngagement]
    has_text: bool

    @property
    def required_roles(self) -> list[RoleEngagement]:
        return [role for role in self.roles if role.required]

    @property
    def engaged(self) -> bool:
        """« Engagée »: every required role has a current member whose signature counts
        (a programme without any required role: some current member signed)."""
        if not self.has_text:
            return False
        required = self.required_roles
        if required:
            return all(role.signed for role in required)
        return any(row.signed for row in self.members)

    @property
    def missing_roles(self) -> list[TeamRole]:
        return [role.role for role in self.roles if role.required and not role.signed]

    @property
    def progress(self) -> tuple[int, int]:
        """(signatures that count, signatures expected): per required role, or per
        current member when the programme has no required role."""
        required = self.required_roles
        if required:
            return sum(1 for role in required if role.signed), len(required)
        members = self.members
        return sum(1 for row in members if row.signed), len(members)

    @property
    def members(self) -> list[MemberSignature]:
        return [row for role in self.roles for row in role.members]

    @property
    def progress_label(self) -> str:
        """« 2 signatures sur 3 — manque : Responsable de service »."""
        done, total = self.progress
        text = ngettext(
            "%(done)s signature sur %(total)s",
            "%(done)s signatures sur %(total)s",
            done,
        ) % {"done": done, "total": total}
        missing = self.missing_roles
        if missing:
            text += " — " + ngettext("manque : %(roles)s", "manquent : %(roles)s", len(missing)) % {
                "roles": ", ".join(role.name for role in missing)
            }
        return text


@dataclass
class EngagementDashboard:
    """A programme's engagement over its teams (all cohorts). The counters and the order
    of the teams are computed by the database over every team; the rows (per role, who
    signed which version) are built in Python only for the teams asked, a page of them,
    so that a page costs the same whatever the number of teams."""

    programme: Programme
    text: EngagementText | None
    texts: list[EngagementText]
    accepted: set[int]
    roles: list[TeamRole]

    # --- SQL over every team

    def _teams(self) -> QuerySet:
        return Team.objects.filter(cohort__programme=self.programme)

    @cached_property
    def _engaged(self):
        """On a Team: « engagée », each required role held by a current member whose
        signature counts (the SQL twin of ``TeamEngagement.engaged``)."""
        if not self.texts:
            return Value(False)
        held = [
            Exists(
                Signature.objects.filter(
                    text__in=self.accepted,
                    member__team=OuterRef("pk"),
                    member__role=role,
                    member__left_at__isnull=True,
                )
            )
            for role in self.roles
            if role.required
        ]
        if not held:
            # No required role: some current member's signature counts.
            return Exists(
                Signature.objects.filter(
                    text__in=self.accepted,
                    member__team=OuterRef("pk"),
                    member__left_at__isnull=True,
                )
            )
        return reduce(operator.and_, held)

    @cached_property
    def ordered_teams(self) -> QuerySet:
        """Every team, the ones not yet « engagées » first, then by cohort and name, with
        what their rows need (paginate it, then give the page to :meth:`rows`)."""
        return (
            self._teams()
            .annotate(engaged=self._engaged)
            .order_by("engaged", "cohort__name", "name", "pk")
            .select_related("cohort", "territory")
            .prefetch_related(_current_members())
        )

    @cached_property
    def _totals(self) -> dict:
        unassigned = (
            TeamMember.objects.current()
            .filter(team=OuterRef("pk"))
            .exclude(role__in=[role.pk for role in self.roles])
        )
        totals = {"team_count": Count("pk"), "unassigned": Count("pk", filter=Exists(unassigned))}
        if self.texts:
            totals["engaged_count"] = Count("pk", filter=self._engaged)
        return {"engaged_count": 0, **self._teams().aggregate(**totals)}

    @property
    def team_count(self) -> int:
        return self._totals["team_count"]

    @property
    def engaged_count(self) -> int:
        return self._totals["engaged_count"]

    @property
    def has_unassigned(self) -> bool:
        """Some team has a current member without a role of the programme."""
        return self._totals["unassigned"] > 0

    def _missing(self) -> QuerySet:
        """The current members whose signature is missing, with an active account."""
        members = TeamMember.objects.current().filter(
            team__cohort__programme=self.programme, user__is_active=True
        )
        if self.accepted:
            members = members.exclude(
                Exists(Signature.objects.filter(member=OuterRef("pk"), text__in=self.accepted))
            )
        return members

    @cached_property
    def missing_count(self) -> int:
        """Active accounts of the current members whose signature is missing."""
        return self._missing().aggregate(count=Count("user", distinct=True))["count"]

    def missing_users(self) -> list:
        """Active accounts of the current members whose signature is missing (a person in
        two teams who signed in one only is among them)."""
        users = self._missing().values("user")
        return list(User.objects.filter(pk__in=users).order_by("last_name", "first_name", "pk"))

    # --- Rows, for the teams asked

    def rows(self, teams) -> list[TeamEngagement]:
        """Per team of ``teams`` (in their order, each with ``current_members``
        prefetched, as :attr:`ordered_teams` gives them), per role: who signed which
        version. One query for the signatures."""
        teams = list(teams)
        by_member: dict[int, list[Signature]] = {}
        if self.texts and teams:
            signatures = Signature.objects.filter(
                text__programme=self.programme,
                member__left_at__isnull=True,
                member__team__in=[team.pk for team in teams],
            ).order_by("-text__version")
            for signature in signatures:
                by_member.setdefault(signature.member_id, []).append(signature)
        versions = {text.pk: text for text in self.texts}
        result = []
        for team in teams:
            cells = {role.pk: RoleEngagement(role) for role in self.roles}
            for member in team.current_members:
                found = by_member.get(member.pk, [])
                for signature in found:
                    signature.text = versions[signature.text_id]
                counting = next((s for s in found if s.text_id in self.accepted), None)
                row = MemberSignature(
                    member=member,
                    signature=counting or (found[0] if found else None),
                    signed=counting is not None,
                )
                key = member.role_id if member.role_id in cells else None
                cells.setdefault(key, RoleEngagement(None)).members.append(row)
            result.append(
                TeamEngagement(team=team, roles=list(cells.values()), has_text=bool(self.texts))
            )
        return result

    @cached_property
    def teams(self) -> list[TeamEngagement]:
        """Every team's rows, by cohort and name. Its cost grows with the teams: for
        scripts and the demo; a page uses :meth:`rows` on its page of ``ordered_teams``."""
        return self.rows(
            self._teams()
            .order_by("cohort__name", "name", "pk")
            .select_related("cohort", "territory")
            .prefetch_related(_current_members())
        )


def _current_members() -> Prefetch:
    return Prefetch(
        "members",
        queryset=TeamMember.objects.current().select_related("user", "role"),
        to_attr="current_members",
    )


def engagement_dashboard(programme: Programme) -> EngagementDashboard:
    """``programme``'s engagement: its versions, its roles, and over its teams the
    counters, the order (not « engagées » first) and the rows of the teams asked. Two
    queries here; each counter, list or page of rows costs a fixed number more."""
    texts = list(EngagementText.objects.filter(programme=programme).order_by("-version"))
    return EngagementDashboard(
        programme=programme,
        text=texts[0] if texts else None,
        texts=texts,
        accepted=accepted_versions(texts),
        roles=list(TeamRole.objects.filter(programme=programme)),
    )


def engagement_status(team: Team, members: list[TeamMember] | None = None) -> TeamEngagement:
    """One team's engagement: per role, who signed which version, and whether the team
    is « engagée ». ``members``: the team's rows (with user and role) just read by the
    caller, current and former; otherwise they are read here."""
    dashboard = engagement_dashboard(team.cohort.programme)
    if members is not None:
        team.current_members = [member for member in members if member.left_at is None]
    else:
        # Read afresh at each call (the team object may be reused after a change).
        team.current_members = list(_current_members().queryset.filter(team=team))
    (row,) = dashboard.rows([team])
    return row


@dataclass
class EngagementChange:
    """A team whose « engagée » state a change of the roles would flip."""

    team: Team
    before: bool
    after: bool


def engagement_changes(programme: Programme, *, required_after: set) -> list[EngagementChange]:
    """The teams of ``programme`` whose « engagée » state changes if the required roles
    become ``required_after`` (role ids; a role not created yet: any id nobody holds,
    such as 0). Three queries, whatever the number of teams."""
    texts = list(EngagementText.objects.filter(programme=programme).order_by("-version"))
    if not texts:
        return []
    accepted = accepted_versions(texts)
    signed: dict[int, set] = {}
    for team_id, role_id in Signature.objects.filter(
        text__in=accepted,
        member__left_at__isnull=True,
        member__team__cohort__programme=programme,
    ).values_list("member__team_id", "member__role_id"):
        signed.setdefault(team_id, set()).add(role_id)
    before = {role.pk for role in TeamRole.objects.filter(programme=programme) if role.required}

    def engaged(team_id: int, required: set) -> bool:
        held = signed.get(team_id, set())
        return required <= held if required else bool(held)

    changes = []
    for team in Team.objects.filter(cohort__programme=programme).order_by("name", "pk"):
        was, will = engaged(team.pk, before), engaged(team.pk, set(required_after))
        if was != will:
            changes.append(EngagementChange(team, was, will))
    return changes


def pending_engagements(user, organisation: Organisation) -> list[TeamMember]:
    """``user``'s current places in teams of ``organisation``'s published programmes
    whose engagement in force they have not signed (at most three queries)."""
    members = list(
        TeamMember.objects.current()
        .filter(
            user=user,
            organisation=organisation,
            team__cohort__programme__status=Programme.Status.PUBLISHED,
        )
        .select_related("team__cohort__programme")
    )
    if not members:
        return []
    texts: dict[int, list[EngagementText]] = {}
    for text in EngagementText.objects.filter(
        programme__in={member.team.cohort.programme_id for member in members}
    ).only("pk", "programme_id", "version", "requires_resignature"):
        texts.setdefault(text.programme_id, []).append(text)
    if not texts:
        return []
    signed = set(
        Signature.objects.filter(member__in=[member.pk for member in members]).values_list(
            "member_id", "text_id"
        )
    )
    pending = []
    for member in members:
        programme_texts = texts.get(member.team.cohort.programme_id)
        if not programme_texts:
            continue
        if not any((member.pk, pk) in signed for pk in accepted_versions(programme_texts)):
            pending.append(member)
    return pending
