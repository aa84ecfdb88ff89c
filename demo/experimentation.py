"""Seed 002: « Agir ensemble sur le territoire », a collective experimentation on
partnerships, in the CNFPT organisation.

Two preparatory COPILs, a launch event, three thematic multi-actor working groups
(associations, entreprises, collectivités: each partner structure is a team of the
programme) meeting three times — tour de table and problems, brainstorming and
prioritisation, a first level of action plan — then a bilan COPIL before the
restitution. Each group's third meeting left its plan (description, objectives,
targets, likely lead, means), and the coordinator gathered chosen actions of the three
into the common plan, each with a priority and a lead.
"""

from datetime import date, time
from zoneinfo import ZoneInfo

from codev.models import Group, GroupKind
from codev.services import groups, plan_actions, sessions
from demo.common import CNFPT_SLUG, aware, demo_email, describe
from demo.organisations import demo_user, member
from organisations.models import Organisation, Role
from parcours import services
from parcours.models import Programme, Session, SessionFormat, SessionKind
from plans.models import Action, ActionPlan, CommonPlanEntry
from plans.services import actions as plan_services
from plans.services import common as common_plans
from plans.services import stages as plan_stages

PROGRAMME = "Agir ensemble sur le territoire — expérimentation 2026–2027"
PLACE = "Maison des associations, 2 rue de l'Archevêché, 94220 Charenton-le-Pont"
VISIO = "https://visio.cnfpt.example/agir-ensemble"

