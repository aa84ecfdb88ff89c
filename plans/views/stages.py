"""A plan's stages (fiche d'intention, feuille de route, plan d'action): the stage's
page (guidance, the draft's editor, the last submitted version, the versions), submitting
the draft, and one submitted version with its comments and, for the coordinators and
trainers, the comment and review forms.

A draft saved on a stale copy is refused by the service (``StaleDraft``): the page shows
the saved text next to the person's own, which stays in the editor."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organisations.access import organisation_view
from organisations.models import Organisation
from parcours.forms import add_service_errors

from .. import selectors
from ..forms import CommentForm, DraftForm, ReviewForm
from ..models import ActionPlan, Stage, StageComment, StageTemplate, StageVersion
from ..services import stages as services
from .team import VIEW, load_plan, plan_url


def _stage_or_404(plan: ActionPlan, stage: str) -> Stage:
    if stage not in Stage.values or plan.kind == ActionPlan.Kind.COMMON:
        raise Http404
    return Stage(stage)


def _stage_url(organisation, plan, stage, name="plans:stage", *args) -> str:
    return plan_url(organisation, plan, name, stage, *args)


@organisation_view(VIEW)
def stage(request, organisation: Organisation, programme_id: int, plan_id: int, stage: str):
    """The stage's page: GET shows it, POST saves the draft (writers only)."""
    plan = load_plan(request, organisation, programme_id, plan_id, write=request.method == "POST")
    current = _stage_or_404(plan, stage)
    versions = selectors.stage_versions(plan, current)
    draft = next((v for v in versions if v.number == 0), None)
    submitted = [v for v in versions if v.number > 0]
    templates = list(StageTemplate.objects.filter(programme=plan.programme_id, stage=current))
    titles = services.section_titles(plan.programme, current, templates=templates)
    initial = {
        "body": draft.body if draft else services.starting_body(titles),
        "revision": draft.revision if draft else None,
    }
    form = DraftForm(request.POST or None, initial=initial) if plan.writable else None
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.save_draft(
                plan=plan,
                stage=current,
                body=form.cleaned_data["body"],
                acting_user=request.user,
                revision=form.cleaned_data["revision"],
            )
        except services.StaleDraft as stale:
            data = request.POST.copy()
            data["revision"] = stale.current.revision
            form = DraftForm(data, initial=initial)
            form.is_valid()
            conflict = {"message": stale.messages[0], "current": stale.current}
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Brouillon enregistré."))
            return redirect(_stage_url(organisation, plan, current))
    can_submit = bool(
        plan.writable
        and draft
        and draft.body.strip()
        and not conflict
        and not (
            submitted
            and submitted[0].body == draft.body
            and submitted[0].status != StageVersion.Status.CHANGES
        )
    )
    return render(
        request,
        "plans/stage.html",
        {
            "plan": plan,
            "programme": plan.programme,
            "team": plan.team,
            "stage": current,
            "guidance": templates[0].guidance if templates else "",
            "titles": titles,
            "draft": draft,
            "last": submitted[0] if submitted else None,
            "submitted": submitted,
            "form": form,
            "conflict": conflict,
            "can_submit": can_submit,
        },
        status=409 if conflict else 200,
    )


@organisation_view(VIEW)
@require_POST
def stage_submit(request, organisation: Organisation, programme_id: int, plan_id: int, stage: str):
    """« Soumettre »: the draft becomes the next version; the reviewers are told."""
    plan = load_plan(request, organisation, programme_id, plan_id, write=True)
    current = _stage_or_404(plan, stage)
    try:
        version = services.submit_stage(plan=plan, stage=current, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_stage_url(organisation, plan, current))
    messages.success(
        request,
        _("%(stage)s soumise (version %(number)s) : l'équipe d'animation est prévenue.")
        % {"stage": current.label, "number": version.number},
    )
    return redirect(_stage_url(organisation, plan, current, "plans:stage_version", version.number))


@organisation_view(VIEW)
def stage_version(
    request, organisation: Organisation, programme_id: int, plan_id: int, stage: str, number: int
):
    """One submitted version as it was submitted, its comments; the coordinators and
    trainers comment on it and review it (POST with ``intent`` « comment » or « review »)."""
    plan = load_plan(request, organisation, programme_id, plan_id)
    current = _stage_or_404(plan, stage)
    if number < 1:
        raise Http404
    version = get_object_or_404(
        StageVersion.objects.select_related("written_by", "reviewed_by"),
        organisation=organisation,
        plan=plan,
        stage=current,
        number=number,
    )
    version.plan = plan
    latest = not StageVersion.objects.filter(plan=plan, stage=current, number__gt=number).exists()
    comment_form = review_form = None
    if plan.reviewable:
        intent = request.POST.get("intent") if request.method == "POST" else None
        comment_form = CommentForm(request.POST if intent == "comment" else None)
        review_form = ReviewForm(request.POST if intent == "review" else None) if latest else None
        if intent == "comment" and comment_form.is_valid():
            try:
                services.comment_version(
                    version=version,
                    acting_user=request.user,
                    text=comment_form.cleaned_data["text"],
                )
            except ValidationError as error:
                add_service_errors(comment_form, error)
            else:
                messages.success(request, _("Commentaire publié."))
                return redirect(request.path)
        elif intent == "review" and review_form is not None and review_form.is_valid():
            try:
                services.review_version(
                    version=version,
                    acting_user=request.user,
                    decision=review_form.cleaned_data["decision"],
                    comment=review_form.cleaned_data["comment"],
                )
            except ValidationError as error:
                add_service_errors(review_form, error)
            else:
                validated = review_form.cleaned_data["decision"] == StageVersion.Status.VALIDATED
                messages.success(
                    request,
                    _("Version validée : l'équipe est prévenue.")
                    if validated
                    else _("Version à reprendre : l'équipe est prévenue."),
                )
                return redirect(request.path)
        elif intent not in (None, "comment", "review") or (
            intent == "review" and review_form is None
        ):
            raise Http404
    elif request.method == "POST":
        raise Http404
    comments = list(
        StageComment.objects.filter(version=version)
        .select_related("author")
        .order_by("created_at", "pk")
    )
    return render(
        request,
        "plans/stage_version.html",
        {
            "plan": plan,
            "programme": plan.programme,
            "team": plan.team,
            "stage": current,
            "version": version,
            "latest": latest,
            "comments": comments,
            "comment_form": comment_form,
            "review_form": review_form,
        },
        status=400 if request.method == "POST" else 200,
    )
