"""The questionnaire builder: every change a coordinator makes to a questionnaire and
to the content of its draft version (sections, questions, choices, grid criteria,
conditions).

A published version is immutable: every write of content goes through
``ensure_editable`` first. Keys of questions and criteria never change here, so
progression keeps matching criteria from one version to the next.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils.translation import gettext as _

from evaluation.actions import Action
from evaluation.models import (
    Choice,
    Criterion,
    Purpose,
    Question,
    QuestionKind,
    Questionnaire,
    QuestionnaireVersion,
    Section,
)
from evaluation.services.questionnaires import draft_version, ensure_editable
from organisations.services import record

# Questions whose answer can show or hide a later question.
TRIGGER_KINDS = (
    QuestionKind.SINGLE,
    QuestionKind.MULTIPLE,
    QuestionKind.YES_NO,
    QuestionKind.SCALE,
)
# Scales offered by the builder: 1–4, 1–5, 1–10 (or starting at 0).
SCALE_MINIMUMS = (0, 1)
SCALE_MAXIMUMS = (4, 5, 10)
SATISFACTION_KINDS = (QuestionKind.SCALE, QuestionKind.SINGLE)
CHOICE_LABEL_MAX = 300
UP, DOWN = "up", "down"


def _record(version_or_questionnaire, acting_user, action=Action.QUESTIONNAIRE_UPDATED, **data):
    if isinstance(version_or_questionnaire, QuestionnaireVersion):
        questionnaire = version_or_questionnaire.questionnaire
        data.setdefault("version", version_or_questionnaire.number)
    else:
        questionnaire = version_or_questionnaire
    record(
        organisation=questionnaire.organisation,
        actor=acting_user,
        action=action,
        target=str(questionnaire),
        questionnaire=questionnaire.pk,
        **data,
    )


def _locked(version: QuestionnaireVersion) -> QuestionnaireVersion:
    """The version, locked and re-read: two coordinators editing the same draft take
    turns, and a version published meanwhile is refused."""
    version = QuestionnaireVersion.objects.select_for_update().get(pk=version.pk)
    ensure_editable(version)
    return version


# --- The questionnaire ----------------------------------------------------------------


@transaction.atomic
def update_questionnaire(
    *,
    questionnaire: Questionnaire,
    acting_user,
    title: str,
    description: str = "",
    purpose: str = Purpose.OTHER,
    programme=None,
    introduction: str | None = None,
) -> Questionnaire:
    """Title, description, purpose and place (a programme or the library) of the
    questionnaire; ``introduction`` belongs to the draft version and may only change
    there."""
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    errors: dict[str, list[str]] = {}
    title = (title or "").strip()
    if not title:
        errors.setdefault("title", []).append(_("Donnez un titre au questionnaire."))
    if purpose not in Purpose.values:
        errors.setdefault("purpose", []).append(_("Choisissez un usage de la liste."))
    if programme is not None and programme.organisation_id != questionnaire.organisation_id:
        errors.setdefault("programme", []).append(
            _("Ce programme n'appartient pas à l'organisation.")
        )
    elif (
        programme is not None
        and programme.pk != questionnaire.programme_id
        and questionnaire.campaigns.exclude(programme=programme).exists()
    ):
        errors.setdefault("programme", []).append(
            _(
                "Des évaluations d'autres programmes utilisent ce questionnaire : laissez-le "
                "dans la bibliothèque ou copiez-le dans ce programme."
            )
        )
    draft = draft_version(questionnaire)
    if introduction is not None:
        current = draft or questionnaire.versions.order_by("-number").first()
        if draft is None and current is not None and current.introduction != introduction:
            errors.setdefault("introduction", []).append(
                _(
                    "La dernière version est publiée : créez une nouvelle version pour "
                    "changer l'introduction."
                )
            )
    if errors:
        raise ValidationError(errors)
    changed = []
    for name, value in (
        ("title", title),
        ("description", description or ""),
        ("purpose", purpose),
        ("programme_id", programme.pk if programme else None),
    ):
        if getattr(questionnaire, name) != value:
            setattr(questionnaire, name, value)
            changed.append(name)
    if changed:
        questionnaire.save(update_fields=changed)
    if draft is not None and introduction is not None and draft.introduction != introduction:
        draft.introduction = introduction
        draft.save(update_fields=["introduction"])
        changed.append("introduction")
    if changed:
        _record(questionnaire, acting_user, fields=changed)
    return questionnaire


@transaction.atomic
def archive_questionnaire(
    *, questionnaire: Questionnaire, acting_user, archived: bool = True
) -> Questionnaire:
    """Archive (hide from the library and from new campaigns) or bring back. Campaigns
    and results that use it are untouched."""
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if questionnaire.archived != archived:
        questionnaire.archived = archived
        questionnaire.save(update_fields=["archived"])
        _record(
            questionnaire,
            acting_user,
            Action.QUESTIONNAIRE_ARCHIVED if archived else Action.QUESTIONNAIRE_UPDATED,
            archived=archived,
        )
    return questionnaire


# --- Sections -------------------------------------------------------------------------


@transaction.atomic
def save_section(
    *,
    version: QuestionnaireVersion,
    acting_user,
    title: str,
    description: str = "",
    section: Section | None = None,
) -> Section:
    """Add a section at the end of the draft, or rename one."""
    version = _locked(version)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Donnez un titre à la section.")})
    if section is None:
        top = version.sections.aggregate(top=Max("order"))["top"]
        section = Section.objects.create(
            organisation=version.organisation,
            version=version,
            title=title,
            description=description or "",
            order=0 if top is None else top + 1,
        )
        _record(version, acting_user, change="section ajoutée", section=title)
        return section
    if section.version_id != version.pk:
        raise ValidationError(_("Cette section n'appartient pas à ce brouillon."))
    section.title = title
    section.description = description or ""
    section.save(update_fields=["title", "description"])
    _record(version, acting_user, change="section modifiée", section=title)
    return section


@transaction.atomic
def delete_section(*, section: Section, acting_user) -> None:
    """Delete an empty section of the draft (its questions must be deleted or moved to
    another section first: nothing disappears by surprise)."""
    version = _locked(section.version)
    if section.questions.exists():
        raise ValidationError(
            _(
                "La section « %(title)s » contient encore des questions : supprimez-les ou "
                "déplacez-les dans une autre section d'abord."
            )
            % {"title": section.title}
        )
    title = section.title
    section.delete()
    for order, pk in enumerate(
        version.sections.order_by("order", "pk").values_list("pk", flat=True)
    ):
        Section.objects.filter(pk=pk).update(order=order)
    _record(version, acting_user, change="section supprimée", section=title)


# --- Questions ------------------------------------------------------------------------


def _position(question: Question) -> tuple[int, int, int, int]:
    return (question.section.order, question.section_id, question.order, question.pk)


def _ordered_questions(version: QuestionnaireVersion) -> list[Question]:
    return sorted(version.questions.select_related("section"), key=_position)


def trigger_tokens(question: Question) -> dict[str, str]:
    """The values a condition on ``question`` may name: {token: label shown}. Choice
    ids for choices, "oui"/"non", scale values as strings."""
    if question.kind == QuestionKind.YES_NO:
        return {"oui": _("oui"), "non": _("non")}
    if question.kind == QuestionKind.SCALE:
        return {str(value): str(value) for value in question.scale_values}
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        return {str(choice.pk): choice.label for choice in question.choices.all()}
    return {}


def parse_condition_values(trigger: Question, text: str) -> list[str]:
    """What a coordinator typed (labels or values, separated by « ; » or new lines) →
    the tokens stored in ``condition_values``. French ValidationError naming what is
    unknown."""
    tokens = trigger_tokens(trigger)
    by_label = {label.strip().casefold(): token for token, label in tokens.items()}
    whole = (text or "").strip().casefold()
    if whole in by_label:  # one label that contains a separator
        return [by_label[whole]]
    parts = [part.strip() for part in (text or "").replace("\n", ";").split(";")]
    values: list[str] = []
    unknown: list[str] = []
    for part in parts:
        if not part:
            continue
        token = by_label.get(part.casefold()) or (part if part in tokens else None)
        if token is None:
            unknown.append(part)
        elif token not in values:
            values.append(token)
    if unknown:
        raise ValidationError(
            _(
                "« %(values)s » ne fait pas partie des réponses possibles à "
                "« %(question)s » (%(allowed)s)."
            )
            % {
                "values": " ; ".join(unknown),
                "question": trigger.label,
                "allowed": " ; ".join(tokens.values()),
            },
            code="unknown",
        )
    return values


def describe_condition(question: Question) -> str:
    """« Si « Recommanderiez-vous… » = non » for the builder's list."""
    trigger = question.condition_question
    if trigger is None:
        return ""
    tokens = trigger_tokens(trigger)
    values = " ou ".join(tokens.get(str(value), str(value)) for value in question.condition_values)
    return _("Affichée si « %(question)s » = %(values)s") % {
        "question": trigger.label,
        "values": values,
    }