# (structure, e-mail domain, [(first name, last name, function)]), by working group.
GROUPS = [
    (
        "Emploi et insertion",
        [
            (
                "Ville de Charenton-le-Pont — service emploi",
                "charenton.example",
                [("Nadia", "Belkacem", "Responsable du service emploi")],
            ),
            (
                "Association Tremplin 94",
                "tremplin94.example",
                [("Olivier", "Marchal", "Directeur")],
            ),
            (
                "Bâti-Marne (entreprise de BTP)",
                "batimarne.example",
                [("Sandrine", "Collet", "Responsable des ressources humaines")],
            ),
        ],
    ),
    (
        "Mobilités du quotidien",
        [
            (
                "Communauté de communes — service mobilité",
                "cc-charenton-stmaurice.example",
                [("Pierre", "Lambert", "Chargé de mission mobilités")],
            ),
            (
                "Association Mobil'Actif",
                "mobilactif.example",
                [("Aïcha", "Diallo", "Coordinatrice de l'auto-école sociale")],
            ),
            (
                "Transports des Bords de Marne",
                "tbm.example",
                [("Franck", "Roussel", "Directeur d'exploitation")],
            ),
        ],
    ),
    (
        "Vie associative et lien social",
        [
            (
                "Ville de Saint-Maurice — vie associative",
                "saint-maurice.example",
                [("Claire", "Besnard", "Adjointe à la vie associative")],
            ),
            (
                "Centre social Kennedy",
                "cs-kennedy.example",
                [("Yannick", "Morel", "Directeur du centre social")],
            ),
            (
                "Les Jardins partagés du Val-de-Marne",
                "jardins94.example",
                [("Léa", "Guillot", "Animatrice bénévole")],
            ),
        ],
    ),
]
# The three meetings of every group (seed 002): (day, purpose, expected output).
MEETINGS = [
    (
        date(2026, 10, 6),
        "Tour de table, la thématique au niveau national et territorial, les "
        "problématiques des participants",
        "Les problématiques partagées",
    ),
    (
        date(2026, 11, 3),
        "Brainstorming des pistes de solution, puis priorisation",
        "Les idées prioritaires retenues",
    ),
    (
        date(2026, 12, 1),
        "Un 1er niveau de plan d'action sur les idées retenues",
        "Le plan d'action du groupe : description, objectifs, cibles, porteur pressenti, moyens",
    ),
]
# Each group's first-level plan: (title, objective, targets, likely lead, means, deadline).
PLANS = {
    "Emploi et insertion": [
        (
            "Forum emploi commun aux deux villes",
            "Rapprocher les employeurs locaux des demandeurs d'emploi du territoire",
            "Demandeurs d'emploi, jeunes suivis par la mission locale",
            "Ville de Charenton-le-Pont",
            "Salle des fêtes, 2 jours d'agent, partenariat Pôle emploi",
            date(2027, 4, 15),
        ),
        (
            "Chantier d'insertion sur la rénovation des locaux associatifs",
            "Offrir des parcours qualifiants tout en rénovant les locaux",
            "Personnes éloignées de l'emploi",
            "Association Tremplin 94",
            "Financement départemental, encadrant technique de Bâti-Marne",
            date(2027, 9, 30),
        ),
        (
            "Parrainage de jeunes par des salariés d'entreprises locales",
            "Ouvrir les réseaux professionnels aux jeunes des quartiers",
            "20 jeunes de 18 à 25 ans",
            "Bâti-Marne",
            "Charte de parrainage, 1 réunion par mois",
            date(2027, 6, 30),
        ),
    ],
    "Mobilités du quotidien": [
        (
            "Plateforme de covoiturage solidaire",
            "Permettre l'accès à l'emploi et aux soins sans voiture",
            "Personnes âgées, salariés en horaires décalés",
            "Communauté de communes",
            "Outil en ligne mutualisé, animation par Mobil'Actif",
            date(2027, 5, 31),
        ),
        (
            "Navette vers la zone d'activités aux heures d'embauche",
            "Desservir la zone d'activités à 6 h et 14 h",
            "Salariés de la zone d'activités",
            "Transports des Bords de Marne",
            "Un minibus, convention avec la communauté de communes",
            date(2027, 9, 1),
        ),
    ],
    "Vie associative et lien social": [
        (
            "Guichet unique des associations",
            "Simplifier les demandes de salles, de subventions et de matériel",
            "Les 140 associations des deux villes",
            "Ville de Saint-Maurice",
            "Un agent à mi-temps, un formulaire commun",
            date(2027, 3, 31),
        ),
        (
            "Fête des jardins partagés",
            "Faire connaître les jardins et créer des liens entre habitants",
            "Habitants des quartiers, écoles",
            "Les Jardins partagés du Val-de-Marne",
            "Subvention de fonctionnement, bénévoles",
            date(2027, 6, 20),
        ),
        (
            "Formation commune des bénévoles à l'accueil",
            "Mieux accueillir les nouveaux habitants dans les associations",
            "Bénévoles d'accueil",
            "Centre social Kennedy",
            "2 sessions, formateur du CNFPT",
            date(2027, 2, 28),
        ),
    ],
}
# (group, action title, priority, lead): the common plan.
COMMON = [
    ("Emploi et insertion", "Forum emploi commun aux deux villes", 1, "Ville de Charenton-le-Pont"),
    ("Mobilités du quotidien", "Plateforme de covoiturage solidaire", 1, "Communauté de communes"),
    (
        "Vie associative et lien social",
        "Guichet unique des associations",
        2,
        "Ville de Saint-Maurice",
    ),
    (
        "Emploi et insertion",
        "Parrainage de jeunes par des salariés d'entreprises locales",
        3,
        "Bâti-Marne",
    ),
]
# Collective sessions: (kind, title, day, start, end, format).
SESSIONS = [
    (
        "COPIL",
        "COPIL préparatoire n° 1 — cadre méthodologique",
        date(2026, 3, 17),
        time(14),
        time(16),
        SessionFormat.IN_PERSON,
    ),
    (
        "COPIL",
        "COPIL préparatoire n° 2 — thématiques et participants",
        date(2026, 6, 9),
        time(14),
        time(16),
        SessionFormat.REMOTE,
    ),
    (
        "Lancement",
        "Événement de lancement « Agir ensemble »",
        date(2026, 9, 22),
        time(18),
        time(21),
        SessionFormat.IN_PERSON,
    ),
    (
        "COPIL",
        "COPIL bilan — enseignements et suites du projet",
        date(2027, 2, 9),
        time(14),
        time(16, 30),
        SessionFormat.IN_PERSON,
    ),
    (
        "Restitution",
        "Restitution publique des plans d'action",
        date(2027, 3, 16),
        time(18),
        time(20, 30),
        SessionFormat.IN_PERSON,
    ),
]


