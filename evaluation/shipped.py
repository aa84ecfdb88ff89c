"""Questionnaires shipped with Sillon: the PAT governance self-diagnostic (seed 000's six
steps as a maturity grid), expectations before a training, satisfaction « à chaud » and
« à froid », and the trainer's assessment of a participant (seed 004).

``install_template(*, organisation, code, acting_user, programme=None)`` adds one of them
to an organisation's library (or to a programme) as a published questionnaire, ready for
a campaign. ``TEMPLATES`` lists them in the order the library shows them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from evaluation.models import (
    Choice,
    Criterion,
    Purpose,
    Question,
    QuestionKind,
    Questionnaire,
    Section,
)


@dataclass(frozen=True)
class Q:
    """One question of a shipped template. ``ref`` names it for a later condition;
    ``condition`` is (ref of an earlier question, trigger labels or values)."""

    kind: str
    label: str
    ref: str = ""
    help_text: str = ""
    required: bool = False
    scale: tuple[int, int] = (1, 4)
    min_label: str = ""
    max_label: str = ""
    choices: tuple[str, ...] = ()
    # Grids: (label, help, descriptors — one per level).
    criteria: tuple[tuple[str, str, tuple[str, ...]], ...] = ()
    satisfaction: bool = False
    condition: tuple[str, tuple[str, ...]] | None = None


@dataclass(frozen=True)
class S:
    title: str
    questions: tuple[Q, ...]
    description: str = ""


@dataclass(frozen=True)
class Template:
    code: str
    title: str
    description: str
    purpose: str
    introduction: str = ""
    sections: tuple[S, ...] = field(default_factory=tuple)

    @property
    def question_count(self) -> int:
        return sum(len(section.questions) for section in self.sections)


AGREE_MIN = "Pas du tout"
AGREE_MAX = "Tout à fait"
SATISFIED_MIN = "Pas du tout satisfait·e"
SATISFIED_MAX = "Très satisfait·e"

PAT_LEVELS = ("Émergent", "En construction", "Structuré", "Partagé et robuste")

PAT_GOVERNANCE = Template(
    code="pat_governance",
    title="Autodiagnostic de la gouvernance du PAT",
    description=(
        "Positionnement de l'équipe porteuse du projet alimentaire territorial sur les six "
        "étapes de l'accompagnement : de la connaissance de son schéma actuel de "
        "gouvernance à l'évaluation de son parcours. Rempli en début (T0), en cours (T1) "
        "et en fin de parcours (T2), il montre la progression de chaque équipe."
    ),
    purpose=Purpose.SELF_DIAGNOSTIC,
    introduction=(
        "Remplissez ce questionnaire à plusieurs : élu·e référent·e, chargé·e de mission "
        "et responsable de service. Pour chaque étape, choisissez le niveau qui décrit le "
        "mieux votre situation aujourd'hui, pas celle que vous visez. Il n'y a pas de bonne "
        "ou de mauvaise réponse : ce positionnement sert de point de départ à "
        "l'accompagnement."
    ),
    sections=(
        S(
            title="Votre gouvernance aujourd'hui",
            description="Les six étapes de l'accompagnement, du diagnostic à l'évaluation.",
            questions=(
                Q(
                    kind=QuestionKind.GRID,
                    label="Où en est la gouvernance de votre projet alimentaire territorial ?",
                    help_text=(
                        "Un niveau par étape. Ajoutez un commentaire pour préciser ce qui "
                        "vous fait hésiter entre deux niveaux."
                    ),
                    required=True,
                    choices=PAT_LEVELS,
                    criteria=(
                        (
                            "1. Connaître son schéma actuel de gouvernance",
                            "Instances, acteurs, circuits d'information et de décision du PAT.",
                            (
                                "Les instances, les acteurs et les circuits de décision du PAT "
                                "ne sont pas décrits ; chacun en a une vision partielle.",
                                "Une première cartographie des instances et des acteurs existe, "
                                "mais elle est incomplète ou connue de la seule équipe projet.",
                                "Le schéma de gouvernance (instances, rôles, circuits de "
                                "décision) est formalisé, à jour et connu des élu·es et des "
                                "services.",
                                "Le schéma est partagé avec les acteurs du territoire, "
                                "questionné régulièrement et ajusté collectivement.",
                            ),
                        ),
                        (
                            "2. Connaître les leviers pour aller vers une gouvernance plus "
                            "ouverte, partagée et robuste",
                            "Instances ouvertes, collèges d'acteurs, outils de concertation, "
                            "retours d'expérience d'autres territoires.",
                            (
                                "Les leviers d'ouverture de la gouvernance sont peu connus.",
                                "Quelques leviers sont identifiés, à partir d'exemples d'autres "
                                "territoires, sans choix arrêté.",
                                "Les leviers adaptés au territoire sont identifiés et priorisés "
                                "dans un plan d'action gouvernance.",
                                "Les leviers sont mobilisés et leurs effets sur l'ouverture et "
                                "la robustesse de la gouvernance sont suivis.",
                            ),
                        ),
                        (
                            "3. Clarifier les rôles en interne et avec les acteurs du "
                            "territoire : co-construction, co-décision, co-mise en œuvre",
                            "Qui propose, qui décide, qui met en œuvre, pour chaque instance.",
                            (
                                "Les rôles (élu·es, services, partenaires) sont implicites ; les "
                                "acteurs du territoire sont surtout informés.",
                                "Les rôles internes commencent à être clarifiés ; la place des "
                                "acteurs du territoire dans la co-construction est en "
                                "discussion.",
                                "Les rôles sont écrits : qui co-construit, qui co-décide et qui "
                                "co-met en œuvre, instance par instance.",
                                "Les acteurs du territoire co-construisent, co-décident et "
                                "co-mettent en œuvre ; ces rôles sont reconnus par tous.",
                            ),
                        ),
                        (
                            "4. Monter en compétences sur l'animation de cette gouvernance",
                            "Méthodes d'animation participative, facilitation, intelligence "
                            "collective.",
                            (
                                "L'animation repose sur une personne, sans méthode ni outil "
                                "partagés.",
                                "L'équipe découvre des méthodes d'animation participative et "
                                "les expérimente ponctuellement.",
                                "L'équipe maîtrise des méthodes d'animation (facilitation, "
                                "gestion des désaccords) et les utilise régulièrement.",
                                "Les compétences d'animation sont partagées dans l'équipe et "
                                "avec des partenaires : la gouvernance ne dépend plus d'une "
                                "seule personne.",
                            ),
                        ),
                        (
                            "5. Passer à l'action",
                            "Traduire les intentions en un plan d'action gouvernance.",
                            (
                                "Les intentions d'évolution de la gouvernance ne sont pas "
                                "encore traduites en actions.",
                                "Des premières actions sont engagées, sans calendrier ni moyens "
                                "clairement définis.",
                                "Un plan d'action gouvernance est adopté, avec des "
                                "responsables, un calendrier et des moyens.",
                                "Le plan d'action est mis en œuvre avec les acteurs du "
                                "territoire et ses premiers résultats sont visibles.",
                            ),
                        ),
                        (
                            "6. Évaluer son parcours",
                            "Prendre du recul sur le chemin parcouru et ajuster.",
                            (
                                "Aucun temps n'est prévu pour prendre du recul sur l'évolution "
                                "de la gouvernance.",
                                "Des bilans ponctuels sont faits, de façon informelle.",
                                "Des points d'étape réguliers mesurent les avancées au regard "
                                "du plan d'action.",
                                "L'évaluation est partagée avec les acteurs du territoire et "
                                "nourrit l'ajustement de la gouvernance.",
                            ),
                        ),
                    ),
                ),
            ),
        ),
        S(
            title="Vos besoins et vos intentions",
            questions=(
                Q(
                    kind=QuestionKind.LONG_TEXT,
                    label="Quelles difficultés rencontrez-vous aujourd'hui dans la gouvernance "
                    "de votre PAT ?",
                ),
                Q(
                    kind=QuestionKind.LONG_TEXT,
                    label="De quoi avez-vous besoin pour faire évoluer votre gouvernance ?",
                    help_text="Apports de méthode, outils, échanges entre pairs, appui d'un·e "
                    "expert·e…",
                ),
                Q(
                    kind=QuestionKind.LONG_TEXT,
                    label="Quelles sont vos intentions pour les prochains mois ?",
                ),
            ),
        ),
    ),
)

EXPECTATIONS = Template(
    code="expectations",
    title="Vos attentes avant la formation",
    description=(
        "Évaluation en amont d'une formation : valider les prérequis, recueillir les "
        "besoins spécifiques et situer le niveau de connaissances de chaque participant·e, "
        "pour que l'intervenant·e adapte son contenu."
    ),
    purpose=Purpose.EXPECTATIONS,
    introduction=(
        "Ce questionnaire prend cinq minutes. Vos réponses aident l'intervenant·e à "
        "préparer une formation adaptée à votre réalité."
    ),
    sections=(
        S(
            title="Votre situation",
            questions=(
                Q(
                    kind=QuestionKind.SINGLE,
                    label="Quelle est votre fonction dans le projet ?",
                    choices=(
                        "Élu·e",
                        "Chargé·e de mission ou de projet",
                        "Responsable de service",
                        "Partenaire du territoire",
                        "Autre",
                    ),
                ),
                Q(
                    kind=QuestionKind.SCALE,
                    label="Comment évaluez-vous votre niveau de connaissances sur le thème "
                    "de la formation ?",
                    required=True,
                    scale=(1, 4),
                    min_label="Je découvre",
                    max_label="Je maîtrise",
                ),
                Q(
                    kind=QuestionKind.YES_NO,
                    label="Avez-vous déjà suivi une formation sur ce thème ?",
                ),
            ),
        ),
        S(
            title="Prérequis",
            questions=(
                Q(
                    kind=QuestionKind.MULTIPLE,
                    label="Parmi ces prérequis, lesquels remplissez-vous déjà ?",
                    help_text="Cochez tout ce qui s'applique.",
                    choices=(
                        "Je connais le projet alimentaire territorial de mon territoire",
                        "J'ai participé à une instance de gouvernance du projet",
                        "J'ai déjà animé une réunion participative",
                        "Je connais les acteurs agricoles et alimentaires du territoire",
                    ),
                ),
            ),
        ),
        S(
            title="Vos attentes",
            questions=(
                Q(
                    kind=QuestionKind.MULTIPLE,
                    label="Qu'attendez-vous en priorité de cette formation ?",
                    choices=(
                        "Des apports de connaissances",
                        "Des méthodes et des outils directement utilisables",
                        "Des échanges avec d'autres territoires",
                        "Un temps de recul sur mes pratiques",
                        "Un appui sur une situation concrète",
                    ),
                ),
                Q(
                    kind=QuestionKind.LONG_TEXT,
                    label="Quelles questions aimeriez-vous voir traitées ?",
                ),
                Q(
                    kind=QuestionKind.YES_NO,
                    ref="needs",
                    label="Avez-vous des besoins spécifiques pour suivre la formation ?",
                    help_text="Accessibilité, situation de handicap, contraintes horaires ou "
                    "de déplacement.",
                ),
                Q(
                    kind=QuestionKind.LONG_TEXT,
                    label="Précisez vos besoins spécifiques",
                    help_text="Nous étudierons avec vous les adaptations possibles.",
                    condition=("needs", ("oui",)),
                ),
            ),
        ),
    ),
)

SATISFACTION_HOT = Template(
    code="satisfaction_hot",
    title="Satisfaction à chaud",
    description=(
        "À remplir à l'issue d'une séance : la qualité de la prestation et l'efficacité de "
        "l'action au regard de ses objectifs. La première question compte dans le taux de "
        "satisfaction."
    ),
    purpose=Purpose.SATISFACTION,
    introduction="Merci de prendre deux minutes pour nous dire ce que vous avez pensé de la "
    "séance.",
    sections=(
        S(
            title="Votre satisfaction",
            questions=(
                Q(
                    kind=QuestionKind.SCALE,
                    label="Globalement, êtes-vous satisfait·e de cette séance ?",
                    required=True,
                    scale=(1, 4),
                    min_label=SATISFIED_MIN,
                    max_label=SATISFIED_MAX,
                    satisfaction=True,
                ),
                Q(
                    kind=QuestionKind.SCALE,
                    label="Les objectifs annoncés ont-ils été atteints ?",
                    scale=(1, 4),
                    min_label=AGREE_MIN,
                    max_label=AGREE_MAX,
                ),
                Q(
                    kind=QuestionKind.SCALE,
                    label="Comment jugez-vous l'animation (clarté, écoute, rythme) ?",
                    scale=(1, 4),
                    min_label="Insuffisante",
                    max_label="Excellente",
                ),
                Q(
                    kind=QuestionKind.SCALE,
                    label="Comment jugez-vous l'organisation (accueil, lieu, horaires) ?",
                    scale=(1, 4),
                    min_label="Insuffisante",
                    max_label="Excellente",
                ),
                Q(
                    kind=QuestionKind.SCALE,
                    label="Ce que vous avez appris vous sera-t-il utile dans votre travail ?",
                    scale=(1, 4),
                    min_label="Pas utile",
                    max_label="Très utile",
                ),
            ),
        ),
        S(
            title="Vos commentaires",
            questions=(
                Q(
                    kind=QuestionKind.YES_NO,
                    ref="recommend",
                    label="Recommanderiez-vous cette formation à un·e collègue ?",
                ),
                Q(
                    kind=QuestionKind.LONG_TEXT,
                    label="Pourquoi ?",
                    help_text="Dites-nous ce qui vous retient de la recommander.",
                    condition=("recommend", ("non",)),
                ),
                Q(
                    kind=QuestionKind.LONG_TEXT,
                    label="Un commentaire, une suggestion pour les prochaines séances ?",
                ),
            ),
        ),
    ),
)

SATISFACTION_COLD = Template(
    code="satisfaction_cold",
    title="Satisfaction à froid",
    description=(
        "Quelques mois après la formation : ce qui a été mis en pratique et les changements "
        "observés dans le travail et dans la gouvernance du projet. La première question "
        "compte dans le taux de satisfaction."
    ),
    purpose=Purpose.SATISFACTION,
    introduction="Quelques mois ont passé depuis la formation : qu'en avez-vous fait ?",
    sections=(
        S(
            title="Avec le recul",
            questions=(
                Q(
                    kind=QuestionKind.SCALE,
                    label="Avec le recul, êtes-vous satisfait·e de la formation suivie ?",
                    required=True,
                    scale=(1, 4),
                    min_label=SATISFIED_MIN,
                    max_label=SATISFIED_MAX,
                    satisfaction=True,
                ),
                Q(
                    kind=QuestionKind.SCALE,
                    label="Dans quelle mesure avez-vous mis en pratique ce que vous avez appris ?",
                    scale=(1, 4),
                    min_label=AGREE_MIN,
                    max_label="Très largement",
                ),
                Q(
                    kind=QuestionKind.MULTIPLE,
                    label="Qu'avez-vous mis en pratique ?",
                    choices=(
                        "Des méthodes d'animation participative",
                        "Des outils de diagnostic",
                        "La clarification des rôles dans le projet",
                        "L'ouverture de la gouvernance à de nouveaux acteurs",
                        "Autre chose",
                    ),
                ),
            ),
        ),
        S(
            title="Les changements observés",
            questions=(
                Q(
                    kind=QuestionKind.YES_NO,
                    ref="changes",
                    label="Avez-vous observé des changements dans votre façon de travailler "
                    "ou dans la gouvernance de votre projet ?",
                ),
                Q(
                    kind=QuestionKind.LONG_TEXT,
                    label="Lesquels ?",
                    condition=("changes", ("oui",)),
                ),
                Q(
                    kind=QuestionKind.LONG_TEXT,
                    label="Qu'est-ce qui a freiné la mise en pratique ?",
                ),
                Q(
                    kind=QuestionKind.LONG_TEXT,
                    label="De quoi auriez-vous besoin aujourd'hui pour aller plus loin ?",
                ),
            ),
        ),
    ),
)

ASSESSMENT_LEVELS = ("Non acquis", "En cours d'acquisition", "Acquis", "Maîtrisé")

TRAINER_ASSESSMENT = Template(
    code="trainer_assessment",
    title="Évaluation d'un·e participant·e par l'intervenant·e",
    description=(
        "Évaluation au cours de la formation : l'intervenant·e apprécie la compréhension et "
        "l'acquisition des connaissances de chaque participant·e, à travers les mises en "
        "situation, les réflexions collectives et l'utilisation des outils de diagnostic."
    ),
    purpose=Purpose.ASSESSMENT,
    introduction="Une fiche par participant·e, à remplir pendant ou juste après le module.",
    sections=(
        S(
            title="Appréciation",
            questions=(
                Q(
                    kind=QuestionKind.GRID,
                    label="Où en est ce ou cette participant·e ?",
                    required=True,
                    choices=ASSESSMENT_LEVELS,
                    criteria=(
                        (
                            "Compréhension des notions abordées",
                            "",
                            (
                                "Les notions clés ne sont pas encore comprises.",
                                "Les notions sont comprises avec l'aide de l'intervenant·e ou "
                                "du groupe.",
                                "Les notions sont comprises et reformulées avec ses propres mots.",
                                "Les notions sont expliquées à d'autres et reliées à sa situation.",
                            ),
                        ),
                        (
                            "Acquisition des connaissances et des méthodes",
                            "Outils et méthodes présentés pendant le module.",
                            (
                                "Les outils et méthodes présentés ne sont pas encore connus.",
                                "Les outils sont connus mais leur usage reste hésitant.",
                                "Les outils sont utilisés correctement en situation guidée.",
                                "Les outils sont utilisés en autonomie et adaptés au contexte.",
                            ),
                        ),
                        (
                            "Mise en situation",
                            "Exercices, jeux de rôle, études de cas.",
                            (
                                "Reste en retrait lors des mises en situation.",
                                "Participe aux mises en situation avec un appui.",
                                "Mène la mise en situation et en tire des enseignements.",
                                "Transpose la mise en situation à son territoire et propose "
                                "des pistes d'action.",
                            ),
                        ),
                        (
                            "Contribution aux réflexions collectives",
                            "",
                            (
                                "Intervient peu dans les échanges.",
                                "Partage son expérience quand on l'y invite.",
                                "Contribue activement et écoute les autres points de vue.",
                                "Fait avancer le groupe : relie, synthétise, propose.",
                            ),
                        ),
                        (
                            "Utilisation des outils de diagnostic",
                            "",
                            (
                                "N'a pas encore utilisé les outils de diagnostic.",
                                "Utilise les outils de diagnostic avec un appui.",
                                "Réalise un diagnostic de sa situation avec les outils.",
                                "Interprète le diagnostic et en tire des priorités d'action.",
                            ),
                        ),
                    ),
                ),
                Q(
                    kind=QuestionKind.LONG_TEXT,
                    label="Points d'appui et pistes de progrès",
                ),
                Q(
                    kind=QuestionKind.LONG_TEXT,
                    label="Commentaire de l'intervenant·e",
                ),
            ),
        ),
    ),
)

TEMPLATES: dict[str, Template] = {
    template.code: template
    for template in (
        PAT_GOVERNANCE,
        EXPECTATIONS,
        SATISFACTION_HOT,
        SATISFACTION_COLD,
        TRAINER_ASSESSMENT,
    )
}


def _condition_values(trigger: Question, labels: tuple[str, ...]) -> list[str]:
    """Trigger labels → the tokens a condition compares with (choice ids for choices)."""
    if trigger.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        by_label = {choice.label: str(choice.pk) for choice in trigger.choices.all()}
        return [by_label[label] for label in labels]
    return [str(label) for label in labels]


def _fill(version, template: Template) -> None:
    organisation = version.organisation
    refs: dict[str, Question] = {}
    for section_order, spec in enumerate(template.sections):
        section = Section.objects.create(
            organisation=organisation,
            version=version,
            title=spec.title,
            description=spec.description,
            order=section_order,
        )
        for order, item in enumerate(spec.questions):
            question = Question(
                organisation=organisation,
                version=version,
                section=section,
                order=order,
                kind=item.kind,
                label=item.label,
                help_text=item.help_text,
                required=item.required,
                satisfaction=item.satisfaction,
            )
            if item.kind == QuestionKind.SCALE:
                question.scale_min, question.scale_max = item.scale
                question.min_label, question.max_label = item.min_label, item.max_label
            if item.condition is not None:
                ref, labels = item.condition
                trigger = refs[ref]
                question.condition_question = trigger
                question.condition_values = _condition_values(trigger, labels)
            question.save()
            Choice.objects.bulk_create(
                [
                    Choice(organisation=organisation, question=question, label=label, value=value)
                    for value, label in enumerate(item.choices, start=1)
                ]
            )
            Criterion.objects.bulk_create(
                [
                    Criterion(
                        organisation=organisation,
                        question=question,
                        label=label,
                        help_text=help_text,
                        descriptors=list(descriptors),
                        order=order,
                    )
                    for order, (label, help_text, descriptors) in enumerate(item.criteria)
                ]
            )
            if item.ref:
                refs[item.ref] = question


@transaction.atomic
def install_template(*, organisation, code: str, acting_user, programme=None) -> Questionnaire:
    """Add the shipped template ``code`` to the library (or to ``programme``): a new
    questionnaire whose v1 is published, ready for a campaign."""
    from evaluation import services

    template = TEMPLATES.get(code)
    if template is None:
        raise ValidationError({"code": _("Ce modèle de questionnaire n'existe pas.")})
    questionnaire = services.create_questionnaire(
        organisation=organisation,
        acting_user=acting_user,
        title=template.title,
        description=template.description,
        purpose=template.purpose,
        programme=programme,
        introduction=template.introduction,
    )
    version = services.draft_version(questionnaire)
    _fill(version, template)
    services.publish_version(version=version, acting_user=acting_user)
    Questionnaire.objects.filter(pk=questionnaire.pk).update(template_code=code)
    questionnaire.template_code = code
    return questionnaire
