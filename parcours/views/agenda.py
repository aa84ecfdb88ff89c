"""Coordinator tools for a session's day agenda (plenaries, rounds of parallel
workshops). Its documents are resources of the library (``ressources``)."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from organisations.access import organisation_view
from parcours import services
from parcours.access import (
    get_agenda_item_or_404,
    get_workshop_or_404,
)
from parcours.forms import (
    WorkshopForm,
    add_service_errors,
)
from parcours.models import (
    AgendaItem,
    Workshop,
    WorkshopRegistration,
)
from parcours.speaker_forms import AgendaItemSpeakersForm
from parcours.views.manage import MANAGE, _session
from sillon.formatting import format_day, format_session_when

# --- Day agenda ----------------------------------------------------------------------


def _agenda_page(request, session, *, item_form=None, workshop_forms=None):
    items = list(
        AgendaItem.objects.filter(session=session).prefetch_related(
            Prefetch("workshops", Workshop.objects.order_by("title")), "speaker_people"
        )
    )
    workshop_forms = workshop_forms or {}
    days = {}
    for item in items:
        if item.is_workshop_round:
            item.workshop_form = workshop_forms.get(item.pk) or WorkshopForm(
                prefix=f"atelier-{item.pk}"
            )
        days.setdefault(item.day, []).append(item)
    if item_form is None:
        # Only the day is suggested: a time typed by nobody is never saved (an empty
        # start used to come back as the previous item's end, 17 h).
        last = items[-1] if items else None
        item_form = AgendaItemSpeakersForm(
            initial={"day": last.day if last else 1}, organisation=session.organisation
        )
    zone = ZoneInfo(session.organisation.time_zone)
    first_day = session.starts_at.astimezone(zone).date() if session.is_dated else None
    day_list = [
        {
            "number": number,
            "label": format_day(first_day + timedelta(days=number - 1)) if first_day else "",
            "items": day_items,
        }
        for number, day_items in sorted(days.items())
    ]
    return render(
        request,
        "parcours/manage/agenda_edit.html",
        {
            "programme": session.programme,
            "session": session,
            "when": format_session_when(session),
            "days": day_list,
            "form": item_form,
        },
    )


def _save_item(form, user) -> None:
    """The item and its speakers, both or neither."""
    with transaction.atomic():
        services.save_agenda_item(item=form.instance, acting_user=user)
        form.save_speakers(acting_user=user)


@organisation_view(MANAGE)
def agenda_edit(request, organisation, session_id):
    session = _session(request, organisation, session_id)
    form = None
    if request.method == "POST":
        form = AgendaItemSpeakersForm(
            request.POST, instance=AgendaItem(session=session), organisation=organisation
        )
        if form.is_valid():
            try:
                _save_item(form, request.user)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, _("« %(title)s » ajouté au programme.") % {"title": form.instance}
                )
                return redirect("parcours:agenda_edit", organisation.slug, session.pk)
    return _agenda_page(request, session, item_form=form)


@organisation_view(MANAGE)
def agenda_item_edit(request, organisation, session_id, item_id):
    session = _session(request, organisation, session_id)
    item = get_agenda_item_or_404(organisation, session, item_id)
    title = item.title
    form = AgendaItemSpeakersForm(request.POST or None, instance=item, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            _save_item(form, request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("« %(title)s » enregistré.") % {"title": item.title})
            return redirect("parcours:agenda_edit", organisation.slug, session.pk)
    return render(
        request,
        "parcours/manage/agenda_item_edit.html",
        {"programme": session.programme, "session": session, "item_title": title, "form": form},
    )


def _confirm_removal(request, session, *, title, button, consequences, back_url):
    """The page before a removal: what goes with it; only its form's POST removes."""
    return render(
        request,
        "parcours/manage/confirm_removal.html",
        {
            "programme": session.programme,
            "session": session,
            "title": title,
            "button": button,
            "consequences": [line for line in consequences if line],
            "back_url": back_url,
        },
    )


def _registrations(count: int) -> str:
    return (
        ngettext(
            "%(count)s inscription à un atelier : les personnes inscrites perdent leur choix",
            "%(count)s inscriptions aux ateliers : les personnes inscrites perdent leur choix",
            count,
        )
        % {"count": count}
        if count
        else ""
    )


@organisation_view(MANAGE)
def agenda_item_delete(request, organisation, session_id, item_id):
    session = _session(request, organisation, session_id)
    item = get_agenda_item_or_404(organisation, session, item_id)
    back = reverse("parcours:agenda_edit", args=[organisation.slug, session.pk])
    if request.method != "POST":
        workshops = Workshop.objects.filter(round=item).count()
        registrations = WorkshopRegistration.objects.filter(workshop__round=item).count()
        return _confirm_removal(
            request,
            session,
            title=_("Retirer « %(title)s » du programme de la journée ?") % {"title": item.title},
            button=_("Retirer du programme"),
            consequences=[
                ngettext("%(count)s atelier", "%(count)s ateliers", workshops)
                % {"count": workshops}
                if workshops
                else "",
                _registrations(registrations),
            ],
            back_url=back,
        )
    services.delete_agenda_item(item=item, acting_user=request.user)
    messages.success(request, _("« %(title)s » retiré du programme.") % {"title": item.title})
    return redirect(back)


@organisation_view(MANAGE)
@require_POST
def workshop_add(request, organisation, session_id, item_id):
    session = _session(request, organisation, session_id)
    item = get_agenda_item_or_404(organisation, session, item_id)
    form = WorkshopForm(request.POST, prefix=f"atelier-{item.pk}", instance=Workshop(round=item))
    if form.is_valid():
        try:
            services.save_workshop(workshop=form.instance, acting_user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Atelier « %(title)s » ajouté.") % {"title": form.instance.title}
            )
            return redirect("parcours:agenda_edit", organisation.slug, session.pk)
    return _agenda_page(request, session, workshop_forms={item.pk: form})


@organisation_view(MANAGE)
def workshop_edit(request, organisation, session_id, workshop_id):
    session = _session(request, organisation, session_id)
    workshop = get_workshop_or_404(organisation, session, workshop_id)
    title = workshop.title
    form = WorkshopForm(request.POST or None, instance=workshop)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_workshop(workshop=form.instance, acting_user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Atelier « %(title)s » enregistré.") % {"title": workshop.title}
            )
            return redirect("parcours:agenda_edit", organisation.slug, session.pk)
    return render(
        request,
        "parcours/manage/workshop_edit.html",
        {
            "programme": session.programme,
            "session": session,
            "workshop_title": title,
            "form": form,
        },
    )


@organisation_view(MANAGE)
def workshop_delete(request, organisation, session_id, workshop_id):
    session = _session(request, organisation, session_id)
    workshop = get_workshop_or_404(organisation, session, workshop_id)
    back = reverse("parcours:agenda_edit", args=[organisation.slug, session.pk])
    if request.method != "POST":
        registrations = WorkshopRegistration.objects.filter(workshop=workshop).count()
        return _confirm_removal(
            request,
            session,
            title=_("Retirer l'atelier « %(title)s » ?") % {"title": workshop.title},
            button=_("Retirer l'atelier"),
            consequences=[_registrations(registrations)],
            back_url=back,
        )
    services.delete_workshop(workshop=workshop, acting_user=request.user)
    messages.success(request, _("Atelier « %(title)s » retiré.") % {"title": workshop.title})
    return redirect(back)
