"""The answering form: a questionnaire version's questions, read from a POST into
``AnswerValue`` objects and laid out for the templates (every kind, accessibly).

Not a Django ``Form``: the fields come from the version's questions, a grid gives one
field per criterion, an autosave posts one question only, and each field carries the
revision of the stored answer the person saw (hidden ``rev_<field name>`` inputs) so
the services can detect a concurrent change.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluation.answer_values import AnswerValue, condition_met, display_value, field_name
from evaluation.models import (
    LONG_TEXT_MAX,
    SHORT_TEXT_MAX,
    Criterion,
    Question,
    QuestionKind,
    QuestionnaireVersion,
    Section,
)
from sillon.formatting import format_moment, format_time, local

# Kinds whose fields are groups of radio buttons or checkboxes (fieldset + legend).
GROUP_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.SCALE, QuestionKind.YES_NO)
HISTORY_LIMIT = 20


def load_sections(version: QuestionnaireVersion) -> list[Section]:
    """The version's sections with their questions (``section.question_list``), choices
    and criteria, in three queries; each question's condition question is the loaded
    object, so walking conditions costs nothing."""
    questions = Question.objects.filter(version=version).prefetch_related("choices", "criteria")
    sections = list(
        Section.objects.filter(version=version)
        .order_by("order", "pk")
        .prefetch_related(
            Prefetch(
                "questions", queryset=questions.order_by("order", "pk"), to_attr="question_list"
            )
        )
    )
    by_id = {question.pk: question for section in sections for question in section.question_list}
    for question in by_id.values():
        question.version = version
        trigger = by_id.get(question.condition_question_id)
        if trigger is not None:
            question.condition_question = trigger
    return sections


def _int(raw: str) -> int | None:
    try:
        return int(raw.strip())
    except ValueError:
        return None


def _number(raw: str) -> float | None:
    cleaned = raw.strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    try:
        number = float(cleaned.replace(",", "."))
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _date(raw: str) -> date | None:
    raw = raw.strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"):
        try:
            return datetime.strptime(raw, pattern).date()
        except ValueError:
            continue
    return None


def _text(raw: str) -> str:
    return raw.replace("\r\n", "\n").strip()


def digest(value: AnswerValue | None) -> str:
    """A short fingerprint of the value a page showed (hidden ``seen_<name>``): a full
    form post leaves alone the fields the person did not change, so another member's
    change since is neither overwritten nor reported as a conflict."""
    data = value.as_json() if value is not None else {}
    if "number" in data:
        data["number"] = float(data["number"])
    encoded = json.dumps(data, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(encoded).hexdigest()[:16]


@dataclass
class Parsed:
    """What a POST gave: values to save, parsing errors by field (nothing saved for
    them), and the raw text typed in each field (to show it back)."""

    values: list[AnswerValue] = field(default_factory=list)
    errors: dict[str, list[str]] = field(default_factory=dict)
    raw: dict[str, str] = field(default_factory=dict)
    names: set[str] = field(default_factory=set)  # every field present in the POST
    seen: dict[str, str] = field(default_factory=dict)  # posted ``seen_<name>`` digests
    revisions: dict[str, int] = field(default_factory=dict)  # posted ``rev_<name>``


class AnswerForm:
    """The fields of a version: ``q<id>`` per question, ``q<id>_c<id>`` per criterion of
    a grid (with ``<name>_comment``), and ``rev_<name>`` for the revision seen."""

    def __init__(self, version: QuestionnaireVersion):
        self.version = version
        self.sections = load_sections(version)
        self.questions = [q for section in self.sections for q in section.question_list]
        self.question_by_id = {question.pk: question for question in self.questions}
        # {field name: (question, criterion or None)}
        self.fields: dict[str, tuple[Question, Criterion | None]] = {}
        for question in self.questions:
            if question.kind == QuestionKind.GRID:
                for criterion in question.criteria.all():
                    self.fields[field_name(question, criterion)] = (question, criterion)
            else:
                self.fields[field_name(question)] = (question, None)

    def field_names(self, question: Question) -> list[str]:
        if question.kind == QuestionKind.GRID:
            return [field_name(question, criterion) for criterion in question.criteria.all()]
        return [field_name(question)]

    def rebind(self, values: dict[str, AnswerValue]) -> dict[str, AnswerValue]:
        """``values`` (from the services, with their own question objects) on this
        form's questions, so displaying them costs no query."""
        bound = {}
        for name, value in values.items():
            if name not in self.fields:
                continue
            question, criterion = self.fields[name]
            value.question, value.criterion = question, criterion
            bound[name] = value
        return bound

    # --- Reading a POST ----------------------------------------------------------------

    def parse(self, data, *, replace: dict[str, int] | None = None) -> Parsed:
        """The values of the fields present in ``data`` (an autosave posts one
        question: the others are left alone). ``replace`` ({field name: revision}) is
        "replace with mine" after a conflict: the revision the person has now seen."""
        parsed = Parsed()
        replace = replace or {}
        for name, (question, criterion) in self.fields.items():
            present = f"rev_{name}" in data or name in data or f"{name}_comment" in data
            if not present:
                continue
            parsed.names.add(name)
            value = AnswerValue(question=question, criterion=criterion)
            revision = _int(data.get(f"rev_{name}", "0") or "0")
            value.seen_revision = replace.get(name, revision if revision and revision > 0 else 0)
            parsed.revisions[name] = value.seen_revision
            error = self._read(question, criterion, name, data, value, parsed.raw)
            seen = data.get(f"seen_{name}")
            if seen:
                parsed.seen[name] = seen
            if error:
                parsed.errors[name] = [error]
                continue
            if seen and seen == digest(value) and name not in replace:
                continue  # untouched since the page showed it
            parsed.values.append(value)
        return parsed

    def _read(self, question, criterion, name, data, value: AnswerValue, raw: dict) -> str | None:
        kind = question.kind
        if kind == QuestionKind.MULTIPLE:
            picked = [_int(item) for item in data.getlist(name) if item.strip()]
            if any(item is None for item in picked):
                return _("Ce choix ne fait pas partie des réponses proposées.")
            value.choices = sorted(set(picked))
            return None
        typed = data.get(name, "")
        if kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
            raw[name] = typed
            value.text = _text(typed)
            return None
        if kind == QuestionKind.GRID:
            comment = data.get(f"{name}_comment", "")
            raw[f"{name}_comment"] = comment
            value.comment = _text(comment)
        if not typed.strip():
            return None
        raw[name] = typed
        if kind == QuestionKind.SINGLE:
            picked = _int(typed)
            if picked is None:
                return _("Ce choix ne fait pas partie des réponses proposées.")
            value.choices = [picked]
            chosen = next((c for c in question.choices.all() if c.pk == picked), None)
            if chosen is not None:
                value.number = float(chosen.value)
            return None
        if kind == QuestionKind.YES_NO:
            if typed.strip() not in ("0", "1"):
                return _("Répondez par oui ou par non.")
            value.number = float(typed.strip())
            return None
        if kind == QuestionKind.GRID:
            level = _int(typed)
            if level is None:
                return _("Ce niveau ne fait pas partie de la grille.")
            value.number = float(level)
            return None
        if kind == QuestionKind.DATE:
            value.date = _date(typed)
            if value.date is None:
                return _("Saisissez une date valide, par exemple 04/12/2026.")
            return None
        number = _number(typed)
        if number is None:
            if kind == QuestionKind.SCALE:
                return _("Choisissez une valeur entière entre %(min)s et %(max)s.") % {
                    "min": question.scale_min,
                    "max": question.scale_max,
                }
            return _("Saisissez un nombre, par exemple 12 ou 3,5.")
        value.number = number
        return None

    # --- Laying it out -----------------------------------------------------------------

    def layout(self, **kwargs) -> list[dict]:
        """Sections with their question views, for the answering page."""
        state = FormState(self, **kwargs)
        result = []
        for section in self.sections:
            views = [state.question_view(question) for question in section.question_list]
            result.append({"section": section, "questions": views})
        return result

    def question_view(self, question: Question, **kwargs) -> QuestionView:
        return FormState(self, **kwargs).question_view(question)


