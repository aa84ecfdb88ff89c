"""Demo programmes, written through ``parcours.services`` like a coordinator would:

* seed 000 — Région Hauts-de-France, "Gouvernance des PAT en Hauts-de-France 2026–2028":
  five phases, the collective sessions at their real dates (launch on 16 October 2026,
  training J1/J2 in December 2026…), eight PAT trinômes of real territories and their
  four individual coachings each;
* seed 001 — CNFPT, the one-day "Séminaire des directions du bloc local" of
  15 November 2019 with its timetable and two rounds of four parallel workshops.

Idempotent: a programme that already exists (by name) is left as it is. Nothing is
e-mailed: programmes are built as drafts and published with ``notify=False``.
"""

import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.db import transaction
from django_scopes import scope

from organisations.demo import demo_user, member
from organisations.models import Organisation, Role
from parcours import services
from parcours.models import (
    AgendaItem,
    Phase,
    Programme,
    Session,
    SessionFormat,
    SessionKind,
    Team,
    TeamMember,
    TeamRole,
    Workshop,
)
from territoires.models import Territory

HDF_SLUG = "hauts-de-france"
CNFPT_SLUG = "cnfpt"
HDF_PROGRAMME = "Gouvernance des PAT en Hauts-de-France 2026–2028"
CNFPT_PROGRAMME = "Séminaire des directions du bloc local 2019"

TO_CONFIRM = "Date à confirmer dans le parcours"
LILLE = "Hôtel de Région Hauts-de-France, 151 avenue du Président Hoover, 59555 Lille Cedex"
ANGERS = "INSET d'Angers, rue du Nid de Pie, 49000 Angers"
VISIO = "https://visio.hautsdefrance.example/pat-gouvernance"

# --- Seed 000: territories and trinômes ----------------------------------------------

REGION = ("32", "Hauts-de-France")
DEPARTEMENTS = {"02": "Aisne", "59": "Nord", "60": "Oise", "62": "Pas-de-Calais", "80": "Somme"}

# (territory name, kind, département, e-mail domain, trinôme in role order:
#  élu·e référent·e, chargé·e de mission, responsable de service)
TEAMS = [
    (
        "Métropole Européenne de Lille",
        Territory.Kind.EPCI,
        "59",
        "mel.example",
        [
            ("Sylvie", "Vandamme", "Vice-présidente agriculture et alimentation"),
            ("Thomas", "Leroy", "Chargé de mission Projet alimentaire territorial"),
            ("Isabelle", "Caron", "Responsable du service agriculture"),
        ],
    ),
    (
        "Communauté d'agglomération du Douaisis",
        Territory.Kind.EPCI,
        "59",
        "douaisis-agglo.example",
        [
            ("Jean-Marc", "Dupont", "Vice-président transition agricole et alimentaire"),
            ("Amandine", "Lefort", "Chargée de mission PAT"),
            ("Karim", "Haddad", "Responsable du service développement économique"),
        ],
    ),
    (
        "Parc naturel régional de l'Avesnois",
        Territory.Kind.PNR,
        "59",
        "parc-avesnois.example",
        [
            ("Martine", "Dhont", "Vice-présidente du Parc, agriculture"),
            ("Lucas", "Fontaine", "Chargé de mission alimentation et circuits courts"),
            ("Céline", "Marchand", "Responsable du pôle agriculture et territoire"),
        ],
    ),
    (
        "Pays de Saint-Omer",
        Territory.Kind.PAYS,
        "62",
        "pays-saint-omer.example",
        [
            ("Philippe", "Delmotte", "Élu référent alimentation"),
            ("Élodie", "Vasseur", "Chargée de projet PAT"),
            ("Mathieu", "Lemaire", "Responsable du service aménagement et agriculture"),
        ],
    ),
    (
        "Communauté urbaine d'Arras",
        Territory.Kind.EPCI,
        "62",
        "cu-arras.example",
        [
            ("Catherine", "Flament", "Vice-présidente développement durable"),
            ("Hugo", "Dufour", "Chargé de mission PAT"),
            ("Nathalie", "Boulanger", "Responsable du service transition écologique"),
        ],
    ),
    (
        "Amiens Métropole",
        Territory.Kind.EPCI,
        "80",
        "amiens-metropole.example",
        [
            ("François", "Lecomte", "Vice-président agriculture urbaine et alimentation"),
            ("Julie", "Mercier", "Chargée de mission Projet alimentaire territorial"),
            ("Olivier", "Roussel", "Responsable du service restauration collective"),
        ],
    ),
    (
        "Communauté de communes du Pays de Bray",
        Territory.Kind.EPCI,
        "60",
        "cc-paysdebray.example",
        [
            ("Annie", "Boucher", "Vice-présidente économie et agriculture"),
            ("Antoine", "Gosselin", "Chargé de mission PAT"),
            ("Sandrine", "Lebrun", "Directrice générale des services"),
        ],
    ),
    (
        "Communauté d'agglomération du Pays de Laon",
        Territory.Kind.EPCI,
        "02",
        "agglo-laon.example",
        [
            ("Patrick", "Dumont", "Vice-président ruralité et alimentation"),
            ("Camille", "Renard", "Chargée de mission PAT"),
            ("Stéphane", "Carpentier", "Responsable du service développement territorial"),
        ],
    ),
]
# The team member whose login the command prints: the MEL's chargé de mission, expected
# at every session of the parcours, the role-based training included.
TEAM_MEMBER_LOGIN = (0, 1)  # (team index, trinôme index)

