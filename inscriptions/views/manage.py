"""The staff's side of an event, under its programme: the events of a programme,
opening one (coordinators), its dashboard (per collectif, person, fonction, structure
and workshop; places left, waiting lists, late changes; trainers read it), manual
registration and edits, the export, a message to the registrants."""

from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from inscriptions import services
from inscriptions.access import (
    get_event_registrant_or_404,
    get_staff_event_or_404,
    get_staff_programme_or_404,
)
from inscriptions.forms import DetailsForm, EventForm, MessageForm, PersonForm, WorkshopsForm
from inscriptions.models import Event
from inscriptions.selectors import dashboard, events_of, registrants_of
from organisations.access import organisation_view
from organisations.models import Role
from organisations.roles import role_in
from parcours.forms import add_service_errors
from sillon.exports import spreadsheet_response
from sillon.formatting import format_moment

VIEW = "parcours.view_calendar"
FORMATS = ("csv", "xlsx")


def _writer(request, organisation) -> bool:
    return role_in(request.user, organisation) == Role.COORDINATOR


def _require_writer(request, organisation) -> None:
    if not _writer(request, organisation):
        raise Http404


def _zone(organisation) -> ZoneInfo:
    return ZoneInfo(organisation.time_zone)


@organisation_view(VIEW)
def event_list(request, organisation, programme_id):
    programme = get_staff_programme_or_404(request.user, organisation, programme_id)
    events = list(events_of(programme))
    for event in events:
        event.deadline_when = format_moment(event.deadline, organisation)
    return render(
        request,
        "inscriptions/manage/list.html",
        {"programme": programme, "events": events, "can_manage": _writer(request, organisation)},
    )


def _event_form(request, organisation, programme, event):
    seance = request.GET.get("seance", "")
    form = EventForm(
        request.POST if request.method == "POST" else None,
        initial={"session": seance} if seance.isdigit() and event.pk is None else None,
        instance=event,
        programme=programme,
        zone=_zone(organisation),
    )
    if request.method == "POST" and form.is_valid():
        event = form.save(commit=False)
        event.organisation = organisation
        try:
            services.save_event(event=event, acting_user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("La page d'inscription est enregistrée."))
            return redirect(
                "inscriptions:dashboard", organisation.slug, programme.pk, event.pk
            ), form
    return None, form


@organisation_view(VIEW)
def event_create(request, organisation, programme_id):
    programme = get_staff_programme_or_404(request.user, organisation, programme_id)
    _require_writer(request, organisation)
    response, form = _event_form(request, organisation, programme, Event(organisation=organisation))
    if response:
        return response
    return render(request, "inscriptions/manage/form.html", {"programme": programme, "form": form})


@organisation_view(VIEW)
def event_edit(request, organisation, programme_id, event_id):
    programme, event = get_staff_event_or_404(request.user, organisation, programme_id, event_id)
    _require_writer(request, organisation)
    response, form = _event_form(request, organisation, programme, event)
    if response:
        return response
    return render(
        request,
        "inscriptions/manage/form.html",
        {"programme": programme, "form": form, "event": event},
    )


@organisation_view(VIEW)
def event_dashboard(request, organisation, programme_id, event_id):
    programme, event = get_staff_event_or_404(request.user, organisation, programme_id, event_id)
    data = dashboard(event)
    return render(
        request,
        "inscriptions/manage/dashboard.html",
        {
            **data,
            "programme": programme,
            "event": event,
            "session": event.session,
            "can_manage": _writer(request, organisation),
            "deadline_when": format_moment(event.deadline, organisation),
            "formats": FORMATS,
        },
    )


@organisation_view(VIEW)
def event_export(request, organisation, programme_id, event_id):
    _programme, event = get_staff_event_or_404(request.user, organisation, programme_id, event_id)
    _require_writer(request, organisation)
    fmt = request.GET.get("format", "csv")
    if fmt not in FORMATS:
        raise Http404
    rounds = services.workshop_rounds(event.session)
    headers = [
        _("Nom"),
        _("Prénom"),
        _("E-mail"),
        _("Structure"),
        _("Fonction"),
        _("Collectif"),
        _("Territoire"),
        _("Statut"),
        _("Inscrit·e le"),
        *[item.title for item in rounds],
    ]

    def rows():
        for person in registrants_of(event):
            chosen = {choice.round_id: choice for choice in person.choices.all()}
            cells = []
            for item in rounds:
                choice = chosen.get(item.pk)
                if choice is None:
                    cells.append("")
                elif choice.is_waiting:
                    cells.append(
                        _("%(title)s (liste d'attente)") % {"title": choice.workshop.title}
                    )
                else:
                    cells.append(choice.workshop.title)
            collective = person.collective
            yield [
                person.last_name,
                person.first_name,
                person.email,
                person.structure,
                person.function,
                collective.name if collective else "",
                collective.territory.name if collective and collective.territory else "",
                person.get_status_display(),
                person.created_at.astimezone(_zone(organisation)).strftime("%Y-%m-%d %H:%M"),
                *cells,
            ]
        # Registered directly to the session (before the page opened): a place too.
        for registration in services.direct_registrations(event).select_related("user"):
            user = registration.user
            yield [
                user.last_name,
                user.first_name,
                user.email,
                registration.structure,
                registration.function,
                "",
                "",
                _("inscrite depuis la page de la séance"),
                registration.created_at.astimezone(_zone(organisation)).strftime("%Y-%m-%d %H:%M"),
                *["" for _item in rounds],
            ]

    return spreadsheet_response(
        headers=headers, rows=rows(), filename=f"inscriptions-{event.slug}", fmt=fmt
    )