@dataclass
class Option:
    value: str
    label: str
    id: str
    checked: bool
    descriptor: str = ""


@dataclass
class FieldView:
    """One field (a question, or a criterion of a grid) as the template shows it."""

    name: str
    question: Question
    criterion: Criterion | None
    value: AnswerValue | None
    display: str
    text: str  # what the text / number / date input shows
    comment: str
    options: list[Option]
    revision: int
    seen: str
    errors: list[str]
    conflict: dict | None
    last_change: str
    history: list[dict]

    @property
    def question_name(self) -> str:
        return field_name(self.question)

    @property
    def maxlength(self) -> int:
        return text_limit(self.question)

    @property
    def anchor(self) -> str:
        """The id the error summary links to (the first input of a group)."""
        if self.options:
            return self.options[0].id
        return self.name

    @property
    def described_by(self) -> str:
        ids = []
        if self.question.help_text and self.criterion is None:
            ids.append(f"{field_name(self.question)}-help")
        if self.criterion is not None and self.criterion.help_text:
            ids.append(f"{self.name}-help")
        ids.append(f"{self.name}-error")
        return " ".join(ids)


@dataclass
class QuestionView:
    question: Question
    name: str
    fields: list[FieldView]
    shown: bool
    condition_note: str
    condition_trigger: str
    condition_tokens: str
    answered: bool
    params: str  # the POST names an autosave of this question sends

    @property
    def errors(self) -> bool:
        return any(f.errors for f in self.fields)

    @property
    def is_group(self) -> bool:
        return self.question.kind in GROUP_KINDS