PHASES = [
    # (name, start, end, colour, description)
    (
        "Sélection des participants",
        date(2026, 6, 1),
        date(2026, 9, 30),
        "#64748b",
        "État des lieux et candidatures : lancement de l'AMI et autodiagnostic le 3 juin "
        "2026, webinaire de questions-réponses, signatures de l'équipe porteuse du PAT "
        "(élu·e référent·e, chargé·e de mission ou de projet, responsable du service) le "
        "19 juin 2026, annonce des territoires sélectionnés le 15 septembre 2026. "
        "Un engagement en connaissance de cause.",
    ),
    (
        "Construction d'une culture commune",
        date(2026, 10, 1),
        date(2027, 3, 31),
        "#2a6f97",
        "Enjeux / pour quoi ? Schéma de gouvernance actuel connu. S'inspirer, faire "
        "groupe, coopérer : une aventure commune. Montée en compétences, INPUT expert.",
    ),
    (
        "Accompagner l'amélioration de la gouvernance",
        date(2027, 4, 1),
        date(2027, 9, 30),
        "#4d7c0f",
        "Identifier les problèmes et besoins pour construire une gouvernance ouverte et "
        "robuste ; co-construire son plan d'action gouvernance. Montée en compétences, "
        "INPUT expert.",
    ),
    (
        "Accompagner la mise en oeuvre de la gouvernance",
        date(2027, 10, 1),
        date(2028, 3, 31),
        "#b45309",
        "Mise en oeuvre du plan d'action gouvernance ; codéveloppement : progresser "
        "ensemble. Montée en compétences, INPUT expert.",
    ),
    (
        "Capitalisation et évaluation",
        date(2028, 4, 1),
        date(2028, 6, 30),
        "#7b4fa0",
        "Synthèse des contenus, outils-ressources issus de cet accompagnement ; outil de "
        "suivi / autopositionnement ; évaluation et restitution.",
    ),
]

WISHED = Session.Presence.WHOLE_TEAM_WISHED
REQUIRED = Session.Presence.WHOLE_TEAM_REQUIRED

