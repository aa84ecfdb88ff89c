"""Reading the parcours: programmes, the timeline, the month grid, the session list, a
session's page with its day agenda, registrations, and a person's own calendar."""

import calendar as stdlib_calendar
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_scopes import scopes_disabled

from organisations.access import organisation_view
from organisations.models import Organisation, Role
from organisations.roles import role_in
from parcours import selectors, services
from parcours.access import (
    get_programme_for_user_or_404,
    get_session_for_user_or_404,
    get_workshop_or_404,
)
from parcours.days import describe_days, session_slots
from parcours.extensions import programme_tabs, registration_panels, session_panels
from parcours.filters import SessionFilter
from parcours.models import (
    AgendaItem,
    Phase,
    Programme,
    Session,
    SessionFormat,
    SessionRegistration,
    Team,
    Workshop,
    WorkshopRegistration,
)
from parcours.timeline import (
    build_timeline,
    group_by_month,
    local_days,
)
from sillon.formatting import format_day, format_duration, format_month, format_session_when

User = get_user_model()

PROGRAMMES_PER_PAGE = 20
SESSIONS_PER_PAGE = 25
STAFF_ROLES = (Role.COORDINATOR, Role.TRAINER, Role.OBSERVER)
DAY_NAMES = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]


def _zone(organisation: Organisation) -> ZoneInfo:
    return ZoneInfo(organisation.time_zone)


def _session_url_maker(organisation: Organisation):
    """``session -> url`` with one ``reverse`` for the whole page."""
    sentinel = 987654321
    pattern = reverse("parcours:session_detail", args=[organisation.slug, sentinel])
    prefix, suffix = pattern.split(str(sentinel))
    return lambda session: f"{prefix}{session.pk}{suffix}"


def _decorate(sessions, organisation: Organisation) -> list[Session]:
    """Attach what the templates show for each session without a query per row: the
    organisation (for its time zone), the formatted date and the page's address."""
    url_for = _session_url_maker(organisation)
    format_labels = {value: str(label) for value, label in SessionFormat.choices}
    sessions = list(sessions)
    for session in sessions:
        session.organisation = organisation
        session.when = format_session_when(session)
        session.url = url_for(session)
        session.format_label = format_labels[session.format]
        session.length = format_duration(session_slots(session), in_person=session.is_in_person)
    return sessions


def programme_context(request, organisation, programme, tab: str) -> dict:
    """What ``parcours/partials/programme_header.html`` needs: the programme, the
    coordinator's tools, the tabs (those of higher apps included) and the current one."""
    can_manage = request.user.has_perm("parcours.manage_programme", organisation)
    return {
        "programme": programme,
        "can_manage": can_manage,
        "tab": tab,
        "is_draft": programme.status == Programme.Status.DRAFT,
        "extra_tabs": programme_tabs.collect(
            request=request, organisation=organisation, programme=programme
        ),
    }


def _visible_sessions(request, organisation, programme):
    return (
        selectors.sessions_visible_to(request.user, organisation)
        .filter(programme=programme)
        .prefetch_related("days")
    )


# --- Programmes ----------------------------------------------------------------------


@organisation_view("parcours.view_calendar")
def programme_list(request, organisation: Organisation):
    programmes = selectors.programmes_visible_to(request.user, organisation).order_by(
        "-start_date", "name"
    )
    page = Paginator(programmes, PROGRAMMES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "can_manage": request.user.has_perm("parcours.manage_programme", organisation),
    }
    return render(request, "parcours/programme_list.html", context)


