"""Selection of a call's applications: reviewers (coordinators and trainers) list, read,
score and comment; coordinators decide, reopen, announce, export, and invite people to
the teams. Thin views: a form parses, a service checks and writes, the page redirects
with a French message; anything the user may not see answers 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from candidatures import services
from candidatures.filters import ApplicationFilter
from candidatures.forms.selection import AnnounceForm, DecisionForm, ReopenForm, ReviewForm
from candidatures.models import Application, ApplicationMember, Call
from candidatures.parts import review_sections
from candidatures.review import (
    application_page,
    format_score,
    format_spread,
    grid_for,
    reviews_of,
    sorted_application_ids,
    summaries,
    summary_of,
)
from organisations.access import organisation_view
from parcours.forms import add_service_errors
from parcours.models import Programme
from parcours.selectors import programmes_visible_to
from sillon.exports import spreadsheet_response
from sillon.formatting import format_day, format_time, local
from territoires.models import Project

REVIEW = "candidatures.review_applications"
MANAGE = "parcours.manage_programme"
APPLICATIONS_PER_PAGE = 25

Status = Application.Status


def _when(moment, zone: str) -> str:
    """« 12 juin 2026, 14 h 05 » on the organisation's clock; « — » without a moment."""
    if moment is None:
        return "—"
    moment = local(moment, zone)
    return f"{format_day(moment.date(), weekday=False)}, {format_time(moment)}"


def _call_or_404(request, organisation, programme_id: int, call_id: int) -> Call:
    """The call, in a programme the user sees (one query for both)."""
    call = get_object_or_404(
        Call.objects.select_related("cohort", "programme"),
        organisation=organisation,
        programme__in=programmes_visible_to(request.user, organisation),
        programme_id=programme_id,
        pk=call_id,
    )
    call.organisation = organisation
    return call


def _application_or_404(call: Call, application_id: int) -> Application:
    application = get_object_or_404(
        Application.objects.select_related("territory", "created_by", "decided_by", "team"),
        organisation=call.organisation,
        call=call,
        pk=application_id,
    )
    application.call = call
    return application


def _to_review(organisation, call: Call, application: Application):
    return redirect(
        "candidatures:application_review",
        organisation.slug,
        call.programme_id,
        call.pk,
        application.pk,
    )


def _filtered(request, call: Call) -> ApplicationFilter:
    return ApplicationFilter(
        request.GET, queryset=Application.objects.filter(call=call), user=request.user
    )


# --- The list ------------------------------------------------------------------------