def load(organisation: Organisation) -> str:
    existing = Programme.objects.filter(name=PROGRAMME).first()
    if existing is not None:
        return _describe(existing)
    zone = ZoneInfo(organisation.time_zone)
    coordinator = member(CNFPT_SLUG, Role.COORDINATOR)
    trainer = member(CNFPT_SLUG, Role.TRAINER)
    programme = services.create_programme(
        organisation=organisation,
        acting_user=coordinator,
        name=PROGRAMME,
        start_date=date(2026, 3, 1),
        end_date=date(2027, 3, 31),
        description=(
            "Une expérimentation collective sur les partenariats entre associations, "
            "entreprises et collectivités, d'après la méthode « Agir ensemble sur le "
            "territoire » (Communauté de communes Charenton – Saint-Maurice)."
        ),
        objectives=(
            "Construire avec les acteurs du territoire des plans d'action partagés, "
            "synthétisés dans un plan d'action commun, et décider des suites du projet."
        ),
        cohort_name="Partenaires 2026–2027",
    )
    programme.team_label = Programme.TeamLabel.COLLECTIVE
    services.update_programme(
        programme=programme, acting_user=coordinator, changed_fields=["team_label"]
    )
    kinds = {kind.name: kind for kind in SessionKind.objects.filter(programme=programme)}
    cohort = programme.cohorts.get()
    for kind, title, day, start, end, session_format in SESSIONS:
        services.create_session(
            programme=programme,
            acting_user=coordinator,
            facilitators=[coordinator],
            kind=kinds[kind],
            title=title,
            format=session_format,
            starts_at=aware(day, start, zone),
            ends_at=aware(day, end, zone),
            place=PLACE if session_format == SessionFormat.IN_PERSON else "",
            visio_url=VISIO if session_format == SessionFormat.REMOTE else "",
            status=Session.Status.SCHEDULED,
        )
    made = []
    for theme, structures in GROUPS:
        teams = []
        for structure, domain, people in structures:
            team = services.create_team(cohort=cohort, acting_user=coordinator, name=structure)
            for first_name, last_name, function in people:
                user = demo_user(
                    demo_email(first_name, last_name, domain), first_name, last_name, function
                )
                services.add_team_member(
                    team=team, acting_user=coordinator, user=user, role=None, notify=False
                )
            teams.append(team)
        group = groups.save_group(
            group=Group(
                programme=programme,
                name=f"Groupe de travail « {theme} »",
                kind=GroupKind.WORKING,
                theme=theme,
                description="Groupe de travail thématique pluri-acteurs (seed 002).",
            ),
            acting_user=coordinator,
            facilitators=[trainer],
        )
        groups.set_members(group=group, teams=teams, acting_user=coordinator)
        made.append(group)
    for number, (day, purpose, output) in enumerate(MEETINGS, start=1):
        sessions.create_series(
            groups=made,
            acting_user=coordinator,
            title=f"Réunion n° {number}",
            kind=kinds["Groupe de travail"],
            format=SessionFormat.IN_PERSON,
            place=PLACE,
            starts_at=aware(day, time(9, 30), zone),
            ends_at=aware(day, time(12), zone),
            purpose=purpose,
            expected_output=output,
        )
    actions = {}
    for group in made:
        plan = plan_actions.group_plan(group=group, acting_user=coordinator)
        label = f"Réunion n° 3 du {group.name} (1er décembre 2026)"
        for title, objective, targets, lead, means, deadline in PLANS[group.theme]:
            actions[(group.theme, title)] = plan_services.create_action(
                plan=plan,
                acting_user=trainer,
                title=title,
                objective=objective,
                targets=targets,
                owner_name=lead,
                means=means,
                starts_on=date(2027, 1, 4),
                due_on=deadline,
                source=Action.Source.WORKING_GROUP,
                source_label=label,
            )
    common = plan_stages.create_plan(
        programme=programme,
        kind=ActionPlan.Kind.COMMON,
        title="Plan d'action commun « Agir ensemble »",
        acting_user=coordinator,
    )
    for theme, title, priority, lead in COMMON:
        common_plans.add_to_common_plan(
            common_plan=common,
            action=actions[(theme, title)],
            priority=priority,
            lead=lead,
            acting_user=coordinator,
        )
    programme = services.publish_programme(
        programme=programme, acting_user=coordinator, notify=False
    )
    return _describe(programme)


def _describe(programme: Programme) -> str:
    groups_count = Group.objects.filter(programme=programme).count()
    entries = CommonPlanEntry.objects.filter(common_plan__programme=programme).count()
    actions = Action.objects.filter(plan__programme=programme).count()
    return (
        f"{describe(programme)}, {groups_count} groupes de travail, {actions} actions "
        f"dont {entries} au plan d'action commun"
    )