@organisation_view(VIEW)
def registrant_add(request, organisation, programme_id, event_id):
    """A coordinator registers someone: confirmed at once, after the deadline too."""
    programme, event = get_staff_event_or_404(request.user, organisation, programme_id, event_id)
    _require_writer(request, organisation)
    rounds = services.workshop_rounds(event.session)
    taken = services.taken_places(event.session)
    form = PersonForm(
        request.POST if request.method == "POST" else None, rounds=rounds, taken=taken
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.register(
                event=event,
                people=[form.person()],
                acting_user=request.user,
                confirm_now=True,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("La personne est inscrite."))
            return redirect("inscriptions:dashboard", organisation.slug, programme.pk, event.pk)
    return render(
        request,
        "inscriptions/manage/add.html",
        {"programme": programme, "event": event, "form": form},
    )


@organisation_view(VIEW)
def registrant_edit(request, organisation, programme_id, event_id, registrant_id):
    """A coordinator changes a person's details or workshops, or cancels."""
    programme, event = get_staff_event_or_404(request.user, organisation, programme_id, event_id)
    _require_writer(request, organisation)
    registrant = get_event_registrant_or_404(event, registrant_id)
    rounds = services.workshop_rounds(event.session)
    taken = services.taken_places(event.session)
    current = {f"round_{c.round_id}": str(c.workshop_id) for c in registrant.choices.all()}
    post = request.POST if request.method == "POST" else None
    action = (post or {}).get("action", "")
    details = DetailsForm(
        post if action == "details" else None,
        initial={"structure": registrant.structure, "function": registrant.function},
    )
    workshops = WorkshopsForm(
        post if action == "workshops" else None, rounds=rounds, taken=taken, initial=current
    )
    done = ""
    if post is not None and not registrant.is_cancelled:
        try:
            if action == "details" and details.is_valid():
                services.update_details(
                    registrant=registrant, acting_user=request.user, **details.cleaned_data
                )
                done = _("Les informations sont enregistrées.")
            elif action == "workshops" and workshops.is_valid():
                services.change_workshops(
                    registrant=registrant,
                    workshops=workshops.cleaned_data["workshops"],
                    acting_user=request.user,
                    by_coordinator=True,
                )
                done = _("Les ateliers sont enregistrés.")
            elif action == "cancel":
                services.cancel(
                    registrant=registrant, acting_user=request.user, by_coordinator=True
                )
                done = _("L'inscription est annulée.")
        except ValidationError as error:
            add_service_errors(workshops if action == "workshops" else details, error)
        if done:
            messages.success(request, done)
            return redirect(request.path)
    return render(
        request,
        "inscriptions/manage/registrant.html",
        {
            "programme": programme,
            "event": event,
            "registrant": registrant,
            "details": details,
            "workshops": workshops,
        },
    )


@organisation_view(VIEW)
def event_message(request, organisation, programme_id, event_id):
    """Write to every confirmed registrant, or to one workshop's (the outbox)."""
    programme, event = get_staff_event_or_404(request.user, organisation, programme_id, event_id)
    _require_writer(request, organisation)
    rounds = services.workshop_rounds(event.session)
    form = MessageForm(request.POST if request.method == "POST" else None, rounds=rounds)
    if request.method == "POST" and form.is_valid():
        try:
            count = services.send_event_message(
                event=event,
                acting_user=request.user,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                workshop=form.chosen_workshop(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Message envoyé à %(count)d personne(s).") % {"count": count}
            )
            return redirect("inscriptions:dashboard", organisation.slug, programme.pk, event.pk)
    return render(
        request,
        "inscriptions/manage/message.html",
        {"programme": programme, "event": event, "form": form},
    )
