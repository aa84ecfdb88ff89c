"""Date polls: the organiser proposes slots, the team members answer, the organiser
picks one. Thin views: an access helper (404 for anyone else), a form, a service, a
redirect with a French message; the phone page saves each answer in place with htmx and
still works as a plain form."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from organisations.access import organisation_view
from organisations.models import Role
from organisations.roles import role_in
from parcours.access import get_programme_for_user_or_404
from parcours.forms import add_service_errors
from parcours.holidays import holiday_name, holiday_warnings, local_days
from parcours.models import Session, SessionFormat
from parcours.views.calendar import programme_context
from sillon.formatting import format_period, format_session_when
from sondages import services
from sondages.access import get_poll_for_user_or_404, get_session_to_poll_or_404, get_slot_or_404
from sondages.forms import AnswerForm, ClosingForm, LaunchForm, MoreSlotsForm, slot_formset
from sondages.models import DatePoll, Vote
from sondages.results import my_polls as my_polls_selector
from sondages.results import poll_results, programme_polls, results_for
from sondages.services import format_moment

MANAGE = "parcours.manage_programme"
VIEW = "parcours.view_calendar"
POLLS_PER_PAGE = 25
DEFAULT_CLOSING_DAYS = 7

ANSWER_TEXT = {
    Vote.Answer.YES: ("✓", _("Oui")),
    Vote.Answer.IF_NEEDED: ("~", _("Si nécessaire")),
    Vote.Answer.NO: ("✗", _("Non")),
}


def _zone(organisation):
    return ZoneInfo(organisation.time_zone)


def _slot_errors(formset, error: ValidationError | None = None) -> list[str]:
    """Errors about the slots as a whole: the formset's own and the service's."""
    errors = list(formset.non_form_errors()) if formset.is_bound else []
    if error is not None and hasattr(error, "error_dict"):
        errors += error.message_dict.get("slots", [])
    return errors


def _form_errors(form, error: ValidationError) -> None:
    """The service's errors next to their field (slots go with the rows)."""
    if hasattr(error, "error_dict"):
        rest = {key: value for key, value in error.message_dict.items() if key != "slots"}
        if rest:
            add_service_errors(form, ValidationError(rest))
    else:
        add_service_errors(form, error)


def _warn_holidays(request, organisation, slots) -> None:
    """A warning, never a refusal, for each public holiday a proposed slot falls on."""
    days = []
    for slot in slots:
        days += local_days(slot.starts_at, slot.ends_at, organisation.time_zone)
    for warning in holiday_warnings(days, organisation=organisation):
        messages.warning(request, warning)


def _holiday(slot, organisation) -> str:
    """« Jour férié (Fête nationale) » when the slot starts on a public holiday."""
    day = slot.starts_at.astimezone(_zone(organisation)).date()
    name = holiday_name(day, organisation=organisation)
    return _("Jour férié (%(name)s)") % {"name": name} if name else ""


def _answer_cells(answers):
    return [
        {"symbol": ANSWER_TEXT[a][0], "label": ANSWER_TEXT[a][1], "answer": a}
        if a
        else {"symbol": "—", "label": _("Pas de réponse"), "answer": ""}
        for a in answers
    ]


# --- The poll page -------------------------------------------------------------------


def _can_answer(poll: DatePoll, access) -> bool:
    return access.voter and poll.is_open and poll.closes_at > timezone.now()


def _card(result, organisation, *, answer, errors=(), feedback="", feedback_ok=True) -> dict:
    return {
        "result": result,
        "slot": result.slot,
        "when": format_period(result.slot.starts_at, result.slot.ends_at, organisation.time_zone),
        "holiday": _holiday(result.slot, organisation),
        "answer": answer or "",
        "errors": list(errors),
        "feedback": feedback,
        "feedback_ok": feedback_ok,
    }


