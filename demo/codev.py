"""Seed 000's CODEV groups: the eight PATs of the Hauts-de-France programme meet in two
groups of four (« CODEV visio 0,5 j », « CODEV prés. 0,5 j » in the seed), four séances
each between months 10 and 18 (April to December 2027), visio then in person.

The groups are composed by ``codev.services.groups.propose_balanced`` (départements and
territory types mixed); the two cohort-wide CODEV rows of 2027 that ``demo.programmes``
loads become group 1's séances, and group 2 gets its own on the same days (afternoon in
visio, another room in person). Each team is client once (the rotation). The first
client has prepared its case. A séance that has ended when the demo is loaded is shown
held: its six steps with notes, the consultants' advice and the client's commitments
(with the seed's real dates, none has ended before April 2027).
"""

from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from codev.models import Group, GroupKind
from codev.services import cases, groups, sessions
from demo.common import HDF_PROGRAMME, HDF_SLUG, aware
from demo.organisations import member
from organisations.models import Organisation, Role
from parcours import services as parcours_services
from parcours.models import Programme, Session, SessionFormat, TeamMember

VISIO = "https://visio.hautsdefrance.example/pat-gouvernance-codev"
LILLE = "Hôtel de Région Hauts-de-France, 151 avenue du Président Hoover, 59555 Lille Cedex"
ARRAS = "Maison de la Région, 2 rue de la Paix, 62000 Arras"
# (day, format, purpose): the four séances of each group.
SEANCES = [
    (date(2027, 4, 8), SessionFormat.REMOTE, "Partage des intentions, co-construire son plan"),
    (date(2027, 6, 24), SessionFormat.REMOTE, "Lever les freins de la mise en œuvre"),
    (date(2027, 9, 30), SessionFormat.IN_PERSON, "Mobiliser les acteurs du territoire"),
    (date(2027, 12, 9), SessionFormat.IN_PERSON, "Progression, évaluation à mi-parcours"),
]
FIRST_CASE = {
    "title": "Embarquer les élu·es communautaires dans la gouvernance du PAT",
    "question": (
        "Comment associer durablement les vice-président·es des autres délégations "
        "(économie, santé, solidarités) aux décisions du PAT ?"
    ),
    "context": (
        "Le PAT est porté par la délégation agriculture. Deux comités de pilotage "
        "élargis ont été peu suivis ; les services santé et solidarités participent aux "
        "ateliers mais les élu·es ne se sont pas encore saisi·es du projet."
    ),
    "tried": (
        "Une note en bureau communautaire, une invitation personnelle au COPIL, une "
        "présentation du diagnostic alimentaire en conférence des maires."
    ),
}
ADVICE = [
    "Partir d'un sujet qui concerne chaque délégation (restauration scolaire, précarité "
    "alimentaire) plutôt que du PAT en général.",
    "Proposer un binôme élu·e – technicien·ne par délégation, avec un rôle précis au COPIL.",
    "Inviter les élu·es à une visite de terrain avant de leur demander une décision.",
]
COMMITMENTS = [
    ("Rencontrer la vice-présidente santé avec la note sur la précarité alimentaire", 21),
    ("Proposer au bureau un COPIL élargi avec un binôme par délégation", 45),
]