# Collective sessions: (kind, title, format, day, start, end, status, date note, place,
# visio, expected presence, expected role index, audience, objectives, content).
# ``day`` may be a (first, last) pair for a multi-day session.
COLLECTIVE_SESSIONS = [
    (
        "Webinaire",
        "Webinaire Q&R de l'AMI",
        SessionFormat.REMOTE,
        date(2026, 6, 9),
        time(10),
        time(12),
        Session.Status.SCHEDULED,
        "",
        "",
        f"{VISIO}-ami",
        Session.Presence.ANY,
        None,
        Session.Audience.OPEN,
        "Répondre aux questions des territoires candidats sur l'appel à manifestation "
        "d'intérêt (lancé le 3 juin 2026) et l'autodiagnostic.",
        "Visio 2 h. Ouvert aux territoires porteurs d'un PAT qui envisagent de candidater ; "
        "signatures de l'équipe porteuse attendues le 19 juin 2026.",
    ),
    (
        "Lancement",
        "Lancement du projet",
        SessionFormat.REMOTE,
        date(2026, 10, 16),
        time(9, 30),
        time(12, 30),
        Session.Status.SCHEDULED,
        "",
        "",
        f"{VISIO}-lancement",
        WISHED,
        None,
        Session.Audience.COHORT,
        "Interconnaissance. SENS et ENJEUX d'une gouvernance partagée.",
        "Visio 3 h, trinôme souhaitable. Date clé à bloquer dans son agenda dès la "
        "signature du parcours.",
    ),
    (
        "Formation",
        "Formation J1/J2 — TOB : connaissance des organisations / de son organisation",
        SessionFormat.IN_PERSON,
        (date(2026, 12, 9), date(2026, 12, 10)),
        time(9, 30),
        time(17),
        Session.Status.TENTATIVE,
        "options : 9-10 ou 10-11 décembre",
        LILLE,
        "",
        REQUIRED,
        None,
        Session.Audience.COHORT,
        "J1 — TOB : connaissance des organisations. J2 — TOB : connaissance de son "
        "organisation. Positionnement individuel de sa gouvernance.",
        "Deux journées en présentiel, trinôme indispensable.",
    ),
    (
        "Webinaire",
        "Webinaire — Mobiliser mon trinôme et les autres services de la collectivité",
        SessionFormat.REMOTE,
        date(2027, 2, 9),
        time(14),
        time(16),
        Session.Status.SCHEDULED,
        "",
        "",
        f"{VISIO}-webinaires",
        WISHED,
        None,
        Session.Audience.COHORT,
        "Mobiliser son trinôme et les autres services de la collectivité autour du PAT.",
        "Visio 2 h.",
    ),
    (
        "CODEV",
        "CODEV visio — Partage des intentions, co-construire son plan d'action",
        SessionFormat.REMOTE,
        date(2027, 4, 8),
        time(9),
        time(12, 30),
        Session.Status.TENTATIVE,
        TO_CONFIRM,
        "",
        f"{VISIO}-codev",
        WISHED,
        None,
        Session.Audience.COHORT,
        "Partage des intentions ; co-construire son plan d'action gouvernance.",
        "Codéveloppement, visio 0,5 j : progresser ensemble.",
    ),
    (
        "Formation",
        "Formation 1 j — Méthode et posture, animation de collectif",
        SessionFormat.IN_PERSON,
        date(2027, 5, 18),
        time(9, 30),
        time(17),
        Session.Status.TENTATIVE,
        TO_CONFIRM,
        LILLE,
        "",
        Session.Presence.ONE_ROLE,
        1,
        Session.Audience.COHORT,
        "Déjouer les situations inconfortables en tant qu'animateur PAT. Amener les "
        "acteurs à prendre leur place et être à l'aise.",
        "Une journée en présentiel pour les chargé·es de mission / de projet.",
    ),
    (
        "COPIL",
        "COPIL — Bilan de la première année",
        SessionFormat.HYBRID,
        date(2027, 6, 29),
        time(14),
        time(16, 30),
        Session.Status.TENTATIVE,
        TO_CONFIRM,
        LILLE,
        f"{VISIO}-copil",
        Session.Presence.ONE_ROLE,
        0,
        Session.Audience.COHORT,
        "Suivre l'avancée du dispositif avec les partenaires et les élu·es référent·es.",
        "Comité de pilotage : Région, DRAAF, partenaires et élu·es référent·es des PAT.",
    ),
    (
        "Webinaire",
        "Webinaire — Mobiliser les acteurs et la société civile",
        SessionFormat.REMOTE,
        date(2027, 9, 21),
        time(14),
        time(16),
        Session.Status.TENTATIVE,
        TO_CONFIRM,
        "",
        f"{VISIO}-webinaires",
        WISHED,
        None,
        Session.Audience.COHORT,
        "Mobiliser les acteurs du territoire et la société civile dans la gouvernance du PAT.",
        "Visio 2 h.",
    ),
    (
        "Voyage apprenant",
        "Voyage apprenant",
        SessionFormat.IN_PERSON,
        date(2027, 10, 14),
        time(8, 30),
        time(18),
        Session.Status.TENTATIVE,
        TO_CONFIRM,
        "Sur un territoire de la promotion (lieu précisé avec la convocation)",
        "",
        WISHED,
        None,
        Session.Audience.COHORT,
        "S'inspirer d'un territoire qui fait évoluer la gouvernance de son PAT : "
        "rencontres avec les élu·es, les services et les acteurs locaux.",
        "Une journée en présentiel.",
    ),
    (
        "Webinaire",
        "Webinaire — Construire et suivre un projet structurant",
        SessionFormat.REMOTE,
        date(2027, 11, 16),
        time(10),
        time(12),
        Session.Status.TENTATIVE,
        TO_CONFIRM,
        "",
        f"{VISIO}-webinaires",
        WISHED,
        None,
        Session.Audience.COHORT,
        "Construire et suivre un projet structurant pour le territoire.",
        "Visio 2 h.",
    ),
    (
        "CODEV",
        "CODEV présentiel — Progression, évaluation",
        SessionFormat.IN_PERSON,
        date(2027, 12, 9),
        time(9, 30),
        time(12, 30),
        Session.Status.TENTATIVE,
        TO_CONFIRM,
        LILLE,
        "",
        WISHED,
        None,
        Session.Audience.COHORT,
        "Progression des plans d'action, évaluation à mi-parcours.",
        "Codéveloppement en présentiel, 0,5 j.",
    ),
    (
        "Webinaire",
        "Webinaire — Gouvernance partagée : prendre des décisions à plusieurs",
        SessionFormat.REMOTE,
        date(2028, 2, 8),
        time(14),
        time(16),
        Session.Status.TENTATIVE,
        TO_CONFIRM,
        "",
        f"{VISIO}-webinaires",
        WISHED,
        None,
        Session.Audience.COHORT,
        "Gouvernance partagée : prendre des décisions à plusieurs.",
        "Visio 2 h.",
    ),
    (
        "CODEV",
        "CODEV présentiel — Suivi des plans d'action, préparation de la restitution",
        SessionFormat.IN_PERSON,
        date(2028, 4, 13),
        time(9, 30),
        time(12, 30),
        Session.Status.TENTATIVE,
        TO_CONFIRM,
        LILLE,
        "",
        WISHED,
        None,
        Session.Audience.COHORT,
        "Suivi des plans d'action, évaluation de la progression, préparation de la restitution.",
        "Codéveloppement en présentiel, 0,5 j.",
    ),
    (
        "Table ronde",
        "Table ronde — La gouvernance des PAT en Hauts-de-France",
        SessionFormat.REMOTE,
        date(2028, 5, 16),
        time(14),
        time(16),
        Session.Status.TENTATIVE,
        TO_CONFIRM,
        "",
        f"{VISIO}-table-ronde",
        WISHED,
        None,
        Session.Audience.COHORT,
        "Partager les enseignements du parcours avec les partenaires.",
        "Événement collectif élargi, visio 2 h.",
    ),
    (
        "Restitution",
        "Restitution du parcours",
        SessionFormat.IN_PERSON,
        date(2028, 6, 22),
        time(9, 30),
        time(16, 30),
        Session.Status.TENTATIVE,
        TO_CONFIRM,
        LILLE,
        "",
        REQUIRED,
        None,
        Session.Audience.COHORT,
        "Restituer le parcours : capitalisation, synthèse des contenus et des outils-"
        "ressources issus de cet accompagnement, évaluation.",
        "Événement collectif élargi aux partenaires.",
    ),
    (
        "COPIL",
        "COPIL — Évaluation du dispositif",
        SessionFormat.HYBRID,
        date(2028, 6, 27),
        time(14),
        time(16, 30),
        Session.Status.TENTATIVE,
        TO_CONFIRM,
        LILLE,
        f"{VISIO}-copil",
        Session.Presence.ONE_ROLE,
        0,
        Session.Audience.COHORT,
        "Évaluer le dispositif et décider des suites.",
        "Comité de pilotage : Région, DRAAF, partenaires et élu·es référent·es des PAT.",
    ),
]

