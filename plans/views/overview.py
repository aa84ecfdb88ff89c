"""The coordinator's side of a programme's action plans: the overview of every team's
plan (stages, actions by status, late ones, last update, teams without an update for N
weeks), the actions' timeline and its table, the export, the stage templates and the
follow-up séances.

The overview is for the coordinators, trainers and observers (observers see no owner's
name unless the programme allows it, ``Programme.observers_see_names``); team members
and anyone else answer 404. The export is for coordinators and trainers; templates and
follow-up séances for coordinators (``plans.access.can_manage``)."""

from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from organisations.access import organisation_view
from organisations.models import Role
from organisations.roles import role_in
from parcours.forms import add_service_errors
from parcours.models import Session
from parcours.views.calendar import programme_context
from sillon.exports import FORMATS, spreadsheet_response
from sillon.formatting import format_day, local

from ..access import STAFF_READERS, STAFF_WRITERS, can_manage, get_programme_or_404
from ..models import Action, ActionPlan, FollowUpSession, Stage, StageTemplate
from ..overview import (
    MAX_TIMELINE_ACTIONS,
    SOURCE_LABELS,
    bounded_weeks,
    plan_label,
    programme_actions,
    shared_plans,
    status_label,
    summary,
    team_rows,
)
from ..overview_forms import FollowUpForm, TemplateForm
from ..services import common as common_services
from ..services import stages as stage_services
from ..timeline import timeline_rows, timeline_svg

VIEW = "parcours.view_calendar"
MANAGE = "parcours.manage_programme"
TAB = "plans"


def today_in(organisation):
    return timezone.now().astimezone(ZoneInfo(organisation.time_zone)).date()


def _staff_programme(request, organisation, programme_id, roles=STAFF_READERS):
    """The programme for a coordinator, trainer (or observer, in ``roles``) who sees it;
    anyone else, a team member included: 404."""
    if role_in(request.user, organisation) not in roles:
        raise Http404
    return get_programme_or_404(request.user, organisation, programme_id)


def shows_names(request, organisation, programme) -> bool:
    if role_in(request.user, organisation) == Role.OBSERVER:
        return programme.observers_see_names
    return True


@organisation_view(VIEW)
def overview(request, organisation, programme_id: int):
    programme = _staff_programme(request, organisation, programme_id)
    today = today_in(organisation)
    weeks = bounded_weeks(request.GET.get("semaines"))
    rows = team_rows(
        programme, today=today, now=timezone.now(), weeks=weeks, zone=organisation.time_zone
    )
    names = shows_names(request, organisation, programme)
    actions = list(
        programme_actions(programme, kinds=(ActionPlan.Kind.TEAM, ActionPlan.Kind.GROUP))[
            : MAX_TIMELINE_ACTIONS + 1
        ]
    )
    cut = len(actions) > MAX_TIMELINE_ACTIONS
    actions = actions[:MAX_TIMELINE_ACTIONS]
    chart_rows = timeline_rows(
        actions, group_of=lambda action: plan_label(action.plan), today=today, show_owner=names
    )
    chart = timeline_svg(
        chart_rows,
        start=programme.start_date,
        end=programme.end_date,
        today=today,
        title=_("Calendrier des actions — %(programme)s") % {"programme": programme.name},
    )
    manage = can_manage(request.user, organisation)
    return render(
        request,
        "plans/overview.html",
        {
            **programme_context(request, organisation, programme, TAB),
            "rows": rows,
            "summary": summary(rows),
            "weeks": weeks,
            "stages": Stage.choices,
            "statuses": Action.Status.choices,
            "columns": len(Stage.choices) + len(Action.Status.choices) + 4,
            "chart": chart,
            "chart_rows": chart_rows,
            "chart_cut": cut,
            "max_actions": MAX_TIMELINE_ACTIONS,
            "show_names": names,
            "shared_plans": list(shared_plans(programme)),
            "manage_plans": manage,
            "can_export": role_in(request.user, organisation) in STAFF_WRITERS,
            "formats": FORMATS,
        },
    )


EXPORT_HEADERS = (
    "Équipe ou plan",
    "Action",
    "Pilote",
    "État",
    "Avancement (%)",
    "Début",
    "Échéance",
    "Dernière mise à jour",
    "Origine",
)


