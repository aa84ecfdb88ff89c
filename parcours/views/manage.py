"""Coordinator tools: setting up a programme, its phases, kinds, teams and sessions
(their day agendas and documents are in ``views.agenda``). Thin views: a form parses, a
service writes, the page redirects with a message in French."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from organisations.access import organisation_view
from parcours import services
from parcours.access import (
    get_phase_or_404,
    get_programme_for_user_or_404,
    get_session_for_user_or_404,
    get_session_kind_or_404,
)
from parcours.copy_forms import DuplicateSessionForm
from parcours.forms import (
    CancelSessionForm,
    IndividualSessionsForm,
    PhaseForm,
    ProgrammeCopyForm,
    ProgrammeCreateForm,
    ProgrammeEditForm,
    SessionForm,
    SessionKindForm,
    TeamForm,
    add_service_errors,
)
from parcours.holidays import holiday_warnings, local_days
from parcours.models import (
    AgendaItem,
    Cohort,
    Phase,
    Programme,
    Session,
    SessionKind,
    SessionRegistration,
    Team,
    Workshop,
)
from sillon.formatting import format_day, format_session_when

MANAGE = "parcours.manage_programme"


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _programme(request, organisation, programme_id) -> Programme:
    return get_programme_for_user_or_404(request.user, organisation, programme_id)


def _session(request, organisation, session_id) -> Session:
    return get_session_for_user_or_404(request.user, organisation, session_id)


def _to_timeline(programme):
    return redirect("parcours:timeline", programme.organisation.slug, programme.pk)


def _to_session(session):
    return redirect("parcours:session_detail", session.organisation.slug, session.pk)


# --- Programmes ----------------------------------------------------------------------


@organisation_view(MANAGE)
def programme_create(request, organisation):
    form = ProgrammeCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            programme = services.create_programme(
                organisation=organisation,
                acting_user=request.user,
                name=data["name"],
                description=data["description"],
                objectives=data["objectives"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                cohort_name=data["cohort_name"],
                team_roles=data["team_roles"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Programme « %(name)s » créé en brouillon : ajoutez ses phases, ses équipes "
                    "et ses séances, puis publiez-le."
                )
                % {"name": programme.name},
            )
            return redirect("parcours:programme_edit", organisation.slug, programme.pk)
    return render(request, "parcours/manage/programme_create.html", {"form": form})


@organisation_view(MANAGE)
def programme_edit(request, organisation, programme_id):
    programme = _programme(request, organisation, programme_id)
    form = ProgrammeEditForm(request.POST or None, instance=programme)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.update_programme(
                    programme=form.instance,
                    acting_user=request.user,
                    changed_fields=list(form.changed_data),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Programme enregistré."))
                return redirect("parcours:programme_edit", organisation.slug, programme.pk)
        # Validation changed the instance: the page shows the stored programme.
        programme = _programme(request, organisation, programme_id)
    counts = {
        "phases": Phase.objects.filter(programme=programme).count(),
        "teams": Team.objects.filter(cohort__programme=programme).count(),
        "sessions": Session.objects.active().filter(programme=programme).count(),
    }
    return render(
        request,
        "parcours/manage/programme_edit.html",
        {"programme": programme, "form": form, "counts": counts},
    )


def _transition(request, organisation, programme_id, service, success):
    programme = _programme(request, organisation, programme_id)
    try:
        service(programme=programme, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, success % {"name": programme.name})
    return _to_timeline(programme)


@organisation_view(MANAGE)
@require_POST
def programme_publish(request, organisation, programme_id):
    return _transition(
        request,
        organisation,
        programme_id,
        services.publish_programme,
        _(
            "Programme « %(name)s » publié : les équipes voient leur calendrier et les "
            "personnes attendues reçoivent leurs convocations."
        ),
    )


@organisation_view(MANAGE)
@require_POST
def programme_archive(request, organisation, programme_id):
    return _transition(
        request,
        organisation,
        programme_id,
        services.archive_programme,
        _("Programme « %(name)s » archivé : il reste consultable, en lecture seule."),
    )


@organisation_view(MANAGE)
def programme_copy(request, organisation, programme_id):
    programme = _programme(request, organisation, programme_id)
    initial = {"name": _("%(name)s (copie)") % {"name": programme.name}}
    form = ProgrammeCopyForm(request.POST or None, initial=initial)
    shift = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        days = (data["start_date"] - programme.start_date).days
        if data["shift_days"] == days:
            try:
                result = services.copy_programme(
                    programme=programme,
                    acting_user=request.user,
                    name=data["name"],
                    start_date=data["start_date"],
                    cohort_name=data["cohort_name"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                text = ngettext(
                    "Programme copié : %(count)s séance copiée",
                    "Programme copié : %(count)s séances copiées",
                    result.sessions_copied,
                ) % {"count": result.sessions_copied}
                if result.team_sessions_skipped:
                    text += ngettext(
                        " ; %(count)s séance individuelle ou d'équipe n'est pas copiée "
                        "(la nouvelle promotion aura ses propres équipes).",
                        " ; %(count)s séances individuelles ou d'équipe ne sont pas copiées "
                        "(la nouvelle promotion aura ses propres équipes).",
                        result.team_sessions_skipped,
                    ) % {"count": result.team_sessions_skipped}
                else:
                    text += "."
                messages.success(request, text)
                return _to_timeline(result.programme)
        else:
            # First submission (or a new date): show the shift before copying.
            form = ProgrammeCopyForm(
                initial={**data, "shift_days": days},
            )
            shift = {
                "days": days,
                "start": format_day(data["start_date"], weekday=False),
                "end": format_day(programme.end_date + timedelta(days=days), weekday=False),
            }
    return render(
        request,
        "parcours/manage/programme_copy.html",
        {"programme": programme, "form": form, "shift": shift},
    )


# --- Phases --------------------------------------------------------------------------


def _phase_period(phase: Phase) -> str:
    if phase.uses_months:
        return _("mois %(start)s à %(end)s") % {"start": phase.start_month, "end": phase.end_month}
    return _("du %(start)s au %(end)s") % {
        "start": format_day(phase.start_date, weekday=False),
        "end": format_day(phase.end_date, weekday=False),
    }


def _save_phase(request, form, programme) -> bool:
    if not form.is_valid():
        return False
    phase = form.instance
    phase.programme = programme
    try:
        services.save_phase(phase=phase, acting_user=request.user)
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    messages.success(request, _("Phase « %(name)s » enregistrée.") % {"name": phase.name})
    return True


@organisation_view(MANAGE)
def phase_list(request, organisation, programme_id):
    programme = _programme(request, organisation, programme_id)
    form = PhaseForm(request.POST or None, instance=Phase(programme=programme))
    if request.method == "POST" and _save_phase(request, form, programme):
        return redirect("parcours:phase_list", organisation.slug, programme.pk)
    phases = [
        (phase, _phase_period(phase))
        for phase in Phase.objects.filter(programme=programme).select_related("programme")
    ]
    return render(
        request,
        "parcours/manage/phase_list.html",
        {"programme": programme, "phases": phases, "form": form},
    )


@organisation_view(MANAGE)
def phase_edit(request, organisation, programme_id, phase_id):
    programme = _programme(request, organisation, programme_id)
    phase = get_phase_or_404(organisation, programme, phase_id)
    name = phase.name
    form = PhaseForm(request.POST or None, instance=phase)
    if request.method == "POST" and _save_phase(request, form, programme):
        return redirect("parcours:phase_list", organisation.slug, programme.pk)
    return render(
        request,
        "parcours/manage/phase_edit.html",
        {"programme": programme, "phase_name": name, "form": form},
    )


# --- Session kinds -------------------------------------------------------------------


def _save_kind(request, form, programme) -> bool:
    if not form.is_valid():
        return False
    kind = form.instance
    kind.programme = programme
    try:
        services.save_session_kind(kind=kind, acting_user=request.user)
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    messages.success(request, _("Type « %(name)s » enregistré.") % {"name": kind.name})
    return True


@organisation_view(MANAGE)
def kind_list(request, organisation, programme_id):
    programme = _programme(request, organisation, programme_id)
    form = SessionKindForm(
        request.POST or None,
        instance=SessionKind(programme=programme),
        initial={"order": SessionKind.objects.filter(programme=programme).count()},
    )
    if request.method == "POST" and _save_kind(request, form, programme):
        return redirect("parcours:kind_list", organisation.slug, programme.pk)
    kinds = SessionKind.objects.filter(programme=programme).annotate(
        session_count=Count("sessions", filter=~Q(sessions__status=Session.Status.CANCELLED))
    )
    return render(
        request,
        "parcours/manage/kind_list.html",
        {"programme": programme, "kinds": kinds, "form": form},
    )


@organisation_view(MANAGE)
def kind_edit(request, organisation, programme_id, kind_id):
    programme = _programme(request, organisation, programme_id)
    kind = get_session_kind_or_404(organisation, programme, kind_id)
    name = kind.name
    form = SessionKindForm(request.POST or None, instance=kind)
    if request.method == "POST" and _save_kind(request, form, programme):
        return redirect("parcours:kind_list", organisation.slug, programme.pk)
    return render(
        request,
        "parcours/manage/kind_edit.html",
        {"programme": programme, "kind_name": name, "form": form},
    )


# --- Teams ---------------------------------------------------------------------------


@organisation_view(MANAGE)
def team_list(request, organisation, programme_id):
    programme = _programme(request, organisation, programme_id)
    teams = Team.objects.select_related("territory").annotate(
        member_count=Count("members", filter=Q(members__left_at__isnull=True))
    )
    cohorts = list(
        Cohort.objects.filter(programme=programme).prefetch_related(Prefetch("teams", teams))
    )
    form = TeamForm(request.POST or None, programme=programme, cohorts=cohorts)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            team = services.create_team(
                cohort=data["cohort"],
                acting_user=request.user,
                name=data["name"],
                territory=data["territory"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Équipe « %(name)s » créée.") % {"name": team.name})
            return redirect("parcours:team_list", organisation.slug, programme.pk)
    return render(
        request,
        "parcours/manage/team_list.html",
        {
            "programme": programme,
            "cohorts": cohorts,
            "team_count": sum(len(cohort.teams.all()) for cohort in cohorts),
            "form": form,
        },
    )


# --- Sessions ------------------------------------------------------------------------


def _overlap_rows(overlaps):
    return [
        {"title": other.title, "when": format_session_when(other), "pk": other.pk}
        for other in overlaps.select_related("organisation")[:10]
    ]


def _check_session(form, candidate: Session, teams) -> list[dict]:
    """Validate ``candidate`` (errors go next to the fields) and look for overlaps the
    coordinator has not confirmed. Returns the overlapping sessions to show."""
    try:
        services.validate_session(candidate, teams=teams)
    except ValidationError as error:
        add_service_errors(form, error)
        return []
    overlaps = services.overlapping_sessions(candidate, teams=teams)
    if overlaps.exists() and not form.cleaned_data.get("confirm_overlap"):
        form.add_error(
            "confirm_overlap",
            _(
                "Cette séance chevauche une autre séance des mêmes équipes : cochez la case "
                "pour l'enregistrer quand même, ou changez la date."
            ),
        )
        return _overlap_rows(overlaps)
    return []


def _warn_holidays(request, sessions) -> None:
    """A warning, never a refusal, for each public holiday the sessions fall on."""
    days = []
    for session in sessions:
        days += local_days(session.starts_at, session.ends_at, session.organisation.time_zone)
    organisation = sessions[0].organisation if sessions else None
    for warning in holiday_warnings(days, organisation=organisation):
        messages.warning(request, warning)


def _session_page(request, template, context):
    form = context["form"]
    return render(
        request,
        template,
        {
            **context,
            "overlaps": context.get("overlaps", []),
            "needs_overlap_confirmation": "confirm_overlap" in form.errors,
        },
    )


@organisation_view(MANAGE)
def session_create(request, organisation, programme_id):
    programme = _programme(request, organisation, programme_id)
    form = SessionForm(request.POST or None, programme=programme)
    overlaps = []
    if request.method == "POST" and form.is_valid():
        fields = form.session_fields()
        teams = list(form.cleaned_data["teams"])
        candidate = Session(organisation=organisation, programme=programme, **fields)
        overlaps = _check_session(form, candidate, teams)
        if not form.errors:
            try:
                session = services.create_session(
                    programme=programme,
                    acting_user=request.user,
                    facilitators=form.cleaned_data["facilitators"],
                    teams=teams,
                    **fields,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, _("Séance « %(title)s » créée.") % {"title": session.title}
                )
                _warn_holidays(request, [session])
                return _to_session(session)
    return _session_page(
        request,
        "parcours/manage/session_form.html",
        {"programme": programme, "form": form, "overlaps": overlaps, "session": None},
    )


@organisation_view(MANAGE)
def session_edit(request, organisation, session_id):
    session = _session(request, organisation, session_id)
    programme = session.programme
    if session.is_cancelled:
        messages.error(request, _("Une séance annulée ne peut plus être modifiée."))
        return _to_session(session)
    session = Session.objects.prefetch_related("facilitators", "teams").get(pk=session.pk)
    form = SessionForm(request.POST or None, programme=programme, session=session)
    overlaps = []
    if request.method == "POST" and form.is_valid():
        fields = form.session_fields()
        teams = list(form.cleaned_data["teams"])
        candidate = Session(pk=session.pk, organisation=organisation, programme=programme, **fields)
        overlaps = _check_session(form, candidate, teams)
        if not form.errors:
            try:
                services.update_session(
                    session=session,
                    acting_user=request.user,
                    facilitators=form.cleaned_data["facilitators"],
                    teams=teams,
                    **fields,
                )
            except ValidationError as error:
                add_service_errors(form, error)
                session.refresh_from_db()
            else:
                messages.success(
                    request, _("Séance « %(title)s » enregistrée.") % {"title": session.title}
                )
                _warn_holidays(request, [session])
                return _to_session(session)
    return _session_page(
        request,
        "parcours/manage/session_form.html",
        {"programme": programme, "form": form, "overlaps": overlaps, "session": session},
    )


@organisation_view(MANAGE)
def session_duplicate(request, organisation, session_id):
    """« Dupliquer la séance »: a page says what the copy takes, its POST makes it."""
    session = _session(request, organisation, session_id)
    form = DuplicateSessionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        new_date = form.cleaned_data["new_date"]
        try:
            copy = services.duplicate_session(
                session=session, acting_user=request.user, new_date=new_date
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Séance dupliquée au %(date)s : la copie est « à confirmer ». Vérifiez-la "
                    "avant de l'enregistrer."
                )
                % {"date": format_day(new_date)}
                if new_date
                else _(
                    "Séance dupliquée : la copie est « à confirmer ». Ajustez sa date et son "
                    "titre avant de l'enregistrer."
                ),
            )
            return redirect("parcours:session_edit", organisation.slug, copy.pk)
    return render(
        request,
        "parcours/manage/session_duplicate.html",
        {
            "programme": session.programme,
            "session": session,
            "when": format_session_when(session),
            "copied": _copied(session),
            "form": form,
        },
    )


def _copied(session: Session) -> dict:
    """What a copy of the session takes with it, counted for the confirmation page."""
    items = AgendaItem.objects.filter(session=session)
    return {
        "title": _("%(title)s (copie)") % {"title": session.title},
        "facilitators": session.facilitators.count(),
        "teams": session.teams.count(),
        "agenda_items": items.count(),
        "workshops": Workshop.objects.filter(round__in=items).count(),
        "registrations": SessionRegistration.objects.filter(session=session).count(),
    }


@organisation_view(MANAGE)
def session_cancel(request, organisation, session_id):
    session = _session(request, organisation, session_id)
    form = CancelSessionForm(request.POST or None)
    notifies = session.programme.is_published and session.status == Session.Status.SCHEDULED
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_session(
                session=session, acting_user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            text = _("Séance « %(title)s » annulée.") % {"title": session.title}
            if notifies:
                text += " " + _("Les personnes attendues sont prévenues par e-mail.")
            messages.success(request, text)
        return _to_session(session)
    return render(
        request,
        "parcours/manage/session_cancel.html",
        {
            "programme": session.programme,
            "session": session,
            "when": format_session_when(session),
            "form": form,
            "notifies": notifies,
        },
    )


@organisation_view(MANAGE)
def individual_sessions(request, organisation, programme_id):
    programme = _programme(request, organisation, programme_id)
    form = IndividualSessionsForm(request.POST or None, programme=programme)
    team_count = Team.objects.filter(cohort__programme=programme).count()
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.generate_individual_sessions(
                programme=programme,
                acting_user=request.user,
                kind=data["kind"],
                title=data["title"],
                format=data["format"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                target_month=data["target_month"],
                place=data["place"],
                visio_url=data["visio_url"].strip(),
                objectives=data["objectives"],
                phase=data["phase"],
                facilitators=list(data["facilitators"]),
                expected_presence=data["expected_presence"],
                expected_role=data["expected_role"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s séance créée, à confirmer avec l'équipe.",
                    "%(count)s séances créées, à confirmer avec chaque équipe.",
                    len(created),
                )
                % {"count": len(created)},
            )
            _warn_holidays(request, created[:1])
            return _to_timeline(programme)
    return render(
        request,
        "parcours/manage/individual_sessions.html",
        {"programme": programme, "form": form, "team_count": team_count},
    )