# The J1/J2 training's two days: (day, start, end, kind, title).
TRAINING_AGENDA = [
    (1, time(9, 30), time(12, 30), AgendaItem.Kind.PLENARY, "TOB : connaissance des organisations"),
    (1, time(12, 30), time(13, 30), AgendaItem.Kind.BREAK, "Déjeuner"),
    (
        1,
        time(13, 30),
        time(17),
        AgendaItem.Kind.PLENARY,
        "Positionnement individuel de sa gouvernance",
    ),
    (
        2,
        time(9, 30),
        time(12, 30),
        AgendaItem.Kind.PLENARY,
        "TOB : connaissance de son organisation",
    ),
    (2, time(12, 30), time(13, 30), AgendaItem.Kind.BREAK, "Déjeuner"),
    (
        2,
        time(13, 30),
        time(17),
        AgendaItem.Kind.PLENARY,
        "Schéma de gouvernance actuel : travail en trinôme",
    ),
]

# The four individual coachings: (title, format, hours, objectives, per-team days in team
# order, morning?, status). In person: half a day on the territory; visio: 2 h.
INDIVIDUAL_SESSIONS = [
    (
        "Accompagnement individuel n°1 — Rencontre sur le territoire",
        SessionFormat.IN_PERSON,
        "Interconnaissance, appropriation du parcours. Repartir de la réponse à l'AMI ; "
        "autodiagnostics, besoins et intentions. Requestionner le sens de l'implication "
        "pour le trinôme et pour le territoire.",
        # The first team's date is being chosen by poll (``demo_coaching``): a placeholder.
        [(2026, 12, 1)] + [(2026, 11, d) for d in (5, 10, 13, 17, 19, 24, 26)],
        Session.Status.SCHEDULED,
    ),
    (
        "Accompagnement individuel n°2 — Visio",
        SessionFormat.REMOTE,
        "Affiner sa fiche d'intention et sa feuille de route en matière de gouvernance.",
        [(2027, 1, d) for d in (12, 13, 14, 19, 20, 21, 26, 27)],
        Session.Status.SCHEDULED,
    ),
    (
        "Accompagnement individuel n°3 — Rencontre sur le territoire",
        SessionFormat.IN_PERSON,
        "Identifier les freins et les leviers pour bâtir un plan d'action.",
        [(2027, 6, d) for d in (1, 3, 8, 10, 15, 17, 22, 24)],
        Session.Status.TENTATIVE,
    ),
    (
        "Accompagnement individuel n°4 — Visio",
        SessionFormat.REMOTE,
        "Avancées du plan d'action ; appui selon besoin.",
        [(2028, 1, d) for d in (4, 6, 11, 13, 18, 20, 25, 27)],
        Session.Status.TENTATIVE,
    ),
]