@organisation_view("parcours.view_calendar")
def programme_timeline(request, organisation: Organisation, programme_id: int):
    programme = get_programme_for_user_or_404(request.user, organisation, programme_id)
    zone = _zone(organisation)
    phases = list(Phase.objects.filter(programme=programme))
    for phase in phases:
        phase.programme = programme
    sessions = _decorate(_visible_sessions(request, organisation, programme), organisation)
    # One flat query for the team rows of individual sessions: cheaper than building a
    # related manager per session through prefetch_related.
    team_names: dict[int, str] = {}
    for session_id, name in (
        Session.teams.through.objects.filter(session__in=[s.pk for s in sessions])
        .order_by("team__name")
        .values_list("session_id", "team__name")
    ):
        team_names.setdefault(session_id, name)

    def team_of(session):
        return team_names.get(session.pk, _("Sans équipe"))

    timeline = build_timeline(
        programme=programme,
        phases=phases,
        sessions=sessions,
        session_url=lambda session: session.url,
        zone=zone,
        today=timezone.now().astimezone(zone).date(),
        team_of=team_of,
    )
    kinds = {session.kind_id: session.kind for session in sessions}
    context = programme_context(request, organisation, programme, "timeline")
    context.update(
        {
            "timeline": timeline,
            "phases": phases,
            "kinds": sorted(kinds.values(), key=lambda kind: (kind.order, kind.name)),
            "months": group_by_month(sessions, programme=programme, zone=zone),
            "session_count": len(sessions),
            "formats": SessionFormat,
        }
    )
    return render(request, "parcours/timeline.html", context)


# --- Month ---------------------------------------------------------------------------


def _parse_month(value: str | None) -> date | None:
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return date(year, month, 1)
    except ValueError:
        return None


@organisation_view("parcours.view_calendar")
def programme_month(request, organisation: Organisation, programme_id: int):
    programme = get_programme_for_user_or_404(request.user, organisation, programme_id)
    zone = _zone(organisation)
    first_month = programme.start_date.replace(day=1)
    last_month = programme.end_date.replace(day=1)
    today = timezone.now().astimezone(zone).date()
    month = _parse_month(request.GET.get("mois"))
    if month is None or not first_month <= month <= last_month:
        month = today.replace(day=1) if first_month <= today <= programme.end_date else first_month

    days_in_month = stdlib_calendar.monthrange(month.year, month.month)[1]
    grid_start = month - timedelta(days=month.weekday())
    month_end = month.replace(day=days_in_month)
    grid_end = month_end + timedelta(days=6 - month_end.weekday())
    # Sessions touching the grid's weeks (a day's margin for time zones).
    range_start = datetime(grid_start.year, grid_start.month, grid_start.day, tzinfo=zone)
    range_end = datetime(grid_end.year, grid_end.month, grid_end.day, tzinfo=zone) + timedelta(
        days=1
    )
    sessions = _decorate(
        _visible_sessions(request, organisation, programme).filter(
            starts_at__lt=range_end, ends_at__gt=range_start
        ),
        organisation,
    )
    undated = _decorate(
        _visible_sessions(request, organisation, programme).filter(
            starts_at__isnull=True, target_month=month
        ),
        organisation,
    )
    by_day: dict[date, list[Session]] = {}
    for session in sessions:
        first, last = local_days(session, zone)
        day = max(first, grid_start)
        while day <= min(last, grid_end):
            by_day.setdefault(day, []).append(session)
            day += timedelta(days=1)

    weeks = []
    day = grid_start
    while day <= grid_end:
        week = []
        for _offset in range(7):
            week.append(
                {
                    "date": day,
                    "in_month": day.month == month.month,
                    "is_today": day == today,
                    "label": format_day(day),
                    "sessions": by_day.get(day, []),
                }
            )
            day += timedelta(days=1)
        weeks.append(week)

    previous_month = (month - timedelta(days=1)).replace(day=1)
    next_month = month_end + timedelta(days=1)
    context = programme_context(request, organisation, programme, "month")
    context.update(
        {
            "month": month,
            "month_label": format_month(month),
            "month_number": (month.year - first_month.year) * 12 + month.month - first_month.month,
            "weeks": weeks,
            "undated": undated,
            "day_names": DAY_NAMES,
            "session_count": len(sessions),
            "previous": (
                {"param": previous_month.strftime("%Y-%m"), "label": format_month(previous_month)}
                if previous_month >= first_month
                else None
            ),
            "next": (
                {"param": next_month.strftime("%Y-%m"), "label": format_month(next_month)}
                if next_month <= last_month
                else None
            ),
        }
    )
    return render(request, "parcours/month.html", context)