def load(organisation: Organisation) -> str:
    programme = Programme.objects.get(name=HDF_PROGRAMME)
    existing = Group.objects.filter(programme=programme)
    if existing.exists():
        return _describe(programme)
    coordinator = member(HDF_SLUG, Role.COORDINATOR)
    trainer = member(HDF_SLUG, Role.TRAINER)
    zone = ZoneInfo(organisation.time_zone)
    teams = list(programme.cohorts.get().teams.select_related("territory__parent").order_by("pk"))
    proposed = groups.propose_balanced(teams, size=4, prefix="Groupe CODEV")
    made = groups.create_groups(
        programme=programme, kind=GroupKind.CODEV, proposed=proposed, acting_user=coordinator
    )
    for group, theme in zip(
        made, ("Gouvernance et élu·es", "Acteurs et société civile"), strict=True
    ):
        group.theme = theme
        groups.save_group(group=group, acting_user=coordinator, facilitators=[trainer])
    kind = programme.session_kinds.get(name="CODEV")
    cohort_rows = {
        timezone.localtime(session.starts_at, zone).date(): session
        for session in Session.objects.filter(programme=programme, kind=kind)
        if session.starts_at is not None
    }
    for day, session_format, purpose in SEANCES:
        cohort_title = cohort_rows[day].title if day in cohort_rows else None
        for index, group in enumerate(made):
            afternoon = index == 1 and session_format == SessionFormat.REMOTE
            start, end = (time(14), time(17, 30)) if afternoon else (time(9, 30), time(12, 30))
            title = f"CODEV {'visio' if session_format == SessionFormat.REMOTE else 'présentiel'}"
            existing_row = cohort_rows.pop(day, None) if index == 0 else None
            if existing_row is not None:
                parcours_services.update_session(
                    session=existing_row,
                    acting_user=coordinator,
                    title=f"{existing_row.title} — {group.name}"[:200],
                )
                sessions.attach_session(
                    group=group, session=existing_row, acting_user=coordinator, purpose=purpose
                )
                continue
            sessions.create_series(
                groups=[group],
                acting_user=coordinator,
                title=cohort_title or f"{title} — {purpose}",
                kind=kind,
                format=session_format,
                status=Session.Status.TENTATIVE,
                date_note="Date à confirmer dans le parcours",
                starts_at=aware(day, start, zone),
                ends_at=aware(day, end, zone),
                visio_url=VISIO if session_format == SessionFormat.REMOTE else "",
                place="" if session_format == SessionFormat.REMOTE else (LILLE, ARRAS)[index],
                purpose=purpose,
            )
    for group in made:
        sessions.apply_rotation(group=group, acting_user=coordinator)
        for group_session in group.group_sessions.all():
            sessions.set_roles(
                group_session=group_session,
                client=group_session.client,
                facilitator=trainer,
                acting_user=coordinator,
            )
    _first_case(made[0], trainer)
    return _describe(programme)


def _client_person(group_session):
    return (
        TeamMember.objects.current()
        .filter(team=group_session.client.team_id)
        .select_related("user", "role")
        .order_by("role__order")
        .first()
        .user
    )


def _first_case(group: Group, trainer) -> None:
    """The first séance's client has prepared its case; once that séance has ended (the
    demo loaded after it), it is held: steps, advice, commitments."""
    group_session = group.group_sessions.order_by("session__starts_at").first()
    person = _client_person(group_session)
    case = cases.save_case(group_session=group_session, acting_user=person, **FIRST_CASE)
    session = group_session.session
    if session.ends_at is None or session.ends_at > timezone.now():
        return
    consultants = list(group.memberships.current().exclude(pk=case.client_id))
    for step in range(1, 7):
        cases.save_step_notes(
            group_session=group_session,
            step=step,
            notes={
                3: "Comment faire des autres délégations des co-porteuses du PAT ?",
                6: "Partir des sujets des autres, pas du nôtre.",
            }.get(step, ""),
        )
    for consultant, text in zip(consultants, ADVICE, strict=False):
        cases.add_advice(case=case, text=text, consultant=consultant)
    day = timezone.localtime(session.starts_at).date()
    for what, days in COMMITMENTS:
        cases.save_commitment(
            case=case,
            acting_user=person,
            what=what,
            owner=person,
            due_on=day + timedelta(days=days),
        )


def _describe(programme: Programme) -> str:
    found = Group.objects.filter(programme=programme).prefetch_related("group_sessions")
    return "CODEV : " + ", ".join(
        f"{group.name} ({len(group.group_sessions.all())} séances)" for group in found
    )