# --- Seed 001: the seminar -----------------------------------------------------------

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


@dataclass
class DemoResult:
    summary: list[str] = field(default_factory=list)
    # Extra login lines per organisation slug: (label, who).
    logins: dict[str, list[tuple[str, str]]] = field(default_factory=dict)


def _aware(day: date, at: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, at, zone)


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _email(first_name: str, last_name: str, domain: str) -> str:
    return f"{_ascii(first_name)}.{_ascii(last_name)}@{domain}".replace(" ", "-")


def team_member_login() -> tuple[str, str, str]:
    """(full name, e-mail, team name) of the team member whose login is printed."""
    team_index, person_index = TEAM_MEMBER_LOGIN
    name, _kind, _dept, domain, trinome = TEAMS[team_index]
    first_name, last_name, _function = trinome[person_index]
    return f"{first_name} {last_name}", _email(first_name, last_name, domain), name


@transaction.atomic
def load(organisations: dict[str, Organisation]) -> DemoResult:
    """Add the demo programmes to the demo organisations (``organisations.demo.load``)."""
    result = DemoResult()
    with scope(organisation=organisations[HDF_SLUG].pk):
        result.summary.append(_hauts_de_france(organisations[HDF_SLUG]))
        from parcours import demo_coaching, demo_engagement  # import this module's constants

        # The polls fix dates the engagement shows: before the signatures.
        demo_coaching.load_polls(organisations[HDF_SLUG])

        result.summary.append(demo_engagement.load(organisations[HDF_SLUG]))
        from parcours import demo_calls

        result.summary.append(demo_calls.load(organisations[HDF_SLUG]))
        result.summary.append(demo_coaching.load_attendance(organisations[HDF_SLUG]))
    with scope(organisation=organisations[CNFPT_SLUG].pk):
        result.summary.append(_cnfpt(organisations[CNFPT_SLUG]))
    name, email, team = team_member_login()
    result.logins[HDF_SLUG] = [("Membre d'équipe", f"{name} <{email}> ({team})")]
    return result


# --- Hauts-de-France -----------------------------------------------------------------


# Official codes (SIREN) of the demo's EPCI, as in the Code officiel géographique loaded
# by ``load_territories``: the teams point at the official rows (PNR and pays are free
# entries, without code).
EPCI_SIREN = {
    "Métropole Européenne de Lille": "200093201",
    "Communauté d'agglomération du Douaisis": "200044618",
    "Communauté urbaine d'Arras": "200033579",
    "Amiens Métropole": "248000531",
    "Communauté de communes du Pays de Bray": "246000913",
    "Communauté d'agglomération du Pays de Laon": "200043495",
}