# --- List ----------------------------------------------------------------------------


@organisation_view("parcours.view_calendar")
def session_list(request, organisation: Organisation, programme_id: int):
    programme = get_programme_for_user_or_404(request.user, organisation, programme_id)
    visible = _visible_sessions(request, organisation, programme)
    teams = Team.objects.filter(cohort__programme=programme).select_related("cohort")
    if role_in(request.user, organisation) not in STAFF_ROLES:
        teams = teams.filter(members__user=request.user, members__left_at__isnull=True)
    facilitators = (
        User.objects.filter(facilitated_sessions__in=visible.values("pk"))
        .distinct()
        .order_by("last_name", "first_name", "email")
    )
    filterset = SessionFilter(
        request.GET or None,
        queryset=visible.prefetch_related(
            Prefetch("teams", queryset=Team.objects.only("pk", "name"))
        ),
        programme=programme,
        teams=teams,
        facilitators=facilitators,
    )
    results = filterset.qs if filterset.is_bound else filterset.queryset
    page = Paginator(results, SESSIONS_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = _decorate(page.object_list, organisation)
    context = programme_context(request, organisation, programme, "list")
    is_filtered = any(request.GET.get(name) for name in filterset.filters)
    context.update({"filter": filterset, "page": page, "is_filtered": is_filtered})
    template_name = "parcours/session_list.html"
    if request.htmx:
        template_name += "#results"
    return render(request, template_name, context)


# --- Session page --------------------------------------------------------------------


def _registration_sections(request, organisation: Organisation, session: Session) -> list:
    """The panels of the apps that register people to this open session themselves
    (inscriptions: its published event). When there is one, it replaces « Je m'inscris »
    and the parcours registers nobody to the session directly (``registration_panels``)."""
    if session.audience != Session.Audience.OPEN:
        return []
    return registration_panels.collect(
        request=request, organisation=organisation, session=session, place="session"
    )


def _session_page_context(request, organisation: Organisation, session: Session) -> dict:
    """Everything the session page and its htmx fragments show."""
    user = request.user
    role = role_in(user, organisation)
    is_staff = role in STAFF_ROLES
    session.organisation = organisation
    # Read several times by the page and the panels of other apps: loaded once.
    prefetch_related_objects(
        [session],
        "days",
        Prefetch("facilitators", queryset=User.objects.order_by("last_name", "first_name")),
    )
    teams = list(selectors.expected_teams(session))
    # Read by other apps' panels (``sondages``: who votes on the session's poll).
    session.loaded_expected_teams = teams
    if hasattr(session, "registrations_total"):  # annotated by ``session_detail``
        registrations = {"total": session.registrations_total, "mine": session.registered_viewer}
    else:
        registrations = SessionRegistration.objects.filter(session=session).aggregate(
            total=Count("pk"), mine=Count("pk", filter=Q(user_id=user.pk))
        )
    session.loaded_viewer_registered = bool(registrations["mine"])
    # The rule of ``selectors.is_expected``, from what is loaded above.
    expected = bool(
        registrations["mine"]
        or selectors.is_facilitator(user, session)
        or selectors.expected_in_teams(user, session, teams)
    )
    is_open = session.audience == Session.Audience.OPEN
    registered = is_open and bool(registrations["mine"])
    now = timezone.now()
    is_past = session.is_dated and session.ends_at < now
    can_act = not session.is_cancelled and not is_past

    chosen = WorkshopRegistration.objects.filter(workshop=OuterRef("pk"), user_id=user.pk)
    agenda = list(
        AgendaItem.objects.filter(session=session)
        .prefetch_related(
            Prefetch(
                "workshops",
                queryset=Workshop.objects.annotate(
                    taken=Count("registrations"), chosen=Exists(chosen)
                ).order_by("title"),
            ),
        )
        .annotate(
            has_people=Exists(
                AgendaItem.speaker_people.through.objects.filter(agendaitem=OuterRef("pk"))
            )
        )
    )
    # Linked speakers are read only when there are some (one query, whatever their number).
    if any(item.has_people for item in agenda):
        prefetch_related_objects(agenda, "speaker_people")
    # A linked speaker has their items (and their own .ics), never « Je m'inscris ».
    speaks = any(
        person.pk == user.pk
        for item in agenda
        if item.has_people
        for person in item.speaker_people.all()
    )
    zone = _zone(organisation)
    first_day = session.starts_at.astimezone(zone).date() if session.is_dated else None
    days = []
    for item in agenda if first_day else []:
        if not days or days[-1]["number"] != item.day:
            day = first_day + timedelta(days=item.day - 1)
            days.append({"number": item.day, "date": day, "label": format_day(day), "items": []})
        for workshop in item.workshops.all():
            workshop.seats_left = (
                None if workshop.capacity is None else max(workshop.capacity - workshop.taken, 0)
            )
        item.chosen_workshop = next((w for w in item.workshops.all() if w.chosen), None)
        days[-1]["items"].append(item)

    registration_count = registrations["total"] if is_open else 0
    # After ``loaded_viewer_registered``, which the panels read.
    registration_sections = _registration_sections(request, organisation, session)
    return {
        "session": session,
        "programme": session.programme,
        "when": format_session_when(session),
        "role": role,
        "is_staff": is_staff,
        "can_manage": user.has_perm("parcours.manage_programme", organisation),
        "expected": expected,
        "show_visio": bool(session.visio_url) and session.is_remote and (expected or is_staff),
        "is_open": is_open,
        "registered": registered,
        "registration_count": registration_count,
        "seats_left": (
            None
            if session.capacity is None or not is_open
            else max(session.capacity - registration_count, 0)
        ),
        "is_past": is_past,
        "can_register": is_open and can_act and not speaks and not registration_sections,
        "registration_sections": registration_sections,
        "speaks": speaks,
        # With its registration elsewhere, the workshops are chosen there too.
        "can_choose_workshop": can_act and expected and not registration_sections,
        "agenda_days": days,
        "day_times": describe_days(session),
        "multi_day": len({item.day for item in agenda}) > 1,
        "feedback": "",
        "feedback_ok": True,
        "expected_teams": teams,
    }


@organisation_view("parcours.view_calendar")
def session_detail(request, organisation: Organisation, session_id: int):
    registrations = SessionRegistration.objects.filter(session=OuterRef("pk"))
    count = registrations.values("session").annotate(total=Count("pk")).values("total")
    session = get_object_or_404(
        selectors.sessions_visible_to(request.user, organisation).annotate(
            registrations_total=Coalesce(Subquery(count), 0),
            registered_viewer=Exists(registrations.filter(user_id=request.user.pk)),
        ),
        pk=session_id,
    )
    context = _session_page_context(request, organisation, session)
    teams = context["expected_teams"]
    if not context["is_staff"]:
        teams = [
            team
            for team in teams
            if any(member.user_id == request.user.pk for member in team.current_members)
        ]
    context.update(
        {
            "facilitators": list(session.facilitators.all()),
            "expected_teams": teams,
            "extra_sections": session_panels.collect(
                request=request, organisation=organisation, session=session
            ),
        }
    )
    return render(request, "parcours/session_detail.html", context)


def _after_action(request, organisation, session, fragment: str, feedback: str, ok: bool):
    """Back to the session page, or its refreshed fragment for htmx."""
    if request.htmx:
        context = _session_page_context(request, organisation, session)
        context["feedback"] = feedback
        context["feedback_ok"] = ok
        return render(request, f"parcours/session_detail.html#{fragment}", context)
    (messages.success if ok else messages.error)(request, feedback)
    return redirect("parcours:session_detail", organisation.slug, session.pk)


@organisation_view("parcours.view_calendar")
@require_POST
def session_register(request, organisation: Organisation, session_id: int):
    session = get_session_for_user_or_404(request.user, organisation, session_id)
    if session.audience != Session.Audience.OPEN:
        raise Http404
    sections = _registration_sections(request, organisation, session)
    # A place taken directly before the event opened (a panel's context says ``direct``)
    # may still be given up here; anything else goes through the event.
    direct = any(section.context.get("direct") for section in sections)
    if sections and not (direct and request.POST.get("action") == "unregister"):
        # Registered, changed and cancelled through the event (its workshops, places,
        # waiting lists and confirmation): never around it.
        return _after_action(
            request,
            organisation,
            session,
            "registration",
            _(
                "Les inscriptions à cette séance se font en ligne, avec le choix des "
                "ateliers : suivez le lien ci-dessous."
            ),
            False,
        )
    try:
        if request.POST.get("action") == "unregister":
            services.unregister_from_session(session=session, user=request.user)
            feedback = _("Votre inscription est annulée.")
        else:
            services.register_to_session(session=session, user=request.user)
            feedback = _("Vous êtes inscrit·e à « %(title)s ».") % {"title": session.title}
    except ValidationError as error:
        return _after_action(
            request, organisation, session, "registration", " ".join(error.messages), False
        )
    return _after_action(request, organisation, session, "registration", feedback, True)


@organisation_view("parcours.view_calendar")
@require_POST
def workshop_choose(request, organisation: Organisation, session_id: int, workshop_id: int):
    session = get_session_for_user_or_404(request.user, organisation, session_id)
    workshop = get_workshop_or_404(organisation, session, workshop_id)
    if _registration_sections(request, organisation, session):
        return _after_action(
            request,
            organisation,
            session,
            "agenda",
            _(
                "Les ateliers de cette séance se choisissent avec son inscription en ligne "
                "(rubrique « Inscription »)."
            ),
            False,
        )
    if not selectors.is_expected(request.user, session):
        return _after_action(
            request,
            organisation,
            session,
            "agenda",
            _("Seules les personnes attendues ou inscrites à la séance choisissent un atelier."),
            False,
        )
    try:
        services.register_to_workshop(workshop=workshop, user=request.user)
    except ValidationError as error:
        return _after_action(
            request, organisation, session, "agenda", " ".join(error.messages), False
        )
    return _after_action(
        request,
        organisation,
        session,
        "agenda",
        _("Vous participerez à l'atelier « %(title)s ».") % {"title": workshop.title},
        True,
    )


# --- My calendar (every organisation) ------------------------------------------------


@login_required
def my_calendar(request):
    show_past = request.GET.get("passees") == "1"
    now = timezone.now()
    # Every condition is on the user: crossing organisations leaks nobody else's data.
    with scopes_disabled():
        sessions = selectors.sessions_expected_for(request.user)
        if show_past:
            sessions = sessions.filter(ends_at__lt=now).order_by("-starts_at", "-pk")
        else:
            sessions = sessions.filter(ends_at__gte=now).order_by("starts_at", "pk")
        sessions = sessions.prefetch_related("days")
        page = Paginator(sessions, SESSIONS_PER_PAGE).get_page(request.GET.get("page"))
        rows = list(page.object_list)
        url_makers = {}
        for session in rows:
            organisation = session.organisation
            if organisation.pk not in url_makers:
                url_makers[organisation.pk] = _session_url_maker(organisation)
            session.when = format_session_when(session)
            session.url = url_makers[organisation.pk](session)
    page.object_list = rows
    groups = []
    for session in rows:
        start = session.starts_at.astimezone(_zone(session.organisation))
        label = format_month(start.date())
        if not groups or groups[-1]["label"] != label:
            groups.append({"label": label, "sessions": []})
        groups[-1]["sessions"].append(session)
    context = {"page": page, "groups": groups, "show_past": show_past}
    return render(request, "parcours/my_calendar.html", context)