def _detail_context(request, organisation, poll, access, results, form=None) -> dict:
    zone = organisation.time_zone
    mine = results.answers_of(request.user)
    can_answer = _can_answer(poll, access)
    cards = []
    for result in results.slots:
        key = AnswerForm.key(result.slot)
        if form is not None and form.is_bound:
            answer = form.data.get(key) or mine.get(result.slot.pk)
            errors = form.errors.get(key, [])
        else:
            answer, errors = mine.get(result.slot.pk), []
        cards.append(_card(result, organisation, answer=answer, errors=errors))
    if form is None and can_answer:
        comment = next(
            (row.comment for row in results.voters if row.user.pk == request.user.pk), ""
        )
        form = AnswerForm(slots=[r.slot for r in results.slots], initial={"comment": comment})
    for result in results.slots:
        result.when = format_period(result.slot.starts_at, result.slot.ends_at, zone)
        result.holiday = _holiday(result.slot, organisation)
    rows = [{"row": row, "cells": _answer_cells(row.answers)} for row in results.voters]
    session = poll.session
    return {
        "poll": poll,
        "session": session,
        "programme": session.programme,
        "access": access,
        "results": results,
        "cards": cards,
        "rows": rows,
        "form": form,
        "can_answer": can_answer,
        "answered": bool(mine),
        "closes_when": format_moment(poll.closes_at, zone),
        "closed_for_answers": poll.closes_at <= timezone.now(),
        "chosen_when": (
            format_period(poll.chosen_slot.starts_at, poll.chosen_slot.ends_at, zone)
            if poll.chosen_slot
            else ""
        ),
        "now": timezone.now(),
        "answer_choices": Vote.Answer.choices,
    }


@organisation_view(VIEW)
def poll_detail(request, organisation, poll_id):
    """The voter's page (one card per slot, three big choices, a comment), « Qui a
    répondu quoi », and for the organiser the ranked slots and the decisions."""
    poll, access = get_poll_for_user_or_404(request.user, organisation, poll_id)
    results = poll_results(poll)
    return render(
        request,
        "sondages/detail.html",
        _detail_context(request, organisation, poll, access, results),
    )


