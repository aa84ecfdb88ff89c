"""Seed 000's action plans: the fiches d'intention of the PATs of the Hauts-de-France
programme and three plans d'action under way.

* Fiches d'intention: the first five teams have written theirs; four submitted it, the
  first was validated by the trainer with a comment, the second sent back « à reprendre »
  with a comment, the fifth is still a draft.
* Plans d'action: the first three teams each have four to six actions in every state
  (à lancer, en cours, terminée, abandonnée) and one late, followed by updates spread
  over the months before the day the demo is loaded (the demo has real dates: the
  actions' deadlines and the updates are placed around that day, as ``demo.codev``
  places its séances held or to come).
* The séance « Suivi des plans d'action » of the seed (month 20) is marked as a follow-up
  of the plans: a week before it, the teams are asked to update their plan.

Every write goes through ``plans.services`` (without e-mails: ``notify=False``); the
one direct write is the documented back-dating of the updates' and actions' creation
moments, which the services stamp with the time of the load. Seed 002's working groups
and common plan are not loaded here.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from demo.common import HDF_PROGRAMME, HDF_SLUG
from demo.organisations import member
from organisations.models import Organisation, Role
from parcours.models import Programme, Session, TeamMember
from plans.models import Action, ActionPlan, ActionUpdate, StageVersion
from plans.services import actions as action_services
from plans.services import common as common_services
from plans.services import stages as stage_services

FOLLOW_UP_TITLE = "Suivi des plans d'action"

# One paragraph per default section of the fiche d'intention, per team (in team order).
INTENTIONS = [
    [
        "Un PAT métropolitain porté par la délégation agriculture, avec 95 communes et une "
        "restauration collective importante.",
        "Passer d'un pilotage par les services à une gouvernance partagée avec les élu·es "
        "des autres délégations et les acteurs de l'alimentation.",
        "Les vice-présidences santé et solidarités, la chambre d'agriculture, les "
        "associations d'aide alimentaire.",
        "Un COPIL élargi deux fois par an ; un binôme élu·e – technicien·ne par délégation.",
    ],
    [
        "Un territoire périurbain où le PAT est né d'un projet de légumerie.",
        "Ouvrir le PAT aux habitant·es et aux commerçant·es.",
        "Le conseil de développement, les marchés, les centres sociaux.",
        "Un forum annuel de l'alimentation.",
    ],
    [
        "Un Parc rural, des filières d'élevage et un bocage à préserver.",
        "Associer les communes du Parc aux décisions du PAT.",
        "Les maires, les éleveurs et éleveuses, l'office de tourisme.",
        "Une commission alimentation au sein du comité syndical.",
    ],
    [
        "Un Pays de 50 communes, un PAT labellisé en 2024.",
        "Clarifier qui décide quoi entre le Pays et les intercommunalités.",
        "Les deux communautés de communes, la CAPSO, les lycées agricoles.",
        "Une charte de gouvernance du PAT.",
    ],
    [
        "Une communauté urbaine engagée sur la restauration scolaire.",
        "Faire vivre le PAT au-delà du service restauration.",
        "Les directions économie et environnement.",
        "À préciser avec le trinôme.",
    ],
]
VALIDATION_COMMENT = (
    "Une fiche claire, qui part bien de votre réponse à l'AMI. Pour la feuille de route, "
    "précisez qui porte le binôme de chaque délégation."
)
CHANGES_COMMENT = (
    "Les intentions sont là ; décrivez davantage les acteurs que vous voulez associer "
    "et comment (consultation, co-décision ?)."
)

# Per team: (title, owner's role order or a partner's name, start and deadline in days
# from today, [(days ago, progress, status, note)] — the updates, oldest first).
PLANS = [
    [
        (
            "Constituer les binômes élu·e – technicien·ne par délégation",
            0,
            (-120, -30),
            [
                (100, 30, "in_progress", "Trois délégations sur cinq ont désigné leur binôme."),
                (40, 100, "done", "Les cinq binômes sont constitués."),
            ],
        ),
        (
            "Réunir un COPIL élargi aux vice-présidences santé et solidarités",
            1,
            (-90, -20),
            [
                (75, 20, "in_progress", "Date proposée en bureau communautaire."),
                (30, 50, "in_progress", "Invitations envoyées ; deux VP confirment."),
            ],
        ),
        (
            "Rédiger la charte de gouvernance du PAT",
            1,
            (-30, 90),
            [(10, 15, "in_progress", "Premier plan de la charte partagé avec le trinôme.")],
        ),
        ("Présenter le PAT en conférence des maires", 0, (30, 120), []),
        (
            "Ouvrir un comité des usagers de la restauration collective",
            "Association Les Amis des cantines",
            (-150, -60),
            [(90, 0, "dropped", "Reporté au prochain mandat : pas de porteur associatif.")],
        ),
    ],
    [
        (
            "Organiser le premier forum de l'alimentation",
            1,
            (-100, 60),
            [
                (80, 10, "in_progress", "Salle réservée, programme en cours."),
                (45, 45, "in_progress", "Douze stands confirmés."),
                (5, 70, "in_progress", "Communication lancée avec les centres sociaux."),
            ],
        ),
        (
            "Associer le conseil de développement au COPIL",
            0,
            (-60, -10),
            [(25, 100, "done", "Deux membres du conseil siègent au COPIL.")],
        ),
        ("Cartographier les commerces alimentaires de proximité", 2, (15, 150), []),
        (
            "Former les élu·es à l'animation participative",
            "CNFPT Hauts-de-France",
            (-45, 45),
            [(20, 25, "in_progress", "Session de formation fixée au printemps.")],
        ),
    ],
    [
        (
            "Créer la commission alimentation du comité syndical",
            0,
            (-110, -40),
            [
                (95, 40, "in_progress", "Projet de délibération rédigé."),
                (50, 100, "done", "Commission installée ; première réunion tenue."),
            ],
        ),
        (
            "Recenser les élevages engagés en vente directe",
            1,
            (-80, 25),
            [(60, 35, "in_progress", "Questionnaire envoyé à 140 exploitations.")],
        ),
        (
            "Tenir une réunion publique par communauté de communes",
            1,
            (-20, 100),
            [(8, 10, "in_progress", "Première réunion calée à Avesnes-sur-Helpe.")],
        ),
        ("Publier une lettre d'information du PAT", 2, (20, 80), []),
        (
            "Mettre en place un marché de producteurs itinérant",
            "Office de tourisme de l'Avesnois",
            (-130, -70),
            [(100, 0, "dropped", "Abandonné : coût logistique trop élevé pour le Parc.")],
        ),
        (
            "Rédiger la feuille de route gouvernance avec les maires",
            2,
            (-10, 60),
            [],
        ),
    ],
]


def load(organisation: Organisation) -> str:
    programme = Programme.objects.get(name=HDF_PROGRAMME)
    if ActionPlan.objects.filter(programme=programme).exists():
        return _describe(programme)
    coordinator = member(HDF_SLUG, Role.COORDINATOR)
    trainer = member(HDF_SLUG, Role.TRAINER)
    teams = list(programme.cohorts.get().teams.order_by("pk"))
    today = timezone.localdate()
    for index, (team, paragraphs) in enumerate(zip(teams, INTENTIONS, strict=False)):
        plan = stage_services.team_plan(team=team, programme=programme)
        people = _people(team)
        _intention(plan, people[1], paragraphs, trainer, index)
        if index < len(PLANS):
            for spec in PLANS[index]:
                _action(plan, people, spec, today)
    for session in Session.objects.filter(programme=programme, title__icontains=FOLLOW_UP_TITLE):
        common_services.mark_follow_up(session=session, follow_up=True, acting_user=coordinator)
    return _describe(programme)


def _people(team) -> list:
    """The team's current members in role order (élu·e, chargé·e de mission, service)."""
    members = TeamMember.objects.current().filter(team=team).select_related("user", "role")
    return [m.user for m in sorted(members, key=lambda m: (m.role.order if m.role else 9, m.pk))]


