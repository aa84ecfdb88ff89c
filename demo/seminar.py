"""Seed 001: the CNFPT's one-day « Séminaire des directions du bloc local » of
15 November 2019, with its timetable and two rounds of four parallel workshops, written
through ``parcours.services`` like a coordinator would. Idempotent: a programme that
already exists (by name) is left as it is; published with ``notify=False``."""

from datetime import date, time
from zoneinfo import ZoneInfo

from demo.common import CNFPT_PROGRAMME, CNFPT_SLUG, aware, describe
from demo.organisations import member
from organisations.models import Organisation, Role
from parcours import services
from parcours.models import AgendaItem, Programme, Session, SessionFormat, SessionKind, Workshop

ANGERS = "INSET d'Angers, rue du Nid de Pie, 49000 Angers"

SEMINAR_CONTENT = (
    "Le CNFPT, le SNDGCT et l'ADGCF vous proposent un nouveau rendez-vous : « Construire "
    "ensemble un processus coopératif pour son territoire ».\n\n"
    "Public : DGS, DGA, DST, encadrants des communes et EPCI. Dans l'idéal : venir en "
    "« collectif de territoire » (communes et EPCI) !\n\n"
    "En cette fin de mandat, les équipes de direction ont l'opportunité de préparer la "
    "feuille de route de la future gouvernance administrative de leur territoire. Le "
    "15 novembre, nous vous invitons à partager, échanger et produire autour de quatre "
    "expériences engagées et accompagnées en Pays de la Loire en 2019.\n\n"
    "Pendant toute la durée du séminaire : l'expo des repères et des outils pour nourrir "
    "un processus de collectif de territoire.\n\n"
    "Équipe contact : Stéphanie Gross (INSET d'Angers) et Bruno Gemin (délégation Pays "
    "de la Loire).\n"
    "Code action d'inscription en ligne : CIDGI 006."
)
SEMINAR_AGENDA = [
    # (start, end, kind, title, speakers, room, description)
    (time(8, 30), time(9), AgendaItem.Kind.BREAK, "Café d'accueil", "", "Hall", ""),
    (
        time(9, 15),
        time(10, 30),
        AgendaItem.Kind.PLENARY,
        "Conférence en dialogue, échanges et débats",
        "Didier Locatelli, expert en stratégies territoriales ; Jérôme Grolleau, "
        "sociologue-consultant ; Jonathan Jung, consultant en management",
        "Amphithéâtre",
        "Ce qui a changé dans le système territorial et ce que cela implique dans les "
        "stratégies et gouvernances territoriales. Quelles conséquences en termes "
        "d'enjeux organisationnels et culturels intra et inter territoriaux ? Comment "
        "agir en collectif et en tant que DG ou cadre de direction avec plus de "
        "coopération, de réflexivité… ?",
    ),
    (
        time(10, 45),
        time(12, 15),
        AgendaItem.Kind.WORKSHOPS,
        "Ateliers « Histoires de territoire et d'expériences collectives » (première phase)",
        "",
        "",
        "En prolongement de l'édition 2018 du séminaire, 4 territoires partagent leurs "
        "expériences accompagnées par le CNFPT dans l'amorce et/ou le développement d'un "
        "collectif de territoire.",
    ),
    (time(12, 15), time(13, 45), AgendaItem.Kind.BREAK, "Buffet-déjeuner sur place", "", "", ""),
    (
        time(13, 45),
        time(15, 15),
        AgendaItem.Kind.WORKSHOPS,
        "Ateliers « Histoires de territoire et d'expériences collectives » (deuxième phase)",
        "",
        "",
        "Les mêmes quatre expériences : choisissez-en une autre qu'en première phase.",
    ),
    (
        time(15, 15),
        time(16, 30),
        AgendaItem.Kind.PLENARY,
        "Synthèse partagée : repères pour un processus enrichi de collectif de territoire",
        "Jérôme Grolleau, Didier Locatelli, Jonathan Jung, CNFPT",
        "Amphithéâtre",
        "L'analyse des experts : Jérôme Grolleau et Didier Locatelli. Les principes "
        "d'accompagnement : CNFPT et Jonathan Jung.",
    ),
    (
        time(16, 30),
        time(17),
        AgendaItem.Kind.PLENARY,
        "Et demain sur mon territoire ?",
        "",
        "Amphithéâtre",
        "Temps réflexif, personnel et/ou collectif par territoire pour capitaliser, "
        "envisager les conditions d'appropriation et de mise en œuvre d'un processus de "
        "collectif de territoire selon les contextes.",
    ),
    (
        time(17),
        time(17, 45),
        AgendaItem.Kind.PLENARY,
        "Clôture et perspectives",
        "",
        "Amphithéâtre",
        "",
    ),
]
# The four experiences of Pays de la Loire territories, told in each round: (title, room).
WORKSHOPS = [
    ("Expérience 1 : amorcer un collectif de territoire entre communes et EPCI", "Salle Loire"),
    ("Expérience 2 : écrire la feuille de route de la gouvernance administrative", "Salle Maine"),
    ("Expérience 3 : articuler les politiques publiques à l'échelle du bloc local", "Salle Sarthe"),
    ("Expérience 4 : faire vivre un CoDir de territoire", "Salle Mayenne"),
]
WORKSHOP_CAPACITY = 30