def _territories() -> list[Territory]:
    region, _created = Territory.objects.get_or_create(
        kind=Territory.Kind.REGION, code=REGION[0], defaults={"name": REGION[1]}
    )
    departements = {}
    for code, name in DEPARTEMENTS.items():
        departements[code], _created = Territory.objects.get_or_create(
            kind=Territory.Kind.DEPARTEMENT, code=code, defaults={"name": name, "parent": region}
        )
    territories = []
    for name, kind, departement, _domain, _trinome in TEAMS:
        code = EPCI_SIREN.get(name, "")
        found = Territory.objects.filter(kind=kind)
        territory = (found.filter(code=code) if code else found.filter(name=name)).first()
        if territory is None:  # the reference geography is not loaded
            territory = Territory.objects.create(
                kind=kind, code=code, name=name, parent=departements[departement]
            )
        territories.append(territory)
    return territories


def _hauts_de_france(organisation: Organisation) -> str:
    existing = Programme.objects.filter(name=HDF_PROGRAMME).first()
    if existing is not None:
        return _describe(existing)
    zone = ZoneInfo(organisation.time_zone)
    coordinator = member(HDF_SLUG, Role.COORDINATOR)
    trainer = member(HDF_SLUG, Role.TRAINER)
    programme = services.create_programme(
        organisation=organisation,
        acting_user=coordinator,
        name=HDF_PROGRAMME,
        start_date=date(2026, 6, 1),
        end_date=date(2028, 6, 30),
        description=(
            "Dispositif d'accompagnement et de montée en compétences sur la gouvernance "
            "des projets alimentaires territoriaux (PAT) en Hauts-de-France, 2026-2028. "
            "Lancement de l'AMI et autodiagnostic le 3 juin 2026 ; signatures de l'équipe "
            "porteuse du PAT (élu·e référent·e, chargé·e de mission ou de projet, "
            "responsable du service) le 19 juin 2026. En signant ce parcours, chaque "
            "trinôme s'engage à bloquer dans son agenda les dates clés : lancement (16/10), "
            "rencontre individuelle n°1, formation n°1 (décembre)."
        ),
        objectives=(
            "Étapes de l'accompagnement :\n"
            "1. connaître son schéma actuel de gouvernance\n"
            "2. connaître les leviers pour aller vers une gouvernance plus ouverte, "
            "partagée et robuste\n"
            "3. clarifier les rôles en interne et avec les acteurs du territoire : "
            "co-construction, co-décision et co-mise en oeuvre\n"
            "4. monter en compétences sur l'animation de cette gouvernance\n"
            "5. passer à l'action\n"
            "6. évaluer son parcours"
        ),
        cohort_name="Promotion 2026–2028",
        team_roles="pat",
    )
    cohort = programme.cohorts.get()
    roles = list(TeamRole.objects.filter(programme=programme).order_by("order"))
    kinds = {kind.name: kind for kind in SessionKind.objects.filter(programme=programme)}
    phases = []
    for order, (name, start, end, colour, description) in enumerate(PHASES):
        phases.append(
            services.save_phase(
                phase=Phase(
                    programme=programme,
                    name=name,
                    order=order,
                    start_date=start,
                    end_date=end,
                    colour=colour,
                    description=description,
                ),
                acting_user=coordinator,
            )
        )

    def phase_of(day: date) -> Phase:
        return next(phase for phase in phases if phase.start_date <= day <= phase.end_date)

    teams = []
    for territory, (name, _kind, _dept, domain, trinome) in zip(_territories(), TEAMS, strict=True):
        team = services.create_team(
            cohort=cohort, acting_user=coordinator, name=name, territory=territory
        )
        for role, (first_name, last_name, function) in zip(roles, trinome, strict=True):
            user = demo_user(_email(first_name, last_name, domain), first_name, last_name, function)
            services.add_team_member(team=team, acting_user=coordinator, user=user, role=role)
        teams.append(team)

    for (
        kind,
        title,
        session_format,
        day,
        start,
        end,
        status,
        date_note,
        place,
        visio_url,
        presence,
        role_index,
        audience,
        objectives,
        content,
    ) in COLLECTIVE_SESSIONS:
        first, last = day if isinstance(day, tuple) else (day, day)
        session = services.create_session(
            programme=programme,
            acting_user=coordinator,
            facilitators=[coordinator, trainer] if kind == "COPIL" else [trainer],
            kind=kinds[kind],
            phase=phase_of(first),
            title=title,
            format=session_format,
            starts_at=_aware(first, start, zone),
            ends_at=_aware(last, end, zone),
            status=status,
            date_note=date_note,
            place=place,
            visio_url=visio_url,
            expected_presence=presence,
            expected_role=roles[role_index] if role_index is not None else None,
            audience=audience,
            capacity=30 if session_format != SessionFormat.REMOTE else None,
            objectives=objectives,
            content=content,
        )
        if title.startswith("Formation J1/J2"):
            for agenda_day, agenda_start, agenda_end, item_kind, item_title in TRAINING_AGENDA:
                services.save_agenda_item(
                    item=AgendaItem(
                        session=session,
                        day=agenda_day,
                        start_time=agenda_start,
                        end_time=agenda_end,
                        kind=item_kind,
                        title=item_title,
                        room="Salle de formation" if item_kind != AgendaItem.Kind.BREAK else "",
                    ),
                    acting_user=coordinator,
                )

    individual = next(kind for kind in kinds.values() if kind.is_individual)
    for title, session_format, objectives, days, status in INDIVIDUAL_SESSIONS:
        first_day = date(*days[0])
        in_person = session_format == SessionFormat.IN_PERSON
        # Half a day on the territory, or 2 h in visio; mornings and afternoons alternate.
        slots = (
            [(time(9, 30), time(12, 30)), (time(14), time(17))]
            if in_person
            else [
                (time(10), time(12)),
                (time(14), time(16)),
            ]
        )
        sessions = services.generate_individual_sessions(
            programme=programme,
            acting_user=coordinator,
            kind=individual,
            title=title,
            format=session_format,
            starts_at=_aware(first_day, slots[0][0], zone),
            ends_at=_aware(first_day, slots[0][1], zone),
            visio_url="" if in_person else f"{VISIO}-accompagnement",
            objectives=objectives,
            phase=phase_of(first_day),
            facilitators=[trainer],
            teams=teams,
        )
        # Each team fixed its own date with the trainer: spread them over the month.
        for index, (session, team, day) in enumerate(zip(sessions, teams, days, strict=True)):
            start, end = slots[index % 2]
            changes = {
                "starts_at": _aware(date(*day), start, zone),
                "ends_at": _aware(date(*day), end, zone),
            }
            if in_person:
                changes["place"] = (
                    f"Sur le territoire : {team.name} (adresse précisée par l'équipe)"
                )
            if status == Session.Status.SCHEDULED:
                changes.update(status=status, date_note="")
            services.update_session(session=session, acting_user=coordinator, **changes)

    programme = services.publish_programme(
        programme=programme, acting_user=coordinator, notify=False
    )
    return _describe(programme)