def _clean_labels(labels, *, field: str, errors: dict, what: str) -> list[str]:
    cleaned = [label.strip() for label in labels or [] if label and label.strip()]
    if len(cleaned) < 2:
        errors.setdefault(field, []).append(
            _("Proposez au moins deux %(what)s, un par ligne.") % {"what": what}
        )
    if len({label.casefold() for label in cleaned}) != len(cleaned):
        errors.setdefault(field, []).append(_("Deux lignes portent le même libellé."))
    if any(len(label) > CHOICE_LABEL_MAX for label in cleaned):
        errors.setdefault(field, []).append(
            _("Un libellé dépasse %(max)s caractères.") % {"max": CHOICE_LABEL_MAX}
        )
    return cleaned


def _replace_choices(question: Question, labels: list[str]) -> None:
    """Choices of a single or multiple choice question: a kept label keeps its row (and
    the conditions naming it); values are renumbered 1…n in the new order."""
    existing = {choice.label.casefold(): choice for choice in question.choices.all()}
    kept = {label.casefold() for label in labels}
    question.choices.exclude(pk__in=[c.pk for k, c in existing.items() if k in kept]).delete()
    # Out of the way first: the (question, value) pair is unique.
    Choice.objects.filter(question=question).update(value=F("value") + 1000)
    for value, label in enumerate(labels, start=1):
        choice = existing.get(label.casefold())
        if choice is None:
            Choice.objects.create(
                organisation=question.organisation, question=question, label=label, value=value
            )
        else:
            Choice.objects.filter(pk=choice.pk).update(label=label, value=value)


