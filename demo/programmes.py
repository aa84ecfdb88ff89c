"""Seed 000's programme, written through ``parcours.services`` like a coordinator would:
Région Hauts-de-France, "Gouvernance des PAT en Hauts-de-France 2026–2028": five phases,
the collective sessions at their real dates (launch on 16 October 2026, training J1/J2
in December 2026…), the eight PAT trinômes of ``demo.teams`` on their real territories
and their four individual coachings each. Seed 001's seminar is ``demo.seminar``.

Idempotent: a programme that already exists (by name) is left as it is. Nothing is
e-mailed: the programme is built as a draft and published with ``notify=False``.
"""

from datetime import date, time
from zoneinfo import ZoneInfo

from demo.common import HDF_PROGRAMME, HDF_SLUG, aware, demo_email, describe
from demo.organisations import demo_user, member
from demo.teams import TEAMS, territories
from organisations.models import Organisation, Role
from parcours import services
from parcours.models import (
    AgendaItem,
    Phase,
    Programme,
    Session,
    SessionFormat,
    SessionKind,
    TeamRole,
)

TO_CONFIRM = "Date à confirmer dans le parcours"
LILLE = "Hôtel de Région Hauts-de-France, 151 avenue du Président Hoover, 59555 Lille Cedex"
VISIO = "https://visio.hautsdefrance.example/pat-gouvernance"

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
        # The first team's date is being chosen by poll (``demo.coaching``): a placeholder.
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


def load(organisation: Organisation) -> str:
    existing = Programme.objects.filter(name=HDF_PROGRAMME).first()
    if existing is not None:
        return describe(existing)
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
    for territory, (name, _kind, _dept, domain, trinome) in zip(territories(), TEAMS, strict=True):
        team = services.create_team(
            cohort=cohort, acting_user=coordinator, name=name, territory=territory
        )
        for role, (first_name, last_name, function) in zip(roles, trinome, strict=True):
            user = demo_user(
                demo_email(first_name, last_name, domain), first_name, last_name, function
            )
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
            starts_at=aware(first, start, zone),
            ends_at=aware(last, end, zone),
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
            starts_at=aware(first_day, slots[0][0], zone),
            ends_at=aware(first_day, slots[0][1], zone),
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
                "starts_at": aware(date(*day), start, zone),
                "ends_at": aware(date(*day), end, zone),
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
    return describe(programme)