# --- CNFPT ---------------------------------------------------------------------------


def _cnfpt(organisation: Organisation) -> str:
    existing = Programme.objects.filter(name=CNFPT_PROGRAMME).first()
    if existing is not None:
        return _describe(existing)
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
        starts_at=_aware(day, time(9), zone),
        ends_at=_aware(day, time(17, 45), zone),
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
    return _describe(programme)


def _describe(programme: Programme) -> str:
    sessions = Session.objects.filter(programme=programme)
    teams = Team.objects.filter(cohort__programme=programme).count()
    members = TeamMember.objects.current().filter(team__cohort__programme=programme).count()
    workshops = Workshop.objects.filter(round__session__programme=programme).count()
    phases = Phase.objects.filter(programme=programme).count()
    count = sessions.count()
    individual = sessions.filter(audience=Session.Audience.TEAM).count()
    parts = [f"{count} séance{'s' if count > 1 else ''}"]
    if individual:
        parts[0] += f" (dont {individual} individuelles)"
    if phases:
        parts.insert(0, f"{phases} phases")
    if teams:
        parts.append(f"{teams} équipes, {members} membres d'équipe")
    if workshops:
        parts.append(f"{workshops} ateliers")
    return (
        f"{programme.organisation.name} — « {programme.name} » "
        f"({programme.get_status_display().lower()}) : " + ", ".join(parts)
    )