def _replace_levels(question: Question, labels: list[str]) -> None:
    """Levels of a grid, by position: level n keeps its row when renamed; the criteria's
    descriptors follow the number of levels."""
    levels = list(question.choices.order_by("value"))
    for value, label in enumerate(labels, start=1):
        if value <= len(levels):
            if levels[value - 1].label != label or levels[value - 1].value != value:
                Choice.objects.filter(pk=levels[value - 1].pk).update(label=label)
        else:
            Choice.objects.create(
                organisation=question.organisation, question=question, label=label, value=value
            )
    Choice.objects.filter(question=question, value__gt=len(labels)).delete()
    for criterion in question.criteria.all():
        descriptors = (list(criterion.descriptors) + [""] * len(labels))[: len(labels)]
        if descriptors != criterion.descriptors:
            criterion.descriptors = descriptors
            criterion.save(update_fields=["descriptors"])


def _field_for_trigger(trigger: Question) -> str:
    if trigger.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        return "choices"
    if trigger.kind == QuestionKind.SCALE:
        return "scale_max"
    return "kind"


def _check_conditions(version: QuestionnaireVersion, edited: Question | None = None) -> None:
    """Every condition names an earlier question of the version and values it can
    take. Errors are keyed by the field of ``edited`` (the question being saved) that
    breaks them."""
    questions = _ordered_questions(version)
    rank = {question.pk: index for index, question in enumerate(questions)}
    by_pk = {question.pk: question for question in questions}
    for question in questions:
        if question.condition_question_id is None:
            continue
        trigger = by_pk.get(question.condition_question_id)
        by_edited_trigger = edited is not None and trigger is not None and trigger.pk == edited.pk
        if trigger is None or rank[trigger.pk] >= rank[question.pk]:
            raise ValidationError(
                {
                    "section" if by_edited_trigger else "condition_question": _(
                        "« %(question)s » dépend de « %(trigger)s », qui doit venir avant "
                        "elle dans le questionnaire."
                    )
                    % {
                        "question": question.label,
                        "trigger": trigger.label if trigger else "?",
                    }
                }
            )
        tokens = trigger_tokens(trigger)
        if trigger.kind not in TRIGGER_KINDS or any(
            str(value) not in tokens for value in question.condition_values
        ):
            raise ValidationError(
                {
                    _field_for_trigger(trigger) if by_edited_trigger else "condition_values": _(
                        "La question « %(question)s » s'affiche selon une réponse à "
                        "« %(trigger)s » qui n'existerait plus : changez d'abord sa "
                        "condition."
                    )
                    % {"question": question.label, "trigger": trigger.label}
                }
            )


@dataclass
class QuestionData:
    """What the question form gives the service."""

    section: Section
    kind: str
    label: str
    help_text: str = ""
    required: bool = False
    scale_min: int = 1
    scale_max: int = 5
    min_label: str = ""
    max_label: str = ""
    min_value: float | None = None
    max_value: float | None = None
    satisfaction: bool = False
    confidential: bool = False
    # Choice labels, or the levels of a grid, in order.
    choices: list[str] | None = None
    condition_question: Question | None = None
    condition_values: list[str] | None = None