@organisation_view(VIEW)
@require_POST
def poll_vote(request, organisation, poll_id):
    """The whole form: every slot's answer and the comment (works without JavaScript)."""
    poll, access = get_poll_for_user_or_404(request.user, organisation, poll_id)
    if not access.voter:
        raise Http404
    results = poll_results(poll)
    form = AnswerForm(request.POST, slots=[result.slot for result in results.slots])
    if form.is_valid():
        try:
            services.answer_date_poll(
                poll=poll,
                user=request.user,
                answers=form.answers(),
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                messages.error(request, " ".join(error.messages))
                return redirect("sondages:poll_detail", organisation.slug, poll.pk)
            add_service_errors(form, error)
        else:
            messages.success(request, _("Merci : vos réponses sont enregistrées."))
            return redirect("sondages:poll_detail", organisation.slug, poll.pk)
    return render(
        request,
        "sondages/detail.html",
        _detail_context(request, organisation, poll, access, results, form=form),
    )


@organisation_view(VIEW)
@require_POST
def slot_vote(request, organisation, poll_id, slot_id):
    """One slot's answer, saved as soon as it is chosen: htmx swaps the slot's card; a
    plain post comes back to the page with a message."""
    poll, access = get_poll_for_user_or_404(request.user, organisation, poll_id)
    if not access.voter:
        raise Http404
    slot = get_slot_or_404(poll, slot_id)
    answer = request.POST.get(AnswerForm.key(slot)) or request.POST.get("answer", "")
    try:
        services.vote_on_slot(slot=slot, user=request.user, answer=answer)
    except ValidationError as error:
        ok, feedback = False, " ".join(error.messages)
    else:
        ok = True
        feedback = _("Réponse enregistrée : %(answer)s.") % {
            "answer": Vote.Answer(answer).label.lower()
        }
    if request.htmx:
        results = poll_results(poll)
        result = next(r for r in results.slots if r.slot.pk == slot.pk)
        context = _detail_context(request, organisation, poll, access, results)
        context["card"] = _card(
            result,
            organisation,
            answer=results.answers_of(request.user).get(slot.pk),
            feedback=feedback,
            feedback_ok=ok,
        )
        return render(request, "sondages/detail.html#slot_card", context)
    (messages.success if ok else messages.error)(request, feedback)
    return redirect("sondages:poll_detail", organisation.slug, poll.pk)


# --- Organiser -----------------------------------------------------------------------


def _organised_poll(request, organisation, poll_id):
    poll, access = get_poll_for_user_or_404(request.user, organisation, poll_id)
    if not access.organiser:
        raise Http404
    return poll, access


def _default_closing(zone):
    return {
        "closes_day": (timezone.now() + timedelta(days=DEFAULT_CLOSING_DAYS))
        .astimezone(zone)
        .date()
    }


@organisation_view(VIEW)
def poll_create(request, organisation, session_id):
    """« Proposer des dates » for one session."""
    session = get_session_to_poll_or_404(request.user, organisation, session_id)
    open_poll = DatePoll.objects.filter(session=session, status=DatePoll.Status.OPEN).first()
    if open_poll is not None:
        messages.info(request, _("Un sondage est déjà ouvert pour cette séance."))
        return redirect("sondages:poll_detail", organisation.slug, open_poll.pk)
    zone = _zone(organisation)
    more_rows = "more_rows" in request.POST
    formset = slot_formset(request, zone=zone, default_format=session.format)
    form = ClosingForm(
        request.POST if request.method == "POST" else None,
        zone=zone,
        initial=_default_closing(zone),
    )
    slot_error = None
    if request.method == "POST" and not more_rows and form.is_valid() & formset.is_valid():
        try:
            poll = services.create_date_poll(
                session=session,
                acting_user=request.user,
                slots=formset.specs(),
                closes_at=form.cleaned_data["closes_at"],
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            slot_error = error
            _form_errors(form, error)
        else:
            messages.success(
                request,
                _("Sondage lancé : les personnes attendues sont invitées à répondre."),
            )
            _warn_holidays(request, organisation, poll.slots.all())
            return redirect("sondages:poll_detail", organisation.slug, poll.pk)
    return render(
        request,
        "sondages/create.html",
        {
            "session": session,
            "programme": session.programme,
            "when": format_session_when(session),
            "form": form,
            "formset": formset,
            "slot_errors": _slot_errors(formset, slot_error),
        },
    )


def _series(title: str) -> str:
    """« Accompagnement individuel n°1 — PAT du Vimeu » → « Accompagnement individuel n°1 »."""
    return title.split(" — ")[0].strip()


@organisation_view(MANAGE)
def poll_launch_batch(request, organisation, programme_id):
    """« Lancer les sondages pour toutes les équipes »: pick the individual sessions (a
    series preselected), propose the same slots to every team."""
    programme = get_programme_for_user_or_404(request.user, organisation, programme_id)
    zone = _zone(organisation)
    now = timezone.now()
    candidates = (
        Session.objects.filter(programme=programme, audience=Session.Audience.TEAM)
        .exclude(status=Session.Status.CANCELLED)
        .exclude(status=Session.Status.SCHEDULED, starts_at__lte=now)
        .exclude(date_polls__status=DatePoll.Status.OPEN)
        .order_by("title", "pk")
    )
    sessions = list(candidates)
    series = sorted({_series(session.title) for session in sessions})
    to_date = [s for s in sessions if s.status == Session.Status.TENTATIVE]
    chosen_series = request.GET.get("serie") or (_series(to_date[0].title) if to_date else "")
    if chosen_series not in series:
        chosen_series = series[0] if series else ""
    preselected = [s.pk for s in to_date if _series(s.title) == chosen_series]
    in_series = [s for s in sessions if _series(s.title) == chosen_series]
    default_format = in_series[0].format if in_series else SessionFormat.REMOTE
    more_rows = "more_rows" in request.POST
    formset = slot_formset(request, zone=zone, default_format=default_format)
    form = LaunchForm(
        request.POST if request.method == "POST" else None,
        sessions=candidates,
        zone=zone,
        initial={**_default_closing(zone), "sessions": preselected},
    )
    slot_error = None
    if request.method == "POST" and not more_rows:
        if form.is_valid() & formset.is_valid():
            try:
                polls = services.launch_team_polls(
                    programme=programme,
                    acting_user=request.user,
                    sessions=list(form.cleaned_data["sessions"]),
                    slots=formset.specs(),
                    closes_at=form.cleaned_data["closes_at"],
                    message=form.cleaned_data["message"],
                )
            except ValidationError as error:
                slot_error = error
                _form_errors(form, error)
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s sondage lancé : les équipes sont invitées à répondre.",
                        "%(count)s sondages lancés : les équipes sont invitées à répondre.",
                        len(polls),
                    )
                    % {"count": len(polls)},
                )
                if polls:
                    _warn_holidays(request, organisation, polls[0].slots.all())
                return redirect("sondages:poll_list", organisation.slug, programme.pk)
    elif more_rows:
        form.is_valid()
    return render(
        request,
        "sondages/launch.html",
        {
            **programme_context(request, organisation, programme, "polls"),
            "form": form,
            "formset": formset,
            "slot_errors": _slot_errors(formset, slot_error),
            "series": series,
            "chosen_series": chosen_series,
        },
    )


