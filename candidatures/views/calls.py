"""The call for applications (AMI).

Public side: anyone reads a published call (``/<organisation>/appels/<call>/``) and its
documents (ressources, through ``call_public_panels``); a draft answers 404 except to
the organisation's coordinators, who preview it. Coordinator side: the programme's
calls, writing and publishing a call and its scoring grid. Thin views: a form parses, a
service checks and writes, the page redirects with a message in French."""

from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from candidatures import services
from candidatures.access import applications_of, get_public_call_or_404
from candidatures.extensions import call_panels, call_public_panels
from candidatures.forms.calls import CallForm, CriterionForm
from candidatures.models import Application, Call, ScoringCriterion
from candidatures.services.calls import grid_is_locked
from organisations.access import organisation_view
from parcours.access import get_programme_for_user_or_404
from parcours.extensions import registration_panels
from parcours.forms import add_service_errors
from parcours.models import Cohort, Programme
from parcours.views.calendar import programme_context
from sillon.formatting import format_day, format_session_when, format_time

MANAGE = "parcours.manage_programme"
CALLS_PER_PAGE = 20

OPEN, UPCOMING, CLOSED = "open", "upcoming", "closed"
STATE_LABELS = {
    OPEN: gettext_lazy("ouvert"),
    UPCOMING: gettext_lazy("à venir"),
    CLOSED: gettext_lazy("clos"),
}


def call_state(call: Call, now) -> str:
    """Where the call's window stands, by its dates alone (a draft has one too)."""
    if now < call.opens_at:
        return UPCOMING
    if now < call.closes_at:
        return OPEN
    return CLOSED


def format_moment(moment, zone: str) -> str:
    """« mercredi 3 juin 2026 à 9 h » on the organisation's clock."""
    local = moment.astimezone(ZoneInfo(zone))
    return _("%(day)s à %(time)s") % {"day": format_day(local.date()), "time": format_time(local)}


def _decorate(call: Call, organisation, now) -> Call:
    """What the pages show of a call's window: its state and its dates in French."""
    call.state = call_state(call, now)
    call.state_label = STATE_LABELS[call.state]
    call.opens_when = format_moment(call.opens_at, organisation.time_zone)
    call.closes_when = format_moment(call.closes_at, organisation.time_zone)
    return call


# --- Public pages --------------------------------------------------------------------