def _name_of(user) -> str:
    if user is None:
        return _("Une personne")
    return user.get_full_name() or user.email


class FormState:
    """Everything that decides how a field looks: the stored values, what was typed,
    errors, conflicts, who changed what."""

    def __init__(
        self,
        form: AnswerForm,
        *,
        values: dict[str, AnswerValue],
        organisation,
        raw: dict[str, str] | None = None,
        typed: dict[str, AnswerValue] | None = None,
        errors: dict[str, list[str]] | None = None,
        conflicts: dict | None = None,
        answers: dict | None = None,
        history: dict | None = None,
        seen: dict[str, str] | None = None,
        revisions: dict[str, int] | None = None,
    ):
        self.form = form
        self.values = values
        self.organisation = organisation
        self.raw = raw or {}
        self.typed = typed or {}
        self.errors = errors or {}
        self.conflicts = conflicts or {}
        self.answers = answers or {}  # {field name: Answer} (updated_by loaded)
        self.history = history or {}  # {field name: [AnswerChange]}
        self.seen = seen or {}
        self.revisions = revisions or {}
        self.by_question = {
            value.question.pk: value
            for value in values.values()
            if value.criterion is None and value.has_answer
        }

    def question_view(self, question: Question) -> QuestionView:
        names = self.form.field_names(question)
        fields = [self.field_view(name) for name in names]
        note, trigger, tokens = self._condition(question)
        if question.kind == QuestionKind.GRID:
            answered = bool(fields) and all(
                self.values.get(f.name) is not None and self.values[f.name].has_answer
                for f in fields
            )
        else:
            stored = self.values.get(names[0])
            answered = stored is not None and stored.has_answer
        params = []
        for name in names:
            params += [name, f"rev_{name}", f"seen_{name}"]
            if question.kind == QuestionKind.GRID:
                params.append(f"{name}_comment")
        return QuestionView(
            question=question,
            name=field_name(question),
            fields=fields,
            shown=condition_met(question, self.by_question),
            condition_note=note,
            condition_trigger=trigger,
            condition_tokens=tokens,
            answered=answered,
            params=",".join(params),
        )

    def _condition(self, question: Question) -> tuple[str, str, str]:
        trigger = question.condition_question
        if trigger is None:
            return "", "", ""
        labels = {str(choice.pk): choice.label for choice in trigger.choices.all()}
        labels.update({"oui": _("oui"), "non": _("non")})
        wanted = [str(token) for token in question.condition_values]
        note = _(
            "À remplir si vous avez répondu « %(answers)s » à la question « %(question)s »."
        ) % {
            "answers": _(" » ou « ").join(labels.get(token, token) for token in wanted),
            "question": trigger.label,
        }
        # The values of the trigger's inputs that show this question (for answer.js).
        tokens = [{"oui": "1", "non": "0"}.get(token, token) for token in wanted]
        return note, field_name(trigger), " ".join(tokens)

    def field_view(self, name: str) -> FieldView:
        question, criterion = self.form.fields[name]
        stored = self.values.get(name)
        shown_value = self.typed.get(name, stored)
        answer = self.answers.get(name)
        revision = answer.revision if answer is not None else 0
        seen = digest(stored)
        if name in self.conflicts or name in self.errors:
            # Not saved: the person still works from what they saw before.
            revision = self.revisions.get(name, revision)
            seen = self.seen.get(name, seen)
        text = ""
        if name in self.raw:
            text = self.raw[name]
        elif shown_value is not None:
            text = self._input_text(question, shown_value)
        comment = self.raw.get(
            f"{name}_comment", shown_value.comment if shown_value is not None else ""
        )
        picked = self._picked(question, shown_value, self.raw.get(name))
        conflict = self.conflicts.get(name)
        return FieldView(
            name=name,
            question=question,
            criterion=criterion,
            value=stored,
            display=display_value(question, stored.as_json()) if stored is not None else "",
            text=text,
            comment=comment,
            options=self._options(question, criterion, name, picked),
            revision=revision,
            seen=seen,
            errors=self.errors.get(name, []),
            conflict=self._conflict(conflict) if conflict is not None else None,
            last_change=self._last_change(answer),
            history=[self._change(change, question) for change in self.history.get(name, [])][
                :HISTORY_LIMIT
            ],
        )

    @staticmethod
    def _input_text(question, value: AnswerValue) -> str:
        if question.kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
            return value.text
        if question.kind == QuestionKind.DATE:
            return value.date.isoformat() if value.date else ""
        if question.kind == QuestionKind.NUMBER and value.number is not None:
            number = value.number
            return str(int(number)) if float(number).is_integer() else str(number)
        return ""

    @staticmethod
    def _picked(question, value: AnswerValue | None, raw: str | None) -> set[str]:
        if value is None:
            return {raw} if raw else set()
        kind = question.kind
        if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            return {str(choice) for choice in value.choices}
        if value.number is not None:
            return {str(int(value.number)) if float(value.number).is_integer() else ""}
        return set()

    @staticmethod
    def _options(question, criterion, name, picked) -> list[Option]:
        kind = question.kind
        if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            return [
                Option(str(c.pk), c.label, f"{name}-{c.pk}", str(c.pk) in picked)
                for c in question.choices.all()
            ]
        if kind == QuestionKind.YES_NO:
            return [
                Option("1", _("Oui"), f"{name}-1", "1" in picked),
                Option("0", _("Non"), f"{name}-0", "0" in picked),
            ]
        if kind == QuestionKind.SCALE:
            options = []
            for number in question.scale_values:
                label = str(number)
                if number == question.scale_min and question.min_label:
                    label = f"{number} — {question.min_label}"
                elif number == question.scale_max and question.max_label:
                    label = f"{number} — {question.max_label}"
                options.append(
                    Option(str(number), label, f"{name}-{number}", str(number) in picked)
                )
            return options
        if kind == QuestionKind.GRID:
            return [
                Option(
                    str(level.value),
                    _("Niveau %(value)s · %(label)s")
                    % {"value": level.value, "label": level.label},
                    f"{name}-{level.value}",
                    str(level.value) in picked,
                    criterion.descriptor(level.value) if criterion is not None else "",
                )
                for level in question.choices.all()
            ]
        return []

    def _moment(self, when) -> str:
        return format_moment(when, self.organisation) if when else ""

    def _last_change(self, answer) -> str:
        if answer is None or answer.updated_at is None:
            return ""
        return _("modifié par %(name)s le %(when)s") % {
            "name": _name_of(answer.updated_by),
            "when": self._moment(answer.updated_at),
        }

    def _change(self, change, question) -> dict:
        before = display_value(question, change.before) if change.before else ""
        after = display_value(question, change.after) if change.after else ""
        return {
            "who": _name_of(change.user),
            "when": self._moment(change.changed_at),
            "before": before,
            "after": after,
        }

    def _conflict(self, conflict) -> dict:
        question = conflict.mine.question
        when = ""
        if conflict.at is not None:
            moment = local(conflict.at, self.organisation.time_zone)
            today = local(timezone.now(), self.organisation.time_zone).date()
            if moment.date() == today:
                when = _("à %(time)s") % {"time": format_time(moment)}
            else:
                when = _("le %(when)s") % {"when": self._moment(conflict.at)}
        return {
            "by": _name_of(conflict.by),
            "when": when,
            "theirs": display_value(question, conflict.theirs.as_json()) or _("(vide)"),
            "mine": display_value(question, conflict.mine.as_json()) or _("(vide)"),
            "revision": conflict.theirs.seen_revision,
        }