@organisation_view(VIEW)
def poll_add_slots(request, organisation, poll_id):
    """« Aucun créneau ne convient »: more slots, maybe a later closing."""
    poll, _access = _organised_poll(request, organisation, poll_id)
    if not poll.is_open:
        messages.error(request, _("Ce sondage est clos : on ne peut plus y ajouter de créneaux."))
        return redirect("sondages:poll_detail", organisation.slug, poll.pk)
    zone = _zone(organisation)
    more_rows = "more_rows" in request.POST
    formset = slot_formset(request, zone=zone, default_format=poll.session.format)
    form = MoreSlotsForm(request.POST if request.method == "POST" else None, zone=zone)
    slot_error = None
    if request.method == "POST" and not more_rows:
        if form.is_valid() & formset.is_valid():
            try:
                slots = services.add_poll_slots(
                    poll=poll,
                    acting_user=request.user,
                    slots=formset.specs(),
                    closes_at=form.cleaned_data.get("closes_at"),
                )
            except ValidationError as error:
                slot_error = error
                _form_errors(form, error)
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s créneau ajouté : les personnes qui avaient répondu sont "
                        "prévenues.",
                        "%(count)s créneaux ajoutés : les personnes qui avaient répondu sont "
                        "prévenues.",
                        len(slots),
                    )
                    % {"count": len(slots)},
                )
                _warn_holidays(request, organisation, slots)
                return redirect("sondages:poll_detail", organisation.slug, poll.pk)
    elif more_rows:
        form.is_valid()
    return render(
        request,
        "sondages/add_slots.html",
        {
            "poll": poll,
            "session": poll.session,
            "programme": poll.session.programme,
            "closes_when": format_moment(poll.closes_at, organisation.time_zone),
            "form": form,
            "formset": formset,
            "slot_errors": _slot_errors(formset, slot_error),
        },
    )


