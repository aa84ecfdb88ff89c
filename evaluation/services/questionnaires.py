"""Questionnaires and their versions: create, start a new version from the published
one, publish, copy between the library and programmes.

A published version is never changed again (its questions are what old responses
answered); every edit goes to the one draft version, which publishing makes current.
Keys of questions and criteria are kept from version to version and across copies, so
progression T0 → T1 → T2 compares the same criteria even if the grid was reworded.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
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
from organisations.models import Organisation
from organisations.services import record


def current_version(questionnaire: Questionnaire) -> QuestionnaireVersion | None:
    """The latest published version (what a new campaign answers), or None."""
    return (
        questionnaire.versions.filter(status=QuestionnaireVersion.Status.PUBLISHED)
        .order_by("-number")
        .first()
    )


def draft_version(questionnaire: Questionnaire) -> QuestionnaireVersion | None:
    return questionnaire.versions.filter(status=QuestionnaireVersion.Status.DRAFT).first()


@transaction.atomic
def create_questionnaire(
    *,
    organisation: Organisation,
    acting_user,
    title: str,
    description: str = "",
    purpose: str = Purpose.OTHER,
    programme=None,
    introduction: str = "",
) -> Questionnaire:
    """A new questionnaire with an empty draft version (v1)."""
    if programme is not None and programme.organisation_id != organisation.pk:
        raise ValidationError({"programme": _("Ce programme n'appartient pas à l'organisation.")})
    questionnaire = Questionnaire.objects.create(
        organisation=organisation,
        programme=programme,
        title=title,
        description=description,
        purpose=purpose,
        created_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
    )
    QuestionnaireVersion.objects.create(
        organisation=organisation, questionnaire=questionnaire, number=1, introduction=introduction
    )
    record(
        organisation=organisation,
        actor=acting_user,
        action=Action.QUESTIONNAIRE_CREATED,
        target=title,
        questionnaire=questionnaire.pk,
    )
    return questionnaire


@transaction.atomic
def start_new_version(*, questionnaire: Questionnaire, acting_user) -> QuestionnaireVersion:
    """The draft to edit: the existing one, or a copy of the latest published version
    numbered after it. Responses already given keep the version they answered."""
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    draft = draft_version(questionnaire)
    if draft is not None:
        return draft
    source = current_version(questionnaire)
    number = (questionnaire.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    draft = QuestionnaireVersion.objects.create(
        organisation=questionnaire.organisation,
        questionnaire=questionnaire,
        number=number,
        introduction=source.introduction if source else "",
    )
    if source is not None:
        copy_version_content(source=source, target=draft)
    record(
        organisation=questionnaire.organisation,
        actor=acting_user,
        action=Action.VERSION_STARTED,
        target=str(questionnaire),
        questionnaire=questionnaire.pk,
        version=number,
    )
    return draft


def validate_publishable(version: QuestionnaireVersion) -> None:
    """French errors for a draft that cannot be answered yet."""
    questions = list(version.questions.prefetch_related("choices", "criteria"))
    errors = []
    if not questions:
        errors.append(_("Ajoutez au moins une question avant de publier."))
    for question in questions:
        if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) and (
            len(question.choices.all()) < 2
        ):
            errors.append(
                _("« %(label)s » : proposez au moins deux choix.") % {"label": question.label}
            )
        if question.kind == QuestionKind.GRID:
            if len(question.choices.all()) < 2:
                errors.append(
                    _("« %(label)s » : la grille doit avoir au moins deux niveaux.")
                    % {"label": question.label}
                )
            if not question.criteria.all():
                errors.append(
                    _("« %(label)s » : la grille doit avoir au moins un critère.")
                    % {"label": question.label}
                )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def publish_version(*, version: QuestionnaireVersion, acting_user) -> QuestionnaireVersion:
    version = QuestionnaireVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_published:
        raise ValidationError(_("Cette version est déjà publiée."))
    validate_publishable(version)
    version.status = QuestionnaireVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = acting_user if getattr(acting_user, "is_authenticated", False) else None
    version.save(update_fields=["status", "published_at", "published_by"])
    record(
        organisation=version.organisation,
        actor=acting_user,
        action=Action.VERSION_PUBLISHED,
        target=str(version.questionnaire),
        questionnaire=version.questionnaire_id,
        version=version.number,
    )
    return version


@transaction.atomic
def discard_draft(*, version: QuestionnaireVersion, acting_user) -> None:
    """Drop a draft version (never the first one while nothing is published)."""
    version = QuestionnaireVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_published:
        raise ValidationError(_("Une version publiée ne peut pas être supprimée."))
    if current_version(version.questionnaire) is None:
        raise ValidationError(_("C'est la seule version de ce questionnaire."))
    record(
        organisation=version.organisation,
        actor=acting_user,
        action=Action.VERSION_DISCARDED,
        target=str(version.questionnaire),
        version=version.number,
    )
    version.delete()


def ensure_editable(version: QuestionnaireVersion) -> None:
    """Every change of content goes through here: a published version is immutable."""
    if version.is_published:
        raise ValidationError(
            _(
                "Cette version est publiée et ne peut plus changer : créez une nouvelle "
                "version pour modifier le questionnaire."
            )
        )


def copy_version_content(*, source: QuestionnaireVersion, target: QuestionnaireVersion) -> None:
    """Copy sections, questions (keys kept), choices, criteria and conditions of
    ``source`` into the empty ``target`` (both of one organisation)."""
    organisation = target.organisation
    sections = {}
    for section in source.sections.all():
        sections[section.pk] = Section.objects.create(
            organisation=organisation,
            version=target,
            title=section.title,
            description=section.description,
            order=section.order,
        )
    questions: dict[int, Question] = {}
    conditions = []
    source_questions = source.questions.prefetch_related("choices", "criteria").order_by(
        "section__order", "order", "pk"
    )
    for question in source_questions:
        copy = Question.objects.create(
            organisation=organisation,
            version=target,
            section=sections[question.section_id],
            key=question.key,
            order=question.order,
            kind=question.kind,
            label=question.label,
            help_text=question.help_text,
            required=question.required,
            scale_min=question.scale_min,
            scale_max=question.scale_max,
            min_label=question.min_label,
            max_label=question.max_label,
            min_value=question.min_value,
            max_value=question.max_value,
            satisfaction=question.satisfaction,
            confidential=question.confidential,
            condition_values=question.condition_values,
        )
        questions[question.pk] = copy
        if question.condition_question_id:
            conditions.append((copy, question))
        choice_ids = {}
        for choice in question.choices.all():
            new = Choice.objects.create(
                organisation=organisation, question=copy, label=choice.label, value=choice.value
            )
            choice_ids[str(choice.pk)] = str(new.pk)
        Criterion.objects.bulk_create(
            [
                Criterion(
                    organisation=organisation,
                    question=copy,
                    key=criterion.key,
                    label=criterion.label,
                    help_text=criterion.help_text,
                    descriptors=criterion.descriptors,
                    order=criterion.order,
                )
                for criterion in question.criteria.all()
            ]
        )
        copy._choice_ids = choice_ids
    for copy, question in conditions:
        trigger = questions[question.condition_question_id]
        mapping = getattr(trigger, "_choice_ids", {})
        copy.condition_question = trigger
        # Conditions on choices name choice ids: translate them to the new choices.
        copy.condition_values = [
            mapping.get(str(value), str(value)) for value in question.condition_values
        ]
        copy.save(update_fields=["condition_question", "condition_values"])


@transaction.atomic
def copy_questionnaire(
    *, questionnaire: Questionnaire, acting_user, programme=None, title: str = ""
) -> Questionnaire:
    """A copy of the latest published version (or of the draft when nothing is
    published yet) as v1 of a new questionnaire of ``programme`` (or of the library when
    None): published, ready for a campaign, when the source was published."""
    organisation = questionnaire.organisation
    if programme is not None and programme.organisation_id != organisation.pk:
        raise ValidationError({"programme": _("Ce programme n'appartient pas à l'organisation.")})
    source = current_version(questionnaire) or draft_version(questionnaire)
    copy = Questionnaire.objects.create(
        organisation=organisation,
        programme=programme,
        title=title or questionnaire.title,
        description=questionnaire.description,
        purpose=questionnaire.purpose,
        copied_from=questionnaire,
        template_code=questionnaire.template_code,
        created_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
    )
    version = QuestionnaireVersion.objects.create(
        organisation=organisation,
        questionnaire=copy,
        number=1,
        introduction=source.introduction if source else "",
    )
    if source is not None:
        copy_version_content(source=source, target=version)
        if source.is_published:
            version.status = QuestionnaireVersion.Status.PUBLISHED
            version.published_at = timezone.now()
            version.published_by = copy.created_by
            version.save(update_fields=["status", "published_at", "published_by"])
    record(
        organisation=organisation,
        actor=acting_user,
        action=Action.QUESTIONNAIRE_COPIED,
        target=copy.title,
        source=questionnaire.pk,
        questionnaire=copy.pk,
        programme=programme.pk if programme else None,
    )
    return copy
