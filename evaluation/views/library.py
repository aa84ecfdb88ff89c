"""The questionnaire library and builder (coordinators): the organisation's
questionnaires and those of its programmes, the templates shipped with Sillon, and the
builder of a questionnaire's draft version.

A published version never changes: the builder only ever edits the draft, looked up by
``draft_version``; a section or question of a published version is not found (404),
and without a draft the builder pages send the coordinator to the questionnaire's page
to start a new version. Thin views: a form parses, a service writes, the page redirects
with a message in French."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from evaluation import services
from evaluation.access import (
    get_question_or_404,
    get_questionnaire_or_404,
    get_section_or_404,
    get_version_or_404,
)
from evaluation.forms.builder import (
    CopyForm,
    CriterionFormSet,
    LibraryFilterForm,
    QuestionForm,
    QuestionnaireForm,
    SectionForm,
    add_service_errors,
)
from evaluation.models import (
    Purpose,
    QuestionKind,
    Questionnaire,
    QuestionnaireVersion,
    Response,
)
from evaluation.services import builder
from evaluation.shipped import TEMPLATES, install_template
from organisations.access import organisation_view
from sillon.formatting import format_moment

MANAGE = "evaluation.manage"
PER_PAGE = 25


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _to_detail(questionnaire):
    return redirect(
        "evaluation:questionnaire_detail", questionnaire.organisation.slug, questionnaire.pk
    )


def _to_builder(questionnaire, anchor=""):
    response = redirect("evaluation:draft_edit", questionnaire.organisation.slug, questionnaire.pk)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


def _draft(request, organisation, questionnaire_id):
    """(questionnaire, draft, None) or (questionnaire, None, a redirect to the
    questionnaire's page explaining that a published version does not change)."""
    questionnaire = get_questionnaire_or_404(organisation, questionnaire_id)
    draft = services.draft_version(questionnaire)
    if draft is None:
        messages.warning(
            request,
            _(
                "La dernière version de « %(title)s » est publiée : elle ne change plus, car "
                "des réponses peuvent s'y rapporter. Créez une nouvelle version pour modifier "
                "le questionnaire."
            )
            % {"title": questionnaire.title},
        )
        return questionnaire, None, _to_detail(questionnaire)
    return questionnaire, draft, None


def _preview(version: QuestionnaireVersion) -> list:
    """The sections of ``version`` with their questions (choices, criteria, condition
    summaries) in a fixed number of queries."""
    sections = list(version.sections.order_by("order", "pk"))
    questions = list(
        version.questions.select_related("section")
        .prefetch_related("choices", "criteria")
        .order_by("section__order", "section_id", "order", "pk")
    )
    by_pk = {question.pk: question for question in questions}
    by_section = {section.pk: [] for section in sections}
    for question in questions:
        if question.condition_question_id in by_pk:
            question.condition_question = by_pk[question.condition_question_id]
        question.condition_summary = builder.describe_condition(question)
        question.levels = list(question.choices.all()) if question.is_grid else []
        question.rows = [
            (criterion, [criterion.descriptor(level.value) for level in question.levels])
            for criterion in question.criteria.all()
        ]
        by_section[question.section_id].append(question)
    for section in sections:
        section.question_list = by_section[section.pk]
        for index, question in enumerate(section.question_list):
            question.is_first = index == 0
            question.is_last = index == len(section.question_list) - 1
    return sections


def _version_label(version, organisation) -> str:
    if version.is_published and version.published_at:
        return _("Version %(number)s, publiée le %(when)s") % {
            "number": version.number,
            "when": format_moment(version.published_at, organisation),
        }
    if version.is_published:
        return _("Version %(number)s, publiée") % {"number": version.number}
    return _("Version %(number)s, brouillon") % {"number": version.number}


# --- The library ----------------------------------------------------------------------


@organisation_view(MANAGE)
def questionnaire_list(request, organisation):
    form = LibraryFilterForm(request.GET or None, organisation=organisation)
    latest = QuestionnaireVersion.objects.filter(questionnaire=OuterRef("pk")).order_by("-number")
    questionnaires = (
        Questionnaire.objects.filter(organisation=organisation)
        .select_related("programme")
        .annotate(
            campaign_count=Count("campaigns", distinct=True),
            latest_number=Subquery(latest.values("number")[:1]),
            latest_status=Subquery(latest.values("status")[:1]),
        )
        .order_by(F("programme__start_date").desc(nulls_first=True), "programme_id", "title", "pk")
    )
    show_archived = False
    if form.is_valid():
        data = form.cleaned_data
        if data["purpose"]:
            questionnaires = questionnaires.filter(purpose=data["purpose"])
        if data["place"] == LibraryFilterForm.LIBRARY:
            questionnaires = questionnaires.filter(programme__isnull=True)
        elif data["place"]:
            questionnaires = questionnaires.filter(programme_id=int(data["place"]))
        show_archived = data["archived"]
    if not show_archived:
        questionnaires = questionnaires.filter(archived=False)
    page = Paginator(questionnaires, PER_PAGE).get_page(request.GET.get("page"))
    statuses = dict(QuestionnaireVersion.Status.choices)
    for questionnaire in page:
        questionnaire.latest_status_label = statuses.get(questionnaire.latest_status, "")
    return render(
        request,
        "evaluation/library/questionnaire_list.html",
        {"page": page, "form": form, "template_count": len(TEMPLATES)},
    )


@organisation_view(MANAGE)
def template_list(request, organisation):
    if request.method == "POST":
        code = request.POST.get("code", "")
        if code not in TEMPLATES:
            messages.error(request, _("Ce modèle de questionnaire n'existe pas."))
            return redirect("evaluation:template_list", organisation.slug)
        questionnaire = install_template(
            organisation=organisation, code=code, acting_user=request.user
        )
        messages.success(
            request,
            _(
                "« %(title)s » est dans votre bibliothèque, publié et prêt pour une évaluation. "
                "Vous pouvez l'adapter en créant une nouvelle version."
            )
            % {"title": questionnaire.title},
        )
        return _to_detail(questionnaire)
    installed = set(
        Questionnaire.objects.filter(organisation=organisation)
        .exclude(template_code="")
        .values_list("template_code", flat=True)
    )
    purposes = dict(Purpose.choices)
    templates = [
        {
            "code": template.code,
            "title": template.title,
            "description": template.description,
            "purpose": purposes[template.purpose],
            "question_count": template.question_count,
            "sections": [section.title for section in template.sections],
            "installed": template.code in installed,
        }
        for template in TEMPLATES.values()
    ]
    return render(request, "evaluation/library/template_list.html", {"templates": templates})


@organisation_view(MANAGE)
def questionnaire_create(request, organisation):
    initial = {}
    programme_id = request.GET.get("programme", "")
    if programme_id.isdigit():
        initial["programme"] = int(programme_id)
    form = QuestionnaireForm(request.POST or None, organisation=organisation, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            questionnaire = services.create_questionnaire(
                organisation=organisation,
                acting_user=request.user,
                title=data["title"],
                description=data["description"],
                purpose=data["purpose"],
                programme=data["programme"],
                introduction=data["introduction"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Questionnaire « %(title)s » créé en brouillon : ajoutez ses sections et "
                    "ses questions, puis publiez-le."
                )
                % {"title": questionnaire.title},
            )
            return _to_builder(questionnaire)
    return render(request, "evaluation/library/questionnaire_form.html", {"form": form})


@organisation_view(MANAGE)
def questionnaire_edit(request, organisation, questionnaire_id):
    questionnaire = get_questionnaire_or_404(organisation, questionnaire_id)
    draft = services.draft_version(questionnaire)
    initial = {
        "title": questionnaire.title,
        "description": questionnaire.description,
        "purpose": questionnaire.purpose,
        "programme": questionnaire.programme_id,
        "introduction": draft.introduction if draft else "",
    }
    form = QuestionnaireForm(
        request.POST or None,
        organisation=organisation,
        initial=initial,
        with_introduction=draft is not None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            builder.update_questionnaire(
                questionnaire=questionnaire,
                acting_user=request.user,
                title=data["title"],
                description=data["description"],
                purpose=data["purpose"],
                programme=data["programme"],
                introduction=data.get("introduction") if draft else None,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Questionnaire enregistré."))
            return _to_detail(questionnaire)
    return render(
        request,
        "evaluation/library/questionnaire_form.html",
        {"form": form, "questionnaire": questionnaire, "draft": draft},
    )


@organisation_view(MANAGE)
def questionnaire_detail(request, organisation, questionnaire_id):
    questionnaire = get_questionnaire_or_404(organisation, questionnaire_id)
    versions = list(
        questionnaire.versions.select_related("published_by")
        .annotate(
            campaign_count=Count("campaigns", distinct=True),
            response_count=Count(
                "responses",
                filter=Q(responses__status=Response.Status.SUBMITTED),
                distinct=True,
            ),
        )
        .order_by("-number")
    )
    draft = next((version for version in versions if not version.is_published), None)
    current = next((version for version in versions if version.is_published), None)
    for version in versions:
        version.label = _version_label(version, organisation)
    shown = current or draft
    return render(
        request,
        "evaluation/library/questionnaire_detail.html",
        {
            "questionnaire": questionnaire,
            "versions": versions,
            "draft": draft,
            "current": current,
            "shown": shown,
            "sections": _preview(shown) if shown else [],
            "shown_label": _version_label(shown, organisation) if shown else "",
        },
    )


@organisation_view(MANAGE)
def questionnaire_copy(request, organisation, questionnaire_id):
    questionnaire = get_questionnaire_or_404(organisation, questionnaire_id)
    form = CopyForm(
        request.POST or None,
        organisation=organisation,
        initial={"title": _("%(title)s (copie)") % {"title": questionnaire.title}},
    )
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.copy_questionnaire(
                questionnaire=questionnaire,
                acting_user=request.user,
                programme=form.cleaned_data["programme"],
                title=form.cleaned_data["title"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            where = copy.programme.name if copy.programme else _("la bibliothèque")
            messages.success(
                request,
                _("Questionnaire copié dans %(where)s : « %(title)s ».")
                % {"where": where, "title": copy.title},
            )
            return _to_detail(copy)
    return render(
        request,
        "evaluation/library/questionnaire_copy.html",
        {"form": form, "questionnaire": questionnaire},
    )


@organisation_view(MANAGE)
@require_POST
def questionnaire_archive(request, organisation, questionnaire_id):
    questionnaire = get_questionnaire_or_404(organisation, questionnaire_id)
    archived = not questionnaire.archived
    builder.archive_questionnaire(
        questionnaire=questionnaire, acting_user=request.user, archived=archived
    )
    if archived:
        text = _(
            "« %(title)s » est archivé : il n'est plus proposé pour de nouvelles évaluations ; "
            "les évaluations et résultats existants ne changent pas."
        )
    else:
        text = _("« %(title)s » est de nouveau dans la bibliothèque.")
    messages.success(request, text % {"title": questionnaire.title})
    return _to_detail(questionnaire)


# --- Versions -------------------------------------------------------------------------


@organisation_view(MANAGE)
@require_POST
def version_new(request, organisation, questionnaire_id):
    questionnaire = get_questionnaire_or_404(organisation, questionnaire_id)
    existing = services.draft_version(questionnaire)
    draft = services.start_new_version(questionnaire=questionnaire, acting_user=request.user)
    if existing is None:
        messages.success(
            request,
            _(
                "Version %(number)s créée en brouillon, copie de la version publiée. Les "
                "réponses déjà données gardent leur version."
            )
            % {"number": draft.number},
        )
    return _to_builder(questionnaire)


@organisation_view(MANAGE)
@require_POST
def version_publish(request, organisation, questionnaire_id):
    questionnaire = get_questionnaire_or_404(organisation, questionnaire_id)
    draft = services.draft_version(questionnaire)
    if draft is None:
        messages.error(request, _("Il n'y a pas de brouillon à publier."))
        return _to_detail(questionnaire)
    try:
        services.publish_version(version=draft, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, _("La version n'est pas publiée :"))
        for message in error.messages:
            messages.error(request, message)
        return _to_builder(questionnaire)
    messages.success(
        request,
        _(
            "Version %(number)s publiée : les nouvelles évaluations l'utiliseront. Elle ne "
            "changera plus."
        )
        % {"number": draft.number},
    )
    return _to_detail(questionnaire)


@organisation_view(MANAGE)
@require_POST
def version_discard(request, organisation, questionnaire_id):
    questionnaire = get_questionnaire_or_404(organisation, questionnaire_id)
    draft = services.draft_version(questionnaire)
    if draft is None:
        messages.error(request, _("Il n'y a pas de brouillon à abandonner."))
        return _to_detail(questionnaire)
    try:
        services.discard_draft(version=draft, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request,
            _("Brouillon abandonné : la version %(number)s n'existe plus.")
            % {"number": draft.number},
        )
    return _to_detail(questionnaire)


@organisation_view(MANAGE)
def version_detail(request, organisation, questionnaire_id, version_id):
    questionnaire = get_questionnaire_or_404(organisation, questionnaire_id)
    version = get_version_or_404(organisation, questionnaire, version_id)
    response_count = Response.objects.filter(
        version=version, status=Response.Status.SUBMITTED
    ).count()
    return render(
        request,
        "evaluation/library/version_detail.html",
        {
            "questionnaire": questionnaire,
            "version": version,
            "version_label": _version_label(version, organisation),
            "response_count": response_count,
            "campaign_count": version.campaigns.count(),
            "sections": _preview(version),
        },
    )


# --- The builder ----------------------------------------------------------------------


@organisation_view(MANAGE)
def draft_edit(request, organisation, questionnaire_id):
    questionnaire, draft, leave = _draft(request, organisation, questionnaire_id)
    if leave:
        return leave
    return render(
        request,
        "evaluation/library/draft_edit.html",
        {
            "questionnaire": questionnaire,
            "draft": draft,
            "sections": _preview(draft),
            "section_form": SectionForm(),
            "has_published": services.current_version(questionnaire) is not None,
        },
    )


def _section_page(request, organisation, questionnaire_id, section_id=None):
    questionnaire, draft, leave = _draft(request, organisation, questionnaire_id)
    if leave:
        return leave
    section = get_section_or_404(organisation, draft, section_id) if section_id else None
    initial = {"title": section.title, "description": section.description} if section else None
    form = SectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            section = builder.save_section(
                version=draft,
                acting_user=request.user,
                section=section,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Section « %(title)s » enregistrée.") % {"title": section.title}
            )
            return _to_builder(questionnaire, f"section-{section.pk}")
    return render(
        request,
        "evaluation/library/section_form.html",
        {"questionnaire": questionnaire, "draft": draft, "section": section, "form": form},
    )


@organisation_view(MANAGE)
def section_add(request, organisation, questionnaire_id):
    return _section_page(request, organisation, questionnaire_id)


@organisation_view(MANAGE)
def section_edit(request, organisation, questionnaire_id, section_id):
    return _section_page(request, organisation, questionnaire_id, section_id)


@organisation_view(MANAGE)
@require_POST
def section_delete(request, organisation, questionnaire_id, section_id):
    questionnaire, draft, leave = _draft(request, organisation, questionnaire_id)
    if leave:
        return leave
    section = get_section_or_404(organisation, draft, section_id)
    try:
        builder.delete_section(section=section, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return _to_builder(questionnaire, f"section-{section.pk}")
    messages.success(request, _("Section « %(title)s » supprimée.") % {"title": section.title})
    return _to_builder(questionnaire)


def _question_page(request, organisation, questionnaire_id, question_id=None):
    questionnaire, draft, leave = _draft(request, organisation, questionnaire_id)
    if leave:
        return leave
    question = get_question_or_404(organisation, draft, question_id) if question_id else None
    section = None
    if question is not None:
        section = question.section
    elif request.GET.get("section", "").isdigit():
        section = draft.sections.filter(pk=int(request.GET["section"])).first()
    if question is None and not draft.sections.exists():
        messages.info(request, _("Ajoutez d'abord une section : chaque question en fait partie."))
        return redirect("evaluation:section_add", organisation.slug, questionnaire.pk)
    form = QuestionForm(request.POST or None, version=draft, question=question, section=section)
    if request.method == "POST" and form.is_valid():
        creating = question is None
        try:
            question = builder.save_question(
                version=draft, acting_user=request.user, question=question, data=form.to_data()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if question.is_grid and (creating or not question.criteria.exists()):
                messages.success(
                    request,
                    _(
                        "Grille « %(label)s » enregistrée : écrivez maintenant ses critères et "
                        "le descripteur de chaque niveau."
                    )
                    % {"label": question.label},
                )
                return redirect(
                    "evaluation:grid_edit", organisation.slug, questionnaire.pk, question.pk
                )
            messages.success(
                request, _("Question « %(label)s » enregistrée.") % {"label": question.label}
            )
            return _to_builder(questionnaire, f"question-{question.pk}")
    return render(
        request,
        "evaluation/library/question_form.html",
        {"questionnaire": questionnaire, "draft": draft, "question": question, "form": form},
    )


@organisation_view(MANAGE)
def question_add(request, organisation, questionnaire_id):
    return _question_page(request, organisation, questionnaire_id)


@organisation_view(MANAGE)
def question_edit(request, organisation, questionnaire_id, question_id):
    return _question_page(request, organisation, questionnaire_id, question_id)


@organisation_view(MANAGE)
@require_POST
def question_delete(request, organisation, questionnaire_id, question_id):
    questionnaire, draft, leave = _draft(request, organisation, questionnaire_id)
    if leave:
        return leave
    question = get_question_or_404(organisation, draft, question_id)
    freed = builder.delete_question(question=question, acting_user=request.user)
    text = _("Question « %(label)s » supprimée.") % {"label": question.label}
    if freed:
        text += " " + ngettext(
            "%(count)s question qui en dépendait est désormais toujours affichée.",
            "%(count)s questions qui en dépendaient sont désormais toujours affichées.",
            freed,
        ) % {"count": freed}
    messages.success(request, text)
    return _to_builder(questionnaire, f"section-{question.section_id}")


@organisation_view(MANAGE)
@require_POST
def question_move(request, organisation, questionnaire_id, question_id):
    questionnaire, draft, leave = _draft(request, organisation, questionnaire_id)
    if leave:
        return leave
    question = get_question_or_404(organisation, draft, question_id)
    direction = request.POST.get("direction", "")
    if direction not in (builder.UP, builder.DOWN):
        messages.error(request, _("Direction inconnue : montez ou descendez la question."))
        return _to_builder(questionnaire, f"question-{question.pk}")
    try:
        builder.move_question(question=question, acting_user=request.user, direction=direction)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request,
            (
                _("Question « %(label)s » montée.")
                if direction == builder.UP
                else _("Question « %(label)s » descendue.")
            )
            % {"label": question.label},
        )
    return _to_builder(questionnaire, f"question-{question.pk}")


@organisation_view(MANAGE)
def grid_edit(request, organisation, questionnaire_id, question_id):
    questionnaire, draft, leave = _draft(request, organisation, questionnaire_id)
    if leave:
        return leave
    question = get_question_or_404(organisation, draft, question_id)
    if question.kind != QuestionKind.GRID:
        raise Http404
    formset = CriterionFormSet(request.POST or None, question=question, prefix="criteria")
    if request.method == "POST" and formset.is_valid():
        try:
            criteria = builder.save_criteria(
                question=question, acting_user=request.user, rows=formset.rows()
            )
        except ValidationError as error:
            formset = CriterionFormSet(request.POST, question=question, prefix="criteria")
            formset.is_valid()
            formset.service_errors = error.messages
        else:
            messages.success(
                request,
                ngettext(
                    "Grille enregistrée : %(count)s critère.",
                    "Grille enregistrée : %(count)s critères.",
                    len(criteria),
                )
                % {"count": len(criteria)},
            )
            if "continue" in request.POST:
                return redirect(
                    "evaluation:grid_edit", organisation.slug, questionnaire.pk, question.pk
                )
            return _to_builder(questionnaire, f"question-{question.pk}")
    return render(
        request,
        "evaluation/library/grid_edit.html",
        {
            "questionnaire": questionnaire,
            "draft": draft,
            "question": question,
            "formset": formset,
            "levels": list(question.choices.all()),
            "service_errors": getattr(formset, "service_errors", []),
        },
    )