def load(organisation: Organisation) -> str:
    existing = Programme.objects.filter(name=CNFPT_PROGRAMME).first()
    if existing is not None:
        return describe(existing)
    zone = ZoneInfo(organisation.time_zone)
    coordinator = member(CNFPT_SLUG, Role.COORDINATOR)
    day = date(2019, 11, 15)
    programme = services.create_programme(
        organisation=organisation,
        acting_user=coordinator,
        name=CNFPT_PROGRAMME,
        start_date=day,
        end_date=day,
        description=(
            "Séminaire des directions du bloc local : un laboratoire pour l'échange et "
            "l'innovation. INSET Angers et délégation des Pays de la Loire. En "
            "prolongement des éditions précédentes (2015 : « Coopération et mutualisation "
            "dans le bloc local », 2016 : « Proximité et accessibilité des services "
            "publics », 2017 : « Compétents ensemble ! », 2018 : « D'être ensemble à faire "
            "ensemble : l'idée de CoDir de territoire »)."
        ),
        objectives=(
            "Poursuivre la mise en mouvement du collectif des cadres du bloc local pour "
            "faire face aux défis des territoires avec les élus et les agents : construire "
            "ensemble un processus coopératif pour son territoire."
        ),
        cohort_name="Participants 2019",
    )
    kinds = {kind.name: kind for kind in SessionKind.objects.filter(programme=programme)}
    session = services.create_session(
        programme=programme,
        acting_user=coordinator,
        facilitators=[coordinator],
        kind=kinds["Séminaire"],
        title="Construire ensemble un processus coopératif pour son territoire",
        format=SessionFormat.IN_PERSON,
        starts_at=aware(day, time(9), zone),
        ends_at=aware(day, time(17, 45), zone),
        status=Session.Status.SCHEDULED,
        date_note="Code action d'inscription en ligne : CIDGI 006",
        place=ANGERS,
        capacity=120,
        audience=Session.Audience.OPEN,
        expected_presence=Session.Presence.ANY,
        objectives=(
            "Partager, échanger et produire autour de quatre expériences engagées et "
            "accompagnées en Pays de la Loire en 2019, pour mieux (co)construire une feuille "
            "de route de gouvernance administrative adaptée à sa situation territoriale."
        ),
        content=SEMINAR_CONTENT,
    )
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
            for workshop_title, workshop_room in WORKSHOPS:
                services.save_workshop(
                    workshop=Workshop(
                        round=item,
                        title=workshop_title,
                        room=workshop_room,
                        capacity=WORKSHOP_CAPACITY,
                        speakers="L'équipe de direction du territoire et le CNFPT",
                    ),
                    acting_user=coordinator,
                )
    programme = services.publish_programme(
        programme=programme, acting_user=coordinator, notify=False
    )
    return describe(programme)
