"""One answer as the forms read it and the services store it: ``AnswerValue``, the
name of its form field, its validation, and the conditions that show or hide a question.

Shared by the answering forms (parsing a POST), the services (storing, detecting a
concurrent change, checking required answers) and the anonymous drafts (kept as JSON).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from evaluation.models import (
    LONG_TEXT_MAX,
    SHORT_TEXT_MAX,
    Answer,
    Criterion,
    Question,
    QuestionKind,
)


def field_name(question: Question | int, criterion: Criterion | int | None = None) -> str:
    """``q12`` for a question, ``q12_c3`` for a criterion of a maturity grid."""
    question_id = question if isinstance(question, int) else question.pk
    if criterion is None:
        return f"q{question_id}"
    criterion_id = criterion if isinstance(criterion, int) else criterion.pk
    return f"q{question_id}_c{criterion_id}"


@dataclass
class AnswerValue:
    """What a person gave for one question (or one criterion of a grid)."""

    question: Question
    criterion: Criterion | None = None
    number: float | None = None
    choices: list[int] = field(default_factory=list)
    text: str = ""
    date: date | None = None
    comment: str = ""
    # The revision of the stored answer the person started from (0: none stored).
    seen_revision: int = 0

    @property
    def name(self) -> str:
        return field_name(self.question, self.criterion)

    @property
    def is_empty(self) -> bool:
        return (
            self.number is None
            and not self.choices
            and not self.text.strip()
            and self.date is None
            and not self.comment.strip()
        )

    @property
    def has_answer(self) -> bool:
        """Answered for the "required" check (a grid comment alone is not a level)."""
        return (
            self.number is not None
            or bool(self.choices)
            or bool(self.text.strip())
            or self.date is not None
        )

    def as_json(self) -> dict:
        data: dict = {}
        if self.number is not None:
            data["number"] = self.number
        if self.choices:
            data["choices"] = list(self.choices)
        if self.text:
            data["text"] = self.text
        if self.date is not None:
            data["date"] = self.date.isoformat()
        if self.comment:
            data["comment"] = self.comment
        return data

    @classmethod
    def from_json(cls, question, criterion, data: dict) -> AnswerValue:
        return cls(
            question=question,
            criterion=criterion,
            number=data.get("number"),
            choices=list(data.get("choices", [])),
            text=data.get("text", ""),
            date=date.fromisoformat(data["date"]) if data.get("date") else None,
            comment=data.get("comment", ""),
        )

    @classmethod
    def from_answer(cls, answer: Answer) -> AnswerValue:
        return cls(
            question=answer.question,
            criterion=answer.criterion,
            number=answer.number,
            choices=list(answer.choices),
            text=answer.text,
            date=answer.date,
            comment=answer.comment,
            seen_revision=answer.revision,
        )

    def same_as(self, other: AnswerValue | None) -> bool:
        if other is None:
            return self.is_empty
        return self.as_json() == other.as_json()

    def display(self) -> str:
        """The answer as a person reads it (plain text, for history and exports)."""
        return display_value(self.question, self.as_json())


def display_value(question: Question, data: dict) -> str:
    """Plain-text rendering of a stored value (choices by label, oui / non…)."""
    parts = []
    if question.kind == QuestionKind.YES_NO and data.get("number") is not None:
        parts.append(_("oui") if data["number"] else _("non"))
    elif question.has_choices and (data.get("choices") or data.get("number") is not None):
        labels = {choice.pk: choice.label for choice in question.choices.all()}
        by_value = {choice.value: choice.label for choice in question.choices.all()}
        if data.get("choices"):
            parts.append(", ".join(labels.get(pk, "?") for pk in data["choices"]))
        else:
            parts.append(by_value.get(int(data["number"]), str(data["number"])))
    elif data.get("number") is not None:
        number = data["number"]
        parts.append(str(int(number)) if float(number).is_integer() else str(number))
    if data.get("text"):
        parts.append(data["text"])
    if data.get("date"):
        parts.append(date.fromisoformat(data["date"]).strftime("%d/%m/%Y"))
    if data.get("comment"):
        parts.append(_("commentaire : %(comment)s") % {"comment": data["comment"]})
    return " — ".join(parts)


def validate(value: AnswerValue) -> list[str]:
    """French errors for a value outside what its question accepts."""
    question = value.question
    errors: list[str] = []
    kind = question.kind
    if (
        kind == QuestionKind.SCALE
        and value.number is not None
        and (
            not (question.scale_min <= value.number <= question.scale_max)
            or not float(value.number).is_integer()
        )
    ):
        errors.append(
            _("Choisissez une valeur entière entre %(min)s et %(max)s.")
            % {"min": question.scale_min, "max": question.scale_max}
        )
    if kind == QuestionKind.NUMBER and value.number is not None:
        if question.min_value is not None and value.number < question.min_value:
            errors.append(_("La valeur minimale est %(min)s.") % {"min": question.min_value})
        if question.max_value is not None and value.number > question.max_value:
            errors.append(_("La valeur maximale est %(max)s.") % {"max": question.max_value})
    if kind == QuestionKind.YES_NO and value.number not in (None, 0, 1):
        errors.append(_("Répondez par oui ou par non."))
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.GRID):
        allowed = {choice.pk: choice.value for choice in question.choices.all()}
        if any(choice not in allowed for choice in value.choices):
            errors.append(_("Ce choix ne fait pas partie des réponses proposées."))
        if kind != QuestionKind.MULTIPLE and len(value.choices) > 1:
            errors.append(_("Un seul choix est possible."))
        levels = set(allowed.values())
        if kind == QuestionKind.GRID and value.number is not None and value.number not in levels:
            errors.append(_("Ce niveau ne fait pas partie de la grille."))
    limit = LONG_TEXT_MAX if kind == QuestionKind.LONG_TEXT else SHORT_TEXT_MAX
    if len(value.text) > limit:
        errors.append(
            _(
                "Votre réponse compte %(count)s caractères ; la limite est de %(limit)s. "
                "Raccourcissez-la (rien n'a été enregistré pour cette question)."
            )
            % {
                "count": f"{len(value.text):,}".replace(",", "\u202f"),
                "limit": f"{limit:,}".replace(",", "\u202f"),
            }
        )
    if len(value.comment) > LONG_TEXT_MAX:
        errors.append(
            _("Le commentaire dépasse %(limit)s caractères.")
            % {"limit": f"{LONG_TEXT_MAX:,}".replace(",", "\u202f")}
        )
    return errors


def condition_met(question: Question, values: dict[int, AnswerValue]) -> bool:
    """Whether ``question`` is shown, given the answers so far ({question id: value} of
    non-grid questions). A question whose condition question is hidden is hidden too."""
    seen: set[int] = set()
    current = question
    while current.condition_question_id is not None:
        if current.pk in seen:  # a cycle cannot be built by the services; be safe
            return False
        seen.add(current.pk)
        trigger = values.get(current.condition_question_id)
        if trigger is None or not set(trigger_tokens(trigger)) & {
            str(token) for token in current.condition_values
        }:
            return False
        current = current.condition_question
    return True


def trigger_tokens(value: AnswerValue) -> list[str]:
    """The tokens a condition compares with: choice ids, "oui"/"non", scale values."""
    question = value.question
    if question.kind == QuestionKind.YES_NO and value.number is not None:
        return ["oui" if value.number else "non"]
    if value.choices:
        return [str(choice) for choice in value.choices]
    if value.number is not None:
        return [str(int(value.number))]
    return []