@organisation_view(VIEW)
def export(request, organisation, programme_id: int):
    """Every action of the programme, as CSV or XLSX (formulas escaped)."""
    programme = _staff_programme(request, organisation, programme_id, roles=STAFF_WRITERS)
    fmt = request.GET.get("format", "csv")
    if fmt not in FORMATS:
        raise Http404
    today = today_in(organisation)
    zone = organisation.time_zone

    def rows():
        for action in programme_actions(programme).iterator(chunk_size=500):
            source = str(SOURCE_LABELS.get(action.source, action.source))
            if action.source_label:
                source = f"{source} : {action.source_label}"
            yield [
                plan_label(action.plan),
                action.title,
                action.owner_display,
                status_label(action, today),
                action.progress,
                action.starts_on.isoformat() if action.starts_on else "",
                action.due_on.isoformat() if action.due_on else "",
                local(action.last_update, zone).date().isoformat() if action.last_update else "",
                source,
            ]

    return spreadsheet_response(
        headers=[_(header) for header in EXPORT_HEADERS],
        rows=rows(),
        filename=f"plans-d-action-{programme.name}",
        fmt=fmt,
    )


@organisation_view(MANAGE)
def templates_edit(request, organisation, programme_id: int):
    """The sections and guidance of the three stages (one form per stage)."""
    programme = get_programme_or_404(request.user, organisation, programme_id)
    if not can_manage(request.user, organisation):
        raise Http404
    saved = list(StageTemplate.objects.filter(programme=programme))
    forms = []
    for stage, label in Stage.choices:
        current = next((t for t in saved if t.stage == stage), None)
        initial = {
            "sections": "\n".join(stage_services.section_titles(programme, stage, saved)),
            "guidance": current.guidance if current else "",
        }
        form = TemplateForm(
            request.POST if request.method == "POST" else None, prefix=stage, initial=initial
        )
        forms.append((stage, label, form))
    if request.method == "POST" and all(form.is_valid() for _s, _l, form in forms):
        try:
            with transaction.atomic():
                for stage, _label, form in forms:
                    if not form.has_changed():
                        continue
                    try:
                        stage_services.save_template(
                            programme=programme,
                            stage=stage,
                            sections=form.cleaned_data["sections"],
                            guidance=form.cleaned_data["guidance"],
                            acting_user=request.user,
                        )
                    except ValidationError as error:
                        add_service_errors(form, error)
                        raise
        except ValidationError:
            pass
        else:
            messages.success(request, _("Modèles des étapes enregistrés."))
            return redirect("plans:overview", organisation.slug, programme.pk)
    return render(
        request,
        "plans/templates_form.html",
        {"programme": programme, "forms": forms},
    )


@organisation_view(MANAGE)
def follow_up_sessions(request, organisation, programme_id: int):
    """Tick the sessions where the plans are followed up (before each, the teams are
    asked to update their plan)."""
    programme = get_programme_or_404(request.user, organisation, programme_id)
    if not can_manage(request.user, organisation):
        raise Http404
    sessions = list(
        Session.objects.filter(programme=programme)
        .exclude(status=Session.Status.CANCELLED)
        .order_by("starts_at", "target_month", "pk")
    )
    marked = set(
        FollowUpSession.objects.filter(session__programme=programme).values_list(
            "session_id", flat=True
        )
    )
    form = FollowUpForm(
        request.POST if request.method == "POST" else None,
        sessions=sessions,
        initial={"sessions": sorted(marked)},
    )
    if request.method == "POST" and form.is_valid():
        chosen = set(form.cleaned_data["sessions"])
        changed = 0
        with transaction.atomic():
            for session in sessions:
                if (session.pk in chosen) != (session.pk in marked):
                    changed += common_services.mark_follow_up(
                        session=session, follow_up=session.pk in chosen, acting_user=request.user
                    )
        messages.success(
            request,
            _("Séances de suivi enregistrées (%(count)s modifiée(s)).") % {"count": changed},
        )
        return redirect("plans:follow_up_sessions", organisation.slug, programme.pk)
    by_pk = {session.pk: session for session in sessions}
    rows = []
    for widget in form["sessions"]:
        session = by_pk[int(widget.data["value"])]
        when = (
            format_day(local(session.starts_at, organisation.time_zone).date())
            if session.starts_at
            else _("Date à confirmer")
        )
        rows.append({"widget": widget, "session": session, "when": when})
    return render(
        request,
        "plans/follow_up_sessions.html",
        {"programme": programme, "form": form, "rows": rows},
    )