@organisation_view(VIEW)
def poll_choose(request, organisation, poll_id, slot_id):
    """« Retenir ce créneau »: a confirmation page, then the session is scheduled."""
    poll, _access = _organised_poll(request, organisation, poll_id)
    slot = get_slot_or_404(poll, slot_id)
    if not poll.is_open:
        messages.error(
            request,
            _("Ce sondage est clos : %(state)s.") % {"state": poll.get_status_display().lower()},
        )
        return redirect("sondages:poll_detail", organisation.slug, poll.pk)
    zone = organisation.time_zone
    when = format_period(slot.starts_at, slot.ends_at, zone)
    if request.method == "POST":
        try:
            session = services.close_date_poll(poll=poll, slot=slot, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("sondages:poll_detail", organisation.slug, poll.pk)
        if session.programme.is_published:
            message = _(
                "Date retenue : la séance est programmée le %(when)s. Les participant·es "
                "reçoivent leur convocation."
            )
        else:
            message = _(
                "Date retenue : la séance est programmée le %(when)s. Les participant·es la "
                "verront à la publication du programme."
            )
        messages.success(request, message % {"when": when})
        return redirect("sondages:poll_detail", organisation.slug, poll.pk)
    results = poll_results(poll)
    result = next(r for r in results.slots if r.slot.pk == slot.pk)
    return render(
        request,
        "sondages/choose.html",
        {
            "poll": poll,
            "session": poll.session,
            "programme": poll.session.programme,
            "slot": slot,
            "result": result,
            "when": when,
            "missing": results.non_respondents,
        },
    )


@organisation_view(VIEW)
def poll_cancel(request, organisation, poll_id):
    """Abandon an open poll (the session stays « à confirmer »)."""
    poll, _access = _organised_poll(request, organisation, poll_id)
    if request.method == "POST":
        try:
            services.cancel_date_poll(poll=poll, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("sondages:poll_detail", organisation.slug, poll.pk)
        messages.success(request, _("Sondage abandonné : la séance reste à confirmer."))
        return redirect("parcours:session_detail", organisation.slug, poll.session_id)
    if not poll.is_open:
        messages.error(
            request,
            _("Ce sondage est clos : %(state)s.") % {"state": poll.get_status_display().lower()},
        )
        return redirect("sondages:poll_detail", organisation.slug, poll.pk)
    return render(
        request,
        "sondages/cancel.html",
        {"poll": poll, "session": poll.session, "programme": poll.session.programme},
    )


# --- Lists ---------------------------------------------------------------------------


def _list_rows(request, organisation, polls) -> list[dict]:
    zone = organisation.time_zone
    results = results_for(polls)
    rows = []
    for poll in polls:
        result = results[poll.pk]
        best = result.best
        voter = any(row.user.pk == request.user.pk for row in result.voters)
        rows.append(
            {
                "poll": poll,
                "results": result,
                "best_when": format_period(best.slot.starts_at, best.slot.ends_at, zone)
                if best
                else "",
                "chosen_when": format_period(
                    poll.chosen_slot.starts_at, poll.chosen_slot.ends_at, zone
                )
                if poll.chosen_slot
                else "",
                "closes_when": format_moment(poll.closes_at, zone),
                "voter": voter,
                "answered": voter and bool(result.answers_of(request.user)),
            }
        )
    return rows


@organisation_view(VIEW)
def poll_list(request, organisation, programme_id):
    """The programme's « Sondages » tab: every poll with its answers, best slot and
    closing; the launch for every team."""
    if role_in(request.user, organisation) not in Role.values:
        raise Http404
    programme = get_programme_for_user_or_404(request.user, organisation, programme_id)
    polls = programme_polls(request.user, organisation, programme)
    page = Paginator(polls, POLLS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "sondages/list.html",
        {
            **programme_context(request, organisation, programme, "polls"),
            "page": page,
            "rows": _list_rows(request, organisation, list(page.object_list)),
        },
    )


@organisation_view(VIEW)
def my_polls(request, organisation):
    """« Mes sondages »: the polls I answer or organise here, open first."""
    polls = my_polls_selector(request.user, organisation)
    page = Paginator(polls, POLLS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "sondages/my_polls.html",
        {"page": page, "rows": _list_rows(request, organisation, list(page.object_list))},
    )