@organisation_view(REVIEW)
def application_list(request, organisation, programme_id, call_id):
    """Applications with their reviews' weighted average, spread and my score, sorted
    by average (or territory, or submission), 25 per page."""
    call = _call_or_404(request, organisation, programme_id, call_id)
    grid = grid_for(call)
    filterset = _filtered(request, call)
    applications = filterset.qs
    scores = summaries(grid, applications, request.user)
    ids = sorted_application_ids(applications, scores, filterset.sort)
    page = Paginator(ids, APPLICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    rows = application_page(call, list(page.object_list))
    zone = organisation.time_zone
    # An application's review page is « <list>/<id>/ » (parcours/urls.py): one reverse
    # for the page instead of one per row.
    list_url = request.path
    for application in rows:
        application.review_url = f"{list_url}{application.pk}/"
        summary = scores.get(application.pk)
        application.review_count = summary.count if summary else 0
        application.average_text = format_score(summary and summary.average, grid.scale)
        application.spread_text = format_spread(summary and summary.spread)
        application.mine_text = format_score(summary and summary.mine, grid.scale)
        application.submitted_text = _when(application.submitted_at, zone)
    page.object_list = rows
    is_filtered = any(request.GET.get(name) for name in ("q", "status", "decision", "not_mine"))
    context = {
        "programme": call.programme,
        "call": call,
        "grid": grid,
        "filter": filterset,
        "page": page,
        "is_filtered": is_filtered,
        "can_manage": request.user.has_perm(MANAGE, organisation),
        "export_query": request.GET.urlencode(),
    }
    template_name = "candidatures/selection/application_list.html"
    if request.htmx:
        template_name += "#results"
    return render(request, template_name, context)


EXPORT_HEADERS = (
    "Territoire",
    "Structure porteuse",
    "Projet",
    "Étape du projet",
    "Niveau de reconnaissance",
    "Site web du projet",
    "Statut",
    "Décision",
    "Motifs",
    "Déposée le",
    "Évaluations",
    "Moyenne pondérée",
    "Sur",
    "Écart entre évaluateurs",
    "Membres",
)


@organisation_view(MANAGE)
def applications_export(request, organisation, programme_id, call_id):
    """The list (with its filters) as CSV or XLSX (``?format=xlsx``), with the members."""
    call = _call_or_404(request, organisation, programme_id, call_id)
    fmt = request.GET.get("format", "csv")
    grid = grid_for(call)
    filterset = _filtered(request, call)
    applications = filterset.qs
    scores = summaries(grid, applications, request.user)
    ids = sorted_application_ids(applications, scores, filterset.sort)
    members = Prefetch(
        "members",
        queryset=ApplicationMember.objects.select_related("role").order_by("-is_lead", "pk"),
    )
    found = {
        application.pk: application
        for application in Application.objects.filter(pk__in=applications.values("pk"))
        .select_related("territory")
        .prefetch_related(members)
    }
    zone = organisation.time_zone

    def rows():
        for pk in ids:
            application = found[pk]
            summary = scores.get(pk)
            yield [
                application.territory.name if application.territory_id else "",
                application.structure,
                application.project_name,
                application.project_stage,
                application.project_recognition,
                application.project_website,
                application.get_status_display(),
                application.get_decision_display(),
                application.decision_reasons,
                _when(application.submitted_at, zone) if application.submitted_at else "",
                summary.count if summary else 0,
                round(summary.average, 2) if summary and summary.average is not None else "",
                grid.scale,
                round(summary.spread, 2) if summary and summary.spread is not None else "",
                "\n".join(_member_line(member) for member in application.members.all()),
            ]

    return spreadsheet_response(
        headers=EXPORT_HEADERS, rows=rows(), filename=f"candidatures-{call.slug}", fmt=fmt
    )


def _member_line(member: ApplicationMember) -> str:
    details = ", ".join(
        part for part in (member.role.name if member.role else "", member.function) if part
    )
    line = member.full_name
    if details:
        line += f" ({details})"
    return f"{line} <{member.email}>"


# --- One application -----------------------------------------------------------------


def _render_review(
    request,
    organisation,
    call: Call,
    application: Application,
    *,
    review_form=None,
    decision_form=None,
    reopen_form=None,
):
    user = request.user
    grid = grid_for(call)
    rows = reviews_of(application, grid)
    summary = summary_of(rows, user)
    mine = next((row for row in rows if row.review.reviewer_id == user.pk), None)
    announced = application.announced_at is not None
    can_score = (
        bool(grid.criteria)
        and application.status not in (Status.DRAFT, Status.WITHDRAWN)
        and not announced
    )
    if review_form is None and can_score:
        initial = {"comment": mine.review.comment} if mine else {}
        if mine:
            for criterion, value in mine.scores:
                if value is not None:
                    initial[services.criterion_field(criterion.pk)] = value
        review_form = ReviewForm(grid=grid, initial=initial)
    can_manage = user.has_perm(MANAGE, organisation)
    can_decide = (
        can_manage
        and not announced
        and application.status
        in (
            Status.SUBMITTED,
            Status.UNDER_REVIEW,
            Status.DECIDED,
        )
    )
    if decision_form is None and can_decide:
        decision_form = DecisionForm(
            initial={"decision": application.decision, "reasons": application.decision_reasons}
        )
    can_reopen = can_manage and application.status in (Status.SUBMITTED, Status.DRAFT)
    if reopen_form is None and can_reopen:
        reopen_form = ReopenForm(zone=organisation.time_zone)
    zone = organisation.time_zone
    for row in rows:
        row.weighted_text = format_score(row.weighted, grid.scale)
        row.when = _when(row.review.updated_at, zone)
        row.is_mine = row.review.reviewer_id == user.pk
    others = []
    if application.territory_id:
        others = list(
            Application.objects.filter(call=call, territory=application.territory_id)
            .exclude(pk=application.pk)
            .select_related("territory")
            .order_by("pk")
        )
    events = list(application.events.select_related("actor").order_by("at", "pk"))
    for event in events:
        event.when = _when(event.at, zone)
    members = list(application.members.select_related("role").order_by("-is_lead", "pk"))
    return render(
        request,
        "candidatures/selection/application_review.html",
        {
            "programme": call.programme,
            "call": call,
            "application": application,
            "members": members,
            "sections": review_sections(request, application),
            "others": others,
            "grid": grid,
            "reviews": rows,
            "average_text": format_score(summary.average, grid.scale),
            "spread_text": format_spread(summary.spread),
            "mine": mine,
            "can_score": can_score,
            "review_form": review_form,
            "can_manage": can_manage,
            "can_decide": can_decide,
            "decision_form": decision_form,
            "can_reopen": can_reopen,
            "reopen_form": reopen_form,
            "events": events,
            "project_stage": dict(Project.Stage.choices).get(
                application.project_stage, application.project_stage
            ),
            "project_recognition": dict(Project.Recognition.choices).get(
                application.project_recognition, application.project_recognition
            ),
            "submitted_text": _when(application.submitted_at, zone),
            "decided_text": _when(application.decided_at, zone),
            "announced_text": _when(application.announced_at, zone),
            "reopened_text": _when(application.reopened_until, zone),
        },
    )


@organisation_view(REVIEW)
def application_review(request, organisation, programme_id, call_id, application_id):
    """Everything the applicants submitted, the reviews, my scoring form; for the
    coordinators the decision and the reopening. A POST saves my review."""
    call = _call_or_404(request, organisation, programme_id, call_id)
    application = _application_or_404(call, application_id)
    if request.method != "POST":
        return _render_review(request, organisation, call, application)
    form = ReviewForm(request.POST, grid=grid_for(call))
    if form.is_valid():
        try:
            services.save_review(
                application=application,
                reviewer=request.user,
                scores=form.scores,
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                # The application's state refuses it: the form may not be shown.
                messages.error(request, " ".join(error.messages))
                return _to_review(organisation, call, application)
            add_service_errors(form, error)
        else:
            messages.success(request, _("Votre évaluation est enregistrée."))
            return _to_review(organisation, call, application)
    return _render_review(request, organisation, call, application, review_form=form)


@organisation_view(MANAGE)
@require_POST
def application_decide(request, organisation, programme_id, call_id, application_id):
    call = _call_or_404(request, organisation, programme_id, call_id)
    application = _application_or_404(call, application_id)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            decided = services.decide(
                application=application,
                acting_user=request.user,
                decision=form.cleaned_data["decision"],
                reasons=form.cleaned_data["reasons"],
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                # The application's state refuses it: the form may not be shown.
                messages.error(request, " ".join(error.messages))
                return _to_review(organisation, call, application)
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Décision enregistrée : %(decision)s. Elle sera communiquée à l'annonce "
                    "des résultats."
                )
                % {"decision": decided.get_decision_display()},
            )
            return _to_review(organisation, call, application)
    return _render_review(request, organisation, call, application, decision_form=form)


@organisation_view(MANAGE)
@require_POST
def application_reopen(request, organisation, programme_id, call_id, application_id):
    call = _call_or_404(request, organisation, programme_id, call_id)
    application = _application_or_404(call, application_id)
    form = ReopenForm(request.POST, zone=organisation.time_zone)
    if form.is_valid():
        try:
            services.reopen_application(
                application=application, acting_user=request.user, until=form.until
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                # The application's state refuses it: the form may not be shown.
                messages.error(request, " ".join(error.messages))
                return _to_review(organisation, call, application)
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Candidature rouverte : elle peut être déposée jusqu'au %(until)s.")
                % {"until": _when(form.until, organisation.time_zone)},
            )
            return _to_review(organisation, call, application)
    return _render_review(request, organisation, call, application, reopen_form=form)


# --- Announcing ----------------------------------------------------------------------


@organisation_view(MANAGE)
def announce_decisions(request, organisation, programme_id, call_id):
    """GET: what the announcement will send (how many of each decision, how many teams);
    POST: announce."""
    call = _call_or_404(request, organisation, programme_id, call_id)
    form = AnnounceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        publishing = (
            form.cleaned_data["publish"] and call.programme.status == Programme.Status.DRAFT
        )
        try:
            announced = services.announce_decisions(
                call=call,
                acting_user=request.user,
                partial=form.cleaned_data["partial"],
                publish=form.cleaned_data["publish"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            teams = sum(1 for a in announced if a.decision == Application.Decision.SELECTED)
            messages.success(
                request,
                ngettext(
                    "%(count)s décision annoncée",
                    "%(count)s décisions annoncées",
                    len(announced),
                )
                % {"count": len(announced)}
                + " ; "
                + ngettext(
                    "%(teams)s équipe créée, ses membres sont invités par e-mail.",
                    "%(teams)s équipes créées, leurs membres sont invités par e-mail.",
                    teams,
                )
                % {"teams": teams}
                + (" " + _("Le programme est publié.") if publishing else ""),
            )
            return redirect(
                "candidatures:application_list", organisation.slug, call.programme_id, call.pk
            )
    pending = Application.objects.filter(
        call=call, status=Status.DECIDED, announced_at__isnull=True
    )
    counts = dict.fromkeys(Application.Decision.values, 0)
    for decision in pending.values_list("decision", flat=True).order_by():
        counts[decision] = counts.get(decision, 0) + 1
    members = ApplicationMember.objects.filter(
        application__in=pending.filter(decision=Application.Decision.SELECTED)
    ).count()
    summary = [(label, counts.get(value, 0)) for value, label in Application.Decision.choices]
    return render(
        request,
        "candidatures/selection/announce.html",
        {
            "programme": call.programme,
            "programme_is_draft": call.programme.status == Programme.Status.DRAFT,
            "call": call,
            "form": form,
            "summary": summary,
            "total": sum(counts.values()),
            "selected": counts[Application.Decision.SELECTED],
            "invitations": members,
            "undecided": services.undecided_count(call),
            "announced": Application.objects.filter(call=call, announced_at__isnull=False).count(),
        },
    )