@organisation_view(public=True)
def call_public_list(request, organisation):
    """The published calls: open ones first, then those to come, then the closed ones."""
    now = timezone.now()
    calls = (
        Call.objects.filter(organisation=organisation, status=Call.Status.PUBLISHED)
        .annotate(
            rank=Case(
                When(opens_at__lte=now, closes_at__gt=now, then=Value(0)),
                When(opens_at__gt=now, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("rank", "-opens_at", "pk")
    )
    page = Paginator(calls, CALLS_PER_PAGE).get_page(request.GET.get("page"))
    for call in page.object_list:
        _decorate(call, organisation, now)
    return render(request, "candidatures/calls/public_list.html", {"page": page})


@organisation_view(public=True)
def call_public(request, organisation, call_slug):
    """The call as candidates read it, with what to do next: apply, resume an
    application, or nothing once it has closed."""
    call = get_public_call_or_404(request.user, organisation, call_slug)
    _decorate(call, organisation, timezone.now())
    webinar = call.webinar
    webinar_when = ""
    if webinar is not None:
        webinar.organisation = organisation  # its time zone, without a query
        webinar_when = format_session_when(webinar)
    start_url = reverse("candidatures:application_start", args=[organisation.slug, call.slug])
    mine = []
    if request.user.is_authenticated:
        mine = list(
            applications_of(request.user, call)
            .select_related("territory")
            .order_by("created_at", "pk")
        )
    return render(
        request,
        "candidatures/calls/public_detail.html",
        {
            "call": call,
            "is_preview": not call.is_published,
            "is_open": call.is_open(),
            # The call's documents (ressources: the AMI's rules), anonymous visitors included.
            "call_sections": call_public_panels.collect(
                request=request, organisation=organisation, call=call
            ),
            "webinar": webinar,
            "webinar_when": webinar_when,
            "start_url": start_url,
            "my_applications": mine,
            # How to register to the webinar (inscriptions: its public event page).
            "public_panels": registration_panels.collect(
                request=request, organisation=organisation, session=webinar
            )
            if webinar is not None
            else [],
        },
    )


# --- Coordinator pages ---------------------------------------------------------------


def _programme(request, organisation, programme_id) -> Programme:
    return get_programme_for_user_or_404(request.user, organisation, programme_id)


def _call(request, organisation, programme_id, call_id) -> Call:
    """A call of this programme in this organisation, or 404."""
    programme = _programme(request, organisation, programme_id)
    call = get_object_or_404(
        Call.objects.select_related("cohort", "webinar"),
        organisation=organisation,
        programme=programme,
        pk=call_id,
    )
    call.programme = programme
    return call


def _to_manage(organisation, call):
    return redirect("candidatures:call_manage", organisation.slug, call.programme_id, call.pk)


@organisation_view(MANAGE)
def call_list(request, organisation, programme_id):
    """The programme's calls, with how many applications each has in each state (one
    query)."""
    programme = _programme(request, organisation, programme_id)
    statuses = Application.Status.choices
    counts = {
        f"count_{value}": Count("applications", filter=Q(applications__status=value))
        for value, _label in statuses
    }
    calls = list(
        Call.objects.filter(organisation=organisation, programme=programme)
        .select_related("cohort")
        .annotate(application_count=Count("applications"), **counts)
        .order_by("-opens_at", "pk")
    )
    now = timezone.now()
    for call in calls:
        _decorate(call, organisation, now)
        call.status_counts = [
            (label, getattr(call, f"count_{value}"))
            for value, label in statuses
            if getattr(call, f"count_{value}")
        ]
    return render(
        request,
        "candidatures/calls/list.html",
        {**programme_context(request, organisation, programme, "calls"), "calls": calls},
    )


def _call_form_initial(organisation, programme) -> dict:
    cohorts = list(Cohort.objects.filter(programme=programme)[:2])
    initial = {"contact_email": organisation.contact_email}
    if len(cohorts) == 1:
        initial["cohort"] = cohorts[0].pk
    return initial


@organisation_view(MANAGE)
def call_create(request, organisation, programme_id):
    programme = _programme(request, organisation, programme_id)
    form = CallForm(
        request.POST or None,
        programme=programme,
        initial=_call_form_initial(organisation, programme),
    )
    if request.method == "POST" and form.is_valid():
        try:
            call = services.create_call(
                programme=programme, acting_user=request.user, **form.call_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Appel « %(title)s » créé en brouillon : seuls les coordinateurs le voient.")
                % {"title": call.title},
            )
            return _to_manage(organisation, call)
    return render(
        request,
        "candidatures/calls/form.html",
        {"programme": programme, "call": None, "form": form},
    )


@organisation_view(MANAGE)
def call_edit(request, organisation, programme_id, call_id):
    call = _call(request, organisation, programme_id, call_id)
    form = CallForm(request.POST or None, instance=call, programme=call.programme)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_call(call=call, acting_user=request.user, **form.call_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Appel « %(title)s » enregistré.") % {"title": call.title})
            return _to_manage(organisation, call)
    return render(
        request,
        "candidatures/calls/form.html",
        {"programme": call.programme, "call": call, "form": form},
    )


@organisation_view(MANAGE)
@require_POST
def call_publish(request, organisation, programme_id, call_id):
    call = _call(request, organisation, programme_id, call_id)
    try:
        services.publish_call(call=call, acting_user=request.user)
    except ValidationError as error:
        messages.error(
            request,
            _("L'appel n'est pas publié : %(reasons)s") % {"reasons": " ".join(error.messages)},
        )
    else:
        messages.success(
            request,
            _("Appel « %(title)s » publié : sa page est ouverte à tous.") % {"title": call.title},
        )
    return _to_manage(organisation, call)


@organisation_view(MANAGE)
def call_manage(request, organisation, programme_id, call_id):
    """The call at a glance: its state, its public page, its applications by status,
    its grid, and the panels of higher apps (its documents, questions, T0)."""
    call = _call(request, organisation, programme_id, call_id)
    _decorate(call, organisation, timezone.now())
    by_status = dict(
        Application.objects.filter(call=call)
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    status_rows = [(label, by_status.get(value, 0)) for value, label in Application.Status.choices]
    criteria = list(call.scoring_criteria.all())
    return render(
        request,
        "candidatures/calls/manage.html",
        {
            "programme": call.programme,
            "call": call,
            "public_url": request.build_absolute_uri(
                reverse("candidatures:call_public", args=[organisation.slug, call.slug])
            ),
            "problems": (
                list(services.publication_problems(call).values()) if not call.is_published else []
            ),
            "status_rows": status_rows,
            "application_total": sum(by_status.values()),
            "criteria": criteria,
            "total_weight": sum(criterion.weight for criterion in criteria),
            "extra_sections": call_panels.collect(
                request=request, organisation=organisation, call=call
            ),
        },
    )


# --- Scoring grid --------------------------------------------------------------------


def _criterion(organisation, call, criterion_id) -> ScoringCriterion:
    criterion = get_object_or_404(
        ScoringCriterion.objects, organisation=organisation, call=call, pk=criterion_id
    )
    criterion.call = call
    return criterion


def _to_grid(organisation, call):
    return redirect("candidatures:scoring_grid", organisation.slug, call.programme_id, call.pk)


def _save_criterion(request, form, call, criterion=None) -> bool:
    try:
        saved = services.save_scoring_criterion(
            call=call, acting_user=request.user, criterion=criterion, **form.criterion_fields()
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    messages.success(request, _("Critère « %(name)s » enregistré.") % {"name": saved.name})
    return True


@organisation_view(MANAGE)
def scoring_grid(request, organisation, programme_id, call_id):
    """The criteria reviewers score applications on, with their weights."""
    call = _call(request, organisation, programme_id, call_id)
    criteria = list(call.scoring_criteria.all())
    form = CriterionForm(
        request.POST or None,
        initial={"order": max((c.order for c in criteria), default=0) + 1},
    )
    if request.method == "POST" and form.is_valid() and _save_criterion(request, form, call):
        return _to_grid(organisation, call)
    return render(
        request,
        "candidatures/calls/scoring_grid.html",
        {
            "programme": call.programme,
            "call": call,
            "criteria": criteria,
            "total_weight": sum(criterion.weight for criterion in criteria),
            "locked": grid_is_locked(call),
            "form": form,
        },
    )


@organisation_view(MANAGE)
def criterion_edit(request, organisation, programme_id, call_id, criterion_id):
    call = _call(request, organisation, programme_id, call_id)
    criterion = _criterion(organisation, call, criterion_id)
    name = criterion.name
    form = CriterionForm(request.POST or None, instance=criterion)
    if (
        request.method == "POST"
        and form.is_valid()
        and _save_criterion(request, form, call, criterion)
    ):
        return _to_grid(organisation, call)
    return render(
        request,
        "candidatures/calls/criterion_edit.html",
        {"programme": call.programme, "call": call, "criterion_name": name, "form": form},
    )


@organisation_view(MANAGE)
@require_POST
def criterion_delete(request, organisation, programme_id, call_id, criterion_id):
    call = _call(request, organisation, programme_id, call_id)
    criterion = _criterion(organisation, call, criterion_id)
    try:
        services.delete_scoring_criterion(criterion=criterion, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Critère « %(name)s » supprimé.") % {"name": criterion.name})
    return _to_grid(organisation, call)