def _intention(plan, writer, paragraphs, trainer, index) -> None:
    titles = stage_services.section_titles(plan.programme, "intention")
    body = "\n\n".join(
        f"## {title}\n\n{text}" for title, text in zip(titles, paragraphs, strict=False)
    )
    stage_services.save_draft(
        plan=plan, stage="intention", body=body, acting_user=writer, revision=None
    )
    if index >= 4:
        return
    version = stage_services.submit_stage(
        plan=plan, stage="intention", acting_user=writer, notify=False
    )
    if index == 0:
        stage_services.review_version(
            version=version,
            acting_user=trainer,
            decision=StageVersion.Status.VALIDATED,
            comment=VALIDATION_COMMENT,
            notify=False,
        )
    elif index == 1:
        stage_services.review_version(
            version=version,
            acting_user=trainer,
            decision=StageVersion.Status.CHANGES,
            comment=CHANGES_COMMENT,
            notify=False,
        )


def _moment(today, days_ago: int) -> datetime:
    return timezone.make_aware(datetime.combine(today - timedelta(days=days_ago), time(10)))


def _action(plan, people, spec, today) -> None:
    title, owner, (start, due), updates = spec
    writer = people[1]
    action = action_services.create_action(
        plan=plan,
        acting_user=writer,
        title=title,
        owner=people[owner] if isinstance(owner, int) else None,
        owner_name=owner if isinstance(owner, str) else "",
        starts_on=today + timedelta(days=start),
        due_on=today + timedelta(days=due),
    )
    # The action was entered when it started (or a week ago for one to come): back-dated,
    # as every update below, since the services stamp the moment of the load.
    created = _moment(today, max(-start, 7))
    Action.objects.filter(pk=action.pk).update(created_at=created)
    ActionUpdate.objects.filter(action=action).update(created_at=created)
    for days_ago, progress, status, note in updates:
        update = action_services.post_update(
            action=action,
            acting_user=people[owner] if isinstance(owner, int) else writer,
            progress=progress,
            status=status,
            note=note,
        )
        ActionUpdate.objects.filter(pk=update.pk).update(created_at=_moment(today, days_ago))
        action.refresh_from_db()


def _describe(programme: Programme) -> str:
    plans = ActionPlan.objects.filter(programme=programme)
    actions = Action.objects.filter(plan__programme=programme)
    submitted = StageVersion.objects.filter(plan__programme=programme, number__gt=0).count()
    return (
        f"Plans d'action : {plans.count()} plans, {submitted} fiches soumises, "
        f"{actions.count()} actions (dont {actions.late().count()} en retard)"
    )