def progress(form: AnswerForm, values: dict[str, AnswerValue]) -> dict:
    """How many of the questions shown are answered (a grid: every criterion), and how
    many criteria of the grids shown have a level: a grid answered row by row moves the
    progress bar, which counts every field (a question, or a criterion of a grid)."""
    state = FormState(form, values=values, organisation=None)
    shown = [q for q in form.questions if condition_met(q, state.by_question)]
    answered = criteria_answered = criteria_total = fields_answered = fields_total = 0
    for question in shown:
        names = form.field_names(question)
        done = sum(1 for n in names if values.get(n) is not None and values[n].has_answer)
        if names and done == len(names):
            answered += 1
        fields_answered += done
        fields_total += len(names)
        if question.kind == QuestionKind.GRID:
            criteria_answered += done
            criteria_total += len(names)
    total = len(shown)
    return {
        "answered": answered,
        "total": total,
        "percent": round(100 * fields_answered / fields_total) if fields_total else 100,
        "fields_answered": fields_answered,
        "fields_total": fields_total,
        "criteria_answered": criteria_answered,
        "criteria_total": criteria_total,
    }


def text_limit(question: Question) -> int:
    return LONG_TEXT_MAX if question.kind == QuestionKind.LONG_TEXT else SHORT_TEXT_MAX