@transaction.atomic
def save_question(
    *,
    version: QuestionnaireVersion,
    acting_user,
    data: QuestionData,
    question: Question | None = None,
) -> Question:
    """Add a question at the end of its section, or change one (kind, label, choices or
    grid levels, scale, bounds, satisfaction, condition). Its key never changes."""
    version = _locked(version)
    errors: dict[str, list[str]] = {}

    def error(field, message):
        errors.setdefault(field, []).append(message)

    kind = data.kind
    label = (data.label or "").strip()
    if kind not in QuestionKind.values:
        error("kind", _("Choisissez un type de question de la liste."))
    if not label:
        error("label", _("Écrivez l'intitulé de la question."))
    elif len(label) > 500:
        error("label", _("L'intitulé ne peut pas dépasser 500 caractères."))
    if data.section is None or data.section.version_id != version.pk:
        error("section", _("Choisissez une section de ce brouillon."))
    if question is not None and question.version_id != version.pk:
        raise ValidationError(_("Cette question n'appartient pas à ce brouillon."))
    scale_min, scale_max = 1, 5
    if kind == QuestionKind.SCALE:
        scale_min, scale_max = data.scale_min, data.scale_max
        if scale_min not in SCALE_MINIMUMS:
            error("scale_min", _("L'échelle commence à 0 ou à 1."))
        if scale_max not in SCALE_MAXIMUMS:
            error("scale_max", _("L'échelle va jusqu'à 4, 5 ou 10."))
    min_value = max_value = None
    if kind == QuestionKind.NUMBER:
        min_value, max_value = data.min_value, data.max_value
        if min_value is not None and max_value is not None and min_value >= max_value:
            error("max_value", _("La valeur maximale doit dépasser la valeur minimale."))
    if data.satisfaction and kind not in SATISFACTION_KINDS:
        error(
            "satisfaction",
            _("Seule une échelle ou un choix unique peut compter dans le taux de satisfaction."),
        )
    labels: list[str] = []
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        labels = _clean_labels(data.choices, field="choices", errors=errors, what=_("choix"))
    elif kind == QuestionKind.GRID:
        labels = _clean_labels(data.choices, field="choices", errors=errors, what=_("niveaux"))
    trigger = data.condition_question
    condition_values = [str(value) for value in data.condition_values or []]
    if trigger is not None:
        if trigger.version_id != version.pk or (question is not None and trigger.pk == question.pk):
            error("condition_question", _("Choisissez une question précédente de ce brouillon."))
        elif trigger.kind not in TRIGGER_KINDS:
            error(
                "condition_question",
                _("Une condition porte sur un choix, une échelle ou une question oui / non."),
            )
        elif not condition_values:
            error(
                "condition_values",
                _("Indiquez la ou les réponses qui font apparaître la question."),
            )
        else:
            tokens = trigger_tokens(trigger)
            unknown = [value for value in condition_values if value not in tokens]
            if unknown:
                error(
                    "condition_values",
                    _(
                        "« %(values)s » ne fait pas partie des réponses possibles à "
                        "« %(question)s »."
                    )
                    % {"values": " ; ".join(unknown), "question": trigger.label},
                )
    else:
        condition_values = []
    if errors:
        raise ValidationError(errors)

    creating = question is None
    if creating:
        top = data.section.questions.aggregate(top=Max("order"))["top"]
        question = Question(
            organisation=version.organisation,
            version=version,
            order=0 if top is None else top + 1,
        )
    else:
        question = Question.objects.select_for_update().get(pk=question.pk)
        if question.section_id != data.section.pk:
            top = data.section.questions.aggregate(top=Max("order"))["top"]
            question.order = 0 if top is None else top + 1
    old_kind = question.kind
    question.section = data.section
    question.kind = kind
    question.label = label
    question.help_text = data.help_text or ""
    question.required = bool(data.required)
    question.scale_min, question.scale_max = scale_min, scale_max
    question.min_label = (data.min_label or "").strip() if kind == QuestionKind.SCALE else ""
    question.max_label = (data.max_label or "").strip() if kind == QuestionKind.SCALE else ""
    question.min_value, question.max_value = min_value, max_value
    question.satisfaction = bool(data.satisfaction)
    question.confidential = bool(data.confidential)
    question.condition_question = trigger
    question.condition_values = condition_values
    question.save()
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        if old_kind == QuestionKind.GRID:
            question.choices.all().delete()
        _replace_choices(question, labels)
        question.criteria.all().delete()
    elif kind == QuestionKind.GRID:
        if not creating and old_kind != QuestionKind.GRID:
            question.choices.all().delete()
        _replace_levels(question, labels)
    else:
        question.choices.all().delete()
        question.criteria.all().delete()
    _check_conditions(version, edited=question)
    _record(
        version,
        acting_user,
        change="question ajoutée" if creating else "question modifiée",
        question=question.key,
    )
    return question


