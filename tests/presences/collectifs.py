"""Seed 001 for the attendance tests: the CNFPT one-day seminar, open registration, two
collectifs of directors (each person with a structure and a fonction, the fonctions as
team roles) and individual registrants, two rounds of parallel workshops. Built with
factories, the way ``inscriptions`` leaves it once registrations are confirmed."""

from datetime import datetime, time
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from parcours.models import SessionRegistration
from tests.factories import (
    AgendaItemFactory,
    CohortFactory,
    ProgrammeFactory,
    SessionFactory,
    SessionKindFactory,
    TeamFactory,
    TeamMemberFactory,
    TeamRoleFactory,
    UserFactory,
    WorkshopFactory,
    WorkshopRegistrationFactory,
)

PARIS = ZoneInfo("Europe/Paris")


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


def register(world, user, *, structure="", function="", collectif=None, role=None, choices=()):
    """``user`` registered to the seminar (with a seat in ``collectif``, holding ``role``,
    when given) and choosing ``choices`` (one workshop per round)."""
    if collectif is not None:
        TeamMemberFactory(team=collectif, user=user, role=role, structure=structure)
    SessionRegistration.objects.create(
        organisation=world.organisation,
        session=world.session,
        user=user,
        structure=structure,
        function=function,
    )
    for workshop in choices:
        WorkshopRegistrationFactory(workshop=workshop, user=user)
    return user


def build_seminar(organisation, *, trainer, extra_people: int = 0) -> SimpleNamespace:
    """The seminar on 10 December 2026, 9 h 30 – 17 h (Paris), facilitated by
    ``trainer``: « Collectif du Vimeu » (Alice Vasseur, DGS of Friville, and Bruno
    Caron, CCAS director), « Collectif d'Amiens » (Chloé Dupont, Amiens Métropole DGA),
    and two individuals (Denis Hélène, Emma Roux). Round 1 (10 h 30): « Atelier A —
    Alimentation » and « Atelier B — Mobilités »; round 2 (14 h): « Atelier C —
    Habitat », « Atelier D — Santé ». ``extra_people`` more individuals with choices."""
    programme = ProgrammeFactory(
        organisation=organisation, published=True, name="Séminaire des directeurs"
    )
    cohort = CohortFactory(programme=programme, name="Séminaire 2026")
    kind = SessionKindFactory(programme=programme, name="Séminaire")
    dgs = TeamRoleFactory(programme=programme, name="DGS", required=False, max_per_team=None)
    ccas = TeamRoleFactory(
        programme=programme, name="Directeur·rice de CCAS", required=False, max_per_team=None
    )
    dga = TeamRoleFactory(programme=programme, name="DGA", required=False, max_per_team=None)
    session = SessionFactory(
        programme=programme,
        kind=kind,
        title="Histoires de territoire",
        audience="open",
        starts_at=paris(2026, 12, 10, 9, 30),
        ends_at=paris(2026, 12, 10, 17),
        in_person=True,
        facilitators=[trainer],
    )
    round1 = AgendaItemFactory(
        session=session,
        workshops=True,
        title="Ateliers, 1er tour",
        start_time=time(10, 30),
        end_time=time(12),
    )
    round2 = AgendaItemFactory(
        session=session,
        workshops=True,
        title="Ateliers, 2e tour",
        start_time=time(14),
        end_time=time(15, 30),
    )
    a = WorkshopFactory(round=round1, title="Atelier A — Alimentation", room="Salle 1")
    b = WorkshopFactory(round=round1, title="Atelier B — Mobilités", room="Salle 2")
    c = WorkshopFactory(round=round2, title="Atelier C — Habitat", room="Salle 1")
    d = WorkshopFactory(round=round2, title="Atelier D — Santé", room="Salle 2")
    vimeu = TeamFactory(cohort=cohort, name="Collectif du Vimeu")
    amiens = TeamFactory(cohort=cohort, name="Collectif d'Amiens")
    world = SimpleNamespace(
        organisation=organisation,
        trainer=trainer,
        programme=programme,
        cohort=cohort,
        kind=kind,
        roles=SimpleNamespace(dgs=dgs, ccas=ccas, dga=dga),
        session=session,
        rounds=(round1, round2),
        workshops=SimpleNamespace(a=a, b=b, c=c, d=d),
        collectifs=SimpleNamespace(vimeu=vimeu, amiens=amiens),
    )

    def person(first, last):
        return UserFactory(first_name=first, last_name=last)

    world.alice = register(
        world,
        person("Alice", "Vasseur"),
        structure="Mairie de Friville-Escarbotin",
        function="DGS",
        collectif=vimeu,
        role=dgs,
        choices=(a, c),
    )
    world.bruno = register(
        world,
        person("Bruno", "Caron"),
        structure="CCAS de Friville-Escarbotin",
        function="Directeur·rice de CCAS",
        collectif=vimeu,
        role=ccas,
        choices=(b, c),
    )
    world.chloe = register(
        world,
        person("Chloé", "Dupont"),
        structure="Amiens Métropole",
        function="DGA",
        collectif=amiens,
        role=dga,
        choices=(a, d),
    )
    world.denis = register(
        world,
        person("Denis", "Hélène"),
        structure="Département de la Somme",
        function="Directeur de l'action sociale",
        choices=(a, d),
    )
    world.emma = register(
        world,
        person("Emma", "Roux"),
        structure="Commune de Rue",
        function="Secrétaire générale",
        choices=(b,),
    )
    add_people(world, extra_people)
    return world


def add_people(world, count: int) -> None:
    """``count`` more registrants, every other one in a collectif, each choosing A and C."""
    for index in range(count):
        collectif = world.collectifs.vimeu if index % 2 else None
        register(
            world,
            UserFactory(),
            structure=f"Structure {index}",
            function="DGS",
            collectif=collectif,
            role=world.roles.dgs if collectif else None,
            choices=(world.workshops.a, world.workshops.c),
        )
