"""Seed 001 as it would run today: the CNFPT's « Séminaire des directions du bloc
local » of 2027, a one-day event open to registration (``inscriptions``) on its public
page ``/cnfpt/evenements/seminaire-directions-2027/``, with the 2019 timetable and its
two rounds of four workshops. Two collectifs (a commune with its CCAS and its
intercommunalité; a syndicat's directors) and individual directors register and confirm,
each choosing a workshop in both rounds; « Expérience 4 » of the first round holds four
people and is full, two more wait on its list.

Called from ``demo/loader.py`` inside the CNFPT organisation's scope:
``inscriptions.load(organisations[CNFPT_SLUG])``. Idempotent: an existing programme (by
name) is left as it is."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from demo.common import CNFPT_SLUG, aware, demo_email, describe
from demo.organisations import member
from demo.seminar import ANGERS, SEMINAR_AGENDA, SEMINAR_CONTENT, WORKSHOPS
from inscriptions import services as inscriptions
from inscriptions.models import Event, Registrant
from organisations.models import Organisation, Role
from parcours import services
from parcours.models import AgendaItem, Programme, Session, SessionFormat, SessionKind, Workshop
from territoires.models import Territory

PROGRAMME = "Séminaire des directions du bloc local 2027"
SLUG = "seminaire-directions-2027"
DAY = date(2027, 11, 19)
DEADLINE = date(2027, 11, 5)
FULL_CAPACITY = 4
DOMAIN = "collectivites.example"

# (first name, last name, structure, fonction, first round, second round): workshops by
# their number in ``WORKSHOPS`` (1–4).
COLLECTIFS = [
    (
        "Collectif de Segré-en-Anjou Bleu",
        "Segré",
        [
            ("Claire", "Aubin", "Commune de Segré-en-Anjou Bleu", "DGS", 4, 1),
            ("Hugo", "Bernier", "CCAS de Segré-en-Anjou Bleu", "Directeur du CCAS", 4, 2),
            ("Inès", "Caron", "Anjou Bleu Communauté", "DGA ressources", 4, 3),
        ],
    ),
    (
        "Collectif des Mauges",
        "Mauges",
        [
            ("Paul", "Delorme", "Mauges Communauté", "DGS", 4, 2),
            ("Sophie", "Evrard", "Commune de Beaupréau-en-Mauges", "DGS", 1, 3),
        ],
    ),
]
INDIVIDUALS = [
    ("Nadia", "Faure", "Commune de Saumur", "DGA aménagement", 4, 1),
    ("Luc", "Garnier", "Angers Loire Métropole", "DST", 2, 4),
    ("Aline", "Hamon", "Commune de Cholet", "DRH", 4, 2),
]


def _territory(name: str):
    return (
        Territory.objects.filter(name__icontains=name, kind=Territory.Kind.EPCI).first()
        or Territory.objects.filter(name__icontains=name).first()
    )


def _session(organisation: Organisation, coordinator) -> Session:
    zone = ZoneInfo(organisation.time_zone)
    programme = services.create_programme(
        organisation=organisation,
        acting_user=coordinator,
        name=PROGRAMME,
        start_date=DAY,
        end_date=DAY,
        description="Séminaire des directions du bloc local, INSET Angers.",
        objectives=(
            "Construire ensemble un processus coopératif pour son territoire, avec les "
            "élus et les agents."
        ),
        cohort_name="Participants 2027",
    )
    kinds = {kind.name: kind for kind in SessionKind.objects.filter(programme=programme)}
    session = services.create_session(
        programme=programme,
        acting_user=coordinator,
        facilitators=[coordinator],
        kind=kinds["Séminaire"],
        title="Construire ensemble un processus coopératif pour son territoire",
        format=SessionFormat.IN_PERSON,
        starts_at=aware(DAY, time(9), zone),
        ends_at=aware(DAY, time(17, 45), zone),
        status=Session.Status.SCHEDULED,
        place=ANGERS,
        capacity=120,
        audience=Session.Audience.OPEN,
        expected_presence=Session.Presence.ANY,
        content=SEMINAR_CONTENT,
    )
    first_round = True
    for start, end, kind, title, speakers, room, description in SEMINAR_AGENDA:
        item = services.save_agenda_item(
            item=AgendaItem(
                session=session,
                start_time=start,
                end_time=end,
                kind=kind,
                title=title,
                speakers=speakers,
                room=room,
                description=description,
            ),
            acting_user=coordinator,
        )
        if item.is_workshop_round:
            for number, (workshop_title, workshop_room) in enumerate(WORKSHOPS, start=1):
                small = first_round and number == 4
                services.save_workshop(
                    workshop=Workshop(
                        round=item,
                        title=workshop_title,
                        room=workshop_room,
                        capacity=FULL_CAPACITY if small else 30,
                        speakers="L'équipe de direction du territoire et le CNFPT",
                    ),
                    acting_user=coordinator,
                )
            first_round = False
    services.publish_programme(programme=programme, acting_user=coordinator, notify=False)
    return session


def _person(rounds, first, last, structure, function, one, two) -> inscriptions.Person:
    by_number = [list(item.workshops.order_by("pk")) for item in rounds]
    return inscriptions.Person(
        first_name=first,
        last_name=last,
        email=demo_email(first, last, DOMAIN),
        structure=structure,
        function=function,
        workshops={rounds[0].pk: by_number[0][one - 1], rounds[1].pk: by_number[1][two - 1]},
    )


def load(organisation: Organisation) -> str:
    existing = Programme.objects.filter(name=PROGRAMME).first()
    if existing is not None:
        return _line(existing)
    coordinator = member(CNFPT_SLUG, Role.COORDINATOR)
    session = _session(organisation, coordinator)
    zone = ZoneInfo(organisation.time_zone)
    event = inscriptions.save_event(
        event=Event(
            organisation=organisation,
            session=session,
            slug=SLUG,
            deadline=datetime.combine(DEADLINE, time(23, 59), zone),
            published=True,
            audience_text=(
                "DGS, DGA, DST et encadrants des communes et EPCI ; idéalement en collectif "
                "de territoire (commune, CCAS, intercommunalité)."
            ),
            contact="INSET d'Angers — seminaire.directions@cnfpt.example, 02 41 22 41 22",
            action_code="CIDGI 006",
        ),
        acting_user=coordinator,
    )
    rounds = inscriptions.workshop_rounds(session)
    registered = []
    for name, territory, people in COLLECTIFS:
        registered += inscriptions.register(
            event=event,
            people=[_person(rounds, *row) for row in people],
            collective_name=name,
            territory=_territory(territory),
            notify=False,
        )
    for row in INDIVIDUALS:
        registered += inscriptions.register(
            event=event, people=[_person(rounds, *row)], notify=False
        )
    for registrant in registered:
        inscriptions.confirm(registrant=registrant, notify=False)
    session.programme.refresh_from_db()  # published since it was read
    return _line(session.programme)


def _line(programme: Programme) -> str:
    """The same line on every load: the programme and who registered."""
    registered = Registrant.objects.filter(
        event__session__programme=programme, status=Registrant.Status.CONFIRMED
    ).count()
    return f"{describe(programme)} ; inscriptions ouvertes : {registered} personnes"
