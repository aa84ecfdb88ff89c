"""Seed 002's preparatory COPILs with validated minutes (« Il est recommandé d'établir
un compte rendu après chaque copil pour ne pas oublier les informations / décisions »):
the partners present, the agenda with what was said, the decisions, and the actions,
which the validation hands to the experimentation's common plan (those of the first
COPIL are done since). Written through ``ressources.services.minutes``, validated
without e-mails (they are past). Runs after ``demo.experimentation`` (the programme,
its sessions and its common plan); idempotent."""

from datetime import date

from demo.common import CNFPT_SLUG
from demo.experimentation import PROGRAMME
from demo.organisations import member
from organisations.models import Organisation, Role
from parcours.models import Programme, Session
from plans.models import Action
from plans.services import actions as plan_actions
from ressources import minutes_selectors
from ressources.models import Minutes
from ressources.services import minutes as services

# title of the COPIL -> its minutes: (agenda point, text), decisions, guests,
# actions (text, named owner, deadline, done).
COPILS = {
    "COPIL préparatoire n° 1 — cadre méthodologique": {
        "items": [
            (
                "Tour de table",
                "Chaque partenaire présente sa structure et ce qu'il attend de l'expérimentation.",
            ),
            (
                "Présentation du cadre méthodologique",
                "Le cadre « Agir ensemble sur le territoire » est présenté : une phase "
                "préparatoire, un événement de lancement, **trois groupes de travail "
                "thématiques** pluri-acteurs, une restitution et un bilan.",
            ),
            (
                "Calendrier de la phase préparatoire",
                "La phase préparatoire durera environ six mois, avec deux COPIL au moins.",
            ),
        ],
        "decisions": [
            "Le cadre méthodologique est adopté tel que présenté.",
            "Un compte rendu est établi après chaque COPIL et envoyé aux participants.",
            "Le second COPIL choisira les thématiques et les participants.",
        ],
        "guests": ["Élue à la cohésion sociale, Communauté de communes"],
        "actions": [
            (
                "Recenser les associations et entreprises à mobiliser",
                "Communauté de communes",
                date(2026, 5, 15),
                True,
            ),
            (
                "Proposer trois thématiques au prochain COPIL",
                "Ville de Charenton-le-Pont",
                date(2026, 6, 1),
                True,
            ),
        ],
    },
    "COPIL préparatoire n° 2 — thématiques et participants": {
        "items": [
            (
                "Choix des thématiques",
                "Trois thématiques sont retenues : emploi et insertion, mobilités du "
                "quotidien, vie associative et lien social.",
            ),
            (
                "Ciblage et mobilisation des participants",
                "Chaque groupe réunit des associations, des entreprises et des "
                "collectivités ; un porte-parole par groupe.",
            ),
            (
                "Choix des animateurs et calendrier des groupes",
                "Trois réunions par groupe, de l'automne 2026 au début 2027.",
            ),
        ],
        "decisions": [
            "Trois groupes de travail thématiques sont constitués.",
            "L'événement de lancement aura lieu le 22 septembre 2026.",
        ],
        "guests": [],
        "actions": [
            (
                "Envoyer les invitations à l'événement de lancement",
                "Ville de Saint-Maurice",
                date(2026, 9, 1),
                False,
            ),
            (
                "Fixer le calendrier des trois réunions de chaque groupe",
                "Communauté de communes",
                date(2026, 9, 15),
                False,
            ),
        ],
    },
}
PRESENT = 6  # partners ticked present at each COPIL


def load(organisation: Organisation) -> str:
    """Call inside the CNFPT organisation's scope, after ``experimentation.load``."""
    programme = Programme.objects.filter(organisation=organisation, name=PROGRAMME).first()
    if programme is None:
        return "Comptes rendus : pas d'expérimentation (seed 002) chargée."
    coordinator = member(CNFPT_SLUG, Role.COORDINATOR)
    for title, content in COPILS.items():
        session = Session.objects.filter(programme=programme, title=title).first()
        if session is None or Minutes.objects.filter(session=session).exists():
            continue
        minutes = services.start_minutes(session=session, acting_user=coordinator)
        present = list(minutes_selectors.expected_people(session).exclude(pk=coordinator.pk))
        services.save_version(
            minutes=minutes,
            acting_user=coordinator,
            present=present[:PRESENT],
            other_names="\n".join(content["guests"]),
            items=[{"title": point, "text": text} for point, text in content["items"]],
            decisions=content["decisions"],
            actions=[
                {"text": text, "owner_name": owner, "due_on": due}
                for text, owner, due, _done in content["actions"]
            ],
        )
        version = services.validate_minutes(minutes=minutes, acting_user=coordinator, notify=False)
        done = {text for text, _owner, _due, finished in content["actions"] if finished}
        for action in version.actions.all():
            if action.text in done:
                plan_actions.close_from_source(
                    source=Action.Source.MINUTES,
                    source_id=action.source_id,
                    status=Action.Status.DONE,
                    acting_user=coordinator,
                    note="Fait avant le COPIL suivant.",
                )
    total = Minutes.objects.filter(session__programme=programme).count()
    return f"Comptes rendus (seed 002) : {total} COPIL préparatoires validés."