@transaction.atomic
def delete_question(*, question: Question, acting_user) -> int:
    """Delete a question of the draft; the questions shown according to its answer
    lose their condition (they are always shown). Returns how many did."""
    version = _locked(question.version)
    dependents = question.dependents.update(condition_question=None, condition_values=[])
    section = question.section
    key, label = question.key, question.label
    question.delete()
    for order, pk in enumerate(
        section.questions.order_by("order", "pk").values_list("pk", flat=True)
    ):
        Question.objects.filter(pk=pk).update(order=order)
    _record(version, acting_user, change="question supprimée", question=key, label=label)
    return dependents


@transaction.atomic
def move_question(*, question: Question, acting_user, direction: str) -> Question:
    """Move a question one place up or down within its section (orders renumbered
    0…n). A question never goes above the question it depends on."""
    version = _locked(question.version)
    if direction not in (UP, DOWN):
        raise ValidationError(_("Direction inconnue."))
    siblings = list(question.section.questions.order_by("order", "pk"))
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == question.pk)
    target = index - 1 if direction == UP else index + 1
    if not 0 <= target < len(siblings):
        raise ValidationError(
            _("Cette question est déjà en tête de sa section.")
            if direction == UP
            else _("Cette question est déjà la dernière de sa section.")
        )
    siblings[index], siblings[target] = siblings[target], siblings[index]
    for order, sibling in enumerate(siblings):
        if sibling.order != order:
            Question.objects.filter(pk=sibling.pk).update(order=order)
    try:
        _check_conditions(version)
    except ValidationError as error:
        raise ValidationError(error.messages) from None
    _record(version, acting_user, change="question déplacée", question=question.key)
    question.refresh_from_db()
    return question


# --- Grid criteria --------------------------------------------------------------------


@dataclass
class CriterionRow:
    """One row of the grid form: ``criterion`` is None for a new row."""

    label: str
    help_text: str = ""
    descriptors: list[str] | None = None
    criterion: Criterion | None = None
    delete: bool = False


@transaction.atomic
def save_criteria(*, question: Question, acting_user, rows: list[CriterionRow]) -> list[Criterion]:
    """The criteria of a maturity grid, in the order of ``rows``: existing criteria keep
    their key (progression still matches them), new ones get a new key, rows marked
    ``delete`` go away. One descriptor per level."""
    version = _locked(question.version)
    if question.kind != QuestionKind.GRID:
        raise ValidationError(_("Seule une grille de maturité a des critères."))
    levels = question.choices.count()
    existing = {criterion.pk: criterion for criterion in question.criteria.all()}
    kept = []
    deleted = []
    for row in rows:
        if row.criterion is not None and row.criterion.pk not in existing:
            raise ValidationError(_("Ce critère n'appartient pas à cette grille."))
        if row.delete:
            if row.criterion is not None:
                deleted.append(row.criterion.pk)
            continue
        label = (row.label or "").strip()
        if not label:
            raise ValidationError({"label": _("Donnez un libellé à chaque critère.")})
        kept.append((row, label))
    if not kept:
        raise ValidationError(_("Gardez au moins un critère dans la grille."))
    Criterion.objects.filter(pk__in=deleted).delete()
    saved = []
    for order, (row, label) in enumerate(kept):
        descriptors = [(text or "").strip() for text in (row.descriptors or [])]
        descriptors = (descriptors + [""] * levels)[:levels]
        if row.criterion is None:
            criterion = Criterion.objects.create(
                organisation=version.organisation,
                question=question,
                label=label,
                help_text=row.help_text or "",
                descriptors=descriptors,
                order=order,
            )
        else:
            criterion = existing[row.criterion.pk]
            criterion.label = label
            criterion.help_text = row.help_text or ""
            criterion.descriptors = descriptors
            criterion.order = order
            criterion.save(update_fields=["label", "help_text", "descriptors", "order"])
        saved.append(criterion)
    _record(version, acting_user, change="grille modifiée", question=question.key)
    return saved
