"""The minutes' pages: a version (the current one by default) with its comments and
the writers' buttons, the editor, sharing, validating, correcting, commenting, a
validated version's PDF, and the programme's « Comptes rendus » tab (every minutes and
the held sessions without validated minutes).

Writers (coordinators, trainers, the session's facilitators) see every version; readers
see the validated ones and the one in review (``ressources.minutes_access``); anyone
else gets 404. Every write goes through ``ressources.services.minutes``."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organisations.access import organisation_view
from organisations.models import Organisation, Role
from organisations.roles import role_in
from parcours.access import get_programme_for_user_or_404, get_session_for_user_or_404
from parcours.forms import add_service_errors
from parcours.models import Session
from parcours.views.calendar import programme_context
from sillon.formatting import format_session_when

from .. import minutes_access as access
from .. import minutes_selectors as selectors
from ..forms.minutes import (
    ActionFormSet,
    AttendeesForm,
    CommentForm,
    DecisionFormSet,
    ItemFormSet,
)
from ..minutes_pdf import minutes_filename, minutes_pdf
from ..models import MinutesVersion
from ..services import minutes as services

VIEW = "parcours.view_calendar"
TAB = "minutes"
PREFIXES = ("items", "decisions", "actions")


def detail_url(organisation, minutes, number=None) -> str:
    if number is None:
        return reverse("ressources:minutes_detail", args=[organisation.slug, minutes.pk])
    return reverse("ressources:minutes_version", args=[organisation.slug, minutes.pk, number])


def _when(session, organisation) -> str:
    session.organisation = organisation
    return format_session_when(session) if session.starts_at else _("Date à confirmer")


# --- Starting --------------------------------------------------------------------------


@organisation_view(VIEW)
@require_POST
def minutes_start(request, organisation: Organisation, session_id: int):
    """« Rédiger le compte rendu » from the session's page."""
    session = get_session_for_user_or_404(request.user, organisation, session_id)
    session.organisation = organisation
    if not access.can_write(request.user, organisation, session):
        raise Http404
    try:
        minutes = services.start_minutes(session=session, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("parcours:session_detail", organisation.slug, session.pk)
    return redirect("ressources:minutes_edit", organisation.slug, minutes.pk)


# --- Reading ---------------------------------------------------------------------------


def _page(request, organisation, minutes, number, *, comment_form=None, status=200):
    versions = list(access.readable_versions(minutes, writer=minutes.writable))
    if not versions:
        raise Http404
    if number is None:
        numbers = [v.number for v in versions]
        number = minutes.current_number if minutes.current_number in numbers else numbers[-1]
    version = (
        selectors.with_content(access.readable_versions(minutes, writer=minutes.writable))
        .filter(number=number)
        .first()
    )
    if version is None:
        raise Http404
    version.minutes = minutes
    current = version.number == minutes.current_number
    session = minutes.session
    if version.status == MinutesVersion.Status.SHARED and comment_form is None:
        comment_form = CommentForm()
    return render(
        request,
        "ressources/minutes/detail.html",
        {
            "minutes": minutes,
            "session": session,
            "programme": session.programme,
            "when": _when(session, organisation),
            "version": version,
            "versions": versions,
            "current": current,
            "writable": minutes.writable,
            "can_edit": minutes.writable and current and not version.is_validated,
            "can_share": minutes.writable and current and version.status == "draft",
            "can_validate": minutes.writable and current and not version.is_validated,
            "can_correct": minutes.writable and current and version.is_validated,
            "comment_form": comment_form if version.status == "shared" else None,
        },
        status=status,
    )


@organisation_view(VIEW)
def minutes_detail(request, organisation: Organisation, minutes_id: int):
    minutes = access.get_minutes_for_user_or_404(request.user, organisation, minutes_id)
    return _page(request, organisation, minutes, None)


@organisation_view(VIEW)
def minutes_version(request, organisation: Organisation, minutes_id: int, number: int):
    minutes = access.get_minutes_for_user_or_404(request.user, organisation, minutes_id)
    return _page(request, organisation, minutes, number)


@organisation_view(VIEW)
def minutes_pdf_download(request, organisation: Organisation, minutes_id: int, number: int):
    """A validated version's PDF (the one the attendees received)."""
    minutes = access.get_minutes_for_user_or_404(request.user, organisation, minutes_id)
    access.get_version_or_404(minutes, number)
    version = selectors.version_with_content(minutes, number)
    if not version.is_validated:
        raise Http404
    version.minutes = minutes
    response = HttpResponse(minutes_pdf(version, organisation), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{minutes_filename(version)}"'
    return response


@organisation_view(VIEW)
@require_POST
def minutes_comment(request, organisation: Organisation, minutes_id: int, number: int):
    minutes = access.get_minutes_for_user_or_404(request.user, organisation, minutes_id)
    version = access.get_version_or_404(minutes, number)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_minutes(
                version=version, acting_user=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Commentaire ajouté."))
            return redirect(detail_url(organisation, minutes, number))
    return _page(request, organisation, minutes, number, comment_form=form, status=400)


# --- Writing ---------------------------------------------------------------------------


def _formsets(data, minutes, session, version):
    people = selectors.expected_people(session)
    teams = selectors.session_teams(session)
    plans = selectors.shared_plans(session)
    action_kwargs = {"people": people, "teams": teams, "plans": plans}
    if data is None:
        initial_attendees = {
            "present": [a.user_id for a in version.attendees.all() if a.user_id],
            "other_names": "\n".join(a.name for a in version.attendees.all() if not a.user_id),
        }
        attendees = AttendeesForm(
            initial=initial_attendees, people=people, from_sheet=version.from_sheet
        )
        items = ItemFormSet(
            prefix="items",
            initial=[{"title": i.title, "text": i.text} for i in version.items.all()],
        )
        decisions = DecisionFormSet(
            prefix="decisions", initial=[{"text": d.text} for d in version.decisions.all()]
        )
        actions = ActionFormSet(
            prefix="actions",
            initial=[
                {
                    "text": a.text,
                    "owner": a.owner_id,
                    "owner_name": a.owner_name,
                    "team": a.team_id,
                    "plan": a.plan_id,
                    "due_on": a.due_on,
                    "lineage": a.lineage,
                }
                for a in version.actions.all()
            ],
            form_kwargs=action_kwargs,
        )
        return attendees, items, decisions, actions
    attendees = AttendeesForm(data, people=people, from_sheet=version.from_sheet)
    items = ItemFormSet(data, prefix="items")
    decisions = DecisionFormSet(data, prefix="decisions")
    actions = ActionFormSet(data, prefix="actions", form_kwargs=action_kwargs)
    return attendees, items, decisions, actions


def _with_added_row(post, prefix):
    """The posted data with one more (empty) row in ``prefix``'s formset."""
    data = post.copy()
    key = f"{prefix}-TOTAL_FORMS"
    try:
        total = int(data.get(key, "0"))
    except ValueError:
        total = 0
    data[key] = str(min(max(total, 0) + 1, 100))
    return data


def _rows(formset, names):
    """The rows typed (an empty added row and a row marked « Supprimer » are left out)."""
    rows = []
    for form in formset.forms:
        cleaned = getattr(form, "cleaned_data", None) or {}
        if not cleaned or cleaned.get("DELETE"):
            continue
        rows.append({name: cleaned.get(name) for name in names})
    return rows


@organisation_view(VIEW)
def minutes_edit(request, organisation: Organisation, minutes_id: int):
    """The editor: attendees, agenda items and their text, decisions, actions."""
    minutes = access.get_writable_minutes_or_404(request.user, organisation, minutes_id)
    if minutes.is_validated:
        messages.error(request, services.LOCKED)
        return redirect(detail_url(organisation, minutes))
    session = minutes.session
    version = selectors.current_version(minutes)
    version.minutes = minutes
    data = None
    added = ""
    if request.method == "POST":
        added = request.POST.get("ajouter", "")
        data = _with_added_row(request.POST, added) if added in PREFIXES else request.POST
    attendees, items, decisions, actions = _formsets(data, minutes, session, version)
    if request.method == "POST" and added not in PREFIXES:
        valid = all(f.is_valid() for f in (attendees, items, decisions, actions))
        if valid:
            try:
                services.save_version(
                    minutes=minutes,
                    acting_user=request.user,
                    present=attendees.cleaned_data.get("present") or [],
                    other_names=attendees.cleaned_data.get("other_names", ""),
                    items=_rows(items, ("title", "text")),
                    decisions=[row["text"] for row in _rows(decisions, ("text",))],
                    actions=_rows(
                        actions,
                        ("text", "owner", "owner_name", "team", "plan", "due_on", "lineage"),
                    ),
                )
            except ValidationError as error:
                add_service_errors(attendees, error)
                if hasattr(error, "error_dict"):
                    for key, formset in (
                        ("items", items),
                        ("decisions", decisions),
                        ("actions", actions),
                    ):
                        for message in error.message_dict.get(key, []):
                            formset._non_form_errors.append(message)
            else:
                messages.success(request, _("Compte rendu enregistré."))
                return redirect(detail_url(organisation, minutes))
    return render(
        request,
        "ressources/minutes/edit.html",
        {
            "minutes": minutes,
            "session": session,
            "programme": session.programme,
            "when": _when(session, organisation),
            "version": version,
            "attendees_form": attendees,
            "formsets": [
                ("items", _("Ordre du jour"), items),
                ("decisions", _("Décisions"), decisions),
                ("actions", _("Actions"), actions),
            ],
            "sheet_attendees": list(version.attendees.all()) if version.from_sheet else [],
            "added": added,
        },
        status=400 if request.method == "POST" and added not in PREFIXES else 200,
    )


def _workflow(request, organisation, minutes_id, service, done: str):
    minutes = access.get_writable_minutes_or_404(request.user, organisation, minutes_id)
    try:
        service(minutes=minutes, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return minutes


@organisation_view(VIEW)
@require_POST
def minutes_share(request, organisation: Organisation, minutes_id: int):
    minutes = _workflow(
        request,
        organisation,
        minutes_id,
        services.share_minutes,
        _("Compte rendu partagé : les participant·es peuvent le relire et le commenter."),
    )
    return redirect(detail_url(organisation, minutes))


@organisation_view(VIEW)
@require_POST
def minutes_validate(request, organisation: Organisation, minutes_id: int):
    minutes = _workflow(
        request,
        organisation,
        minutes_id,
        services.validate_minutes,
        _("Compte rendu validé : il est envoyé aux participant·es avec son PDF."),
    )
    return redirect(detail_url(organisation, minutes))


@organisation_view(VIEW)
@require_POST
def minutes_correct(request, organisation: Organisation, minutes_id: int):
    minutes = access.get_writable_minutes_or_404(request.user, organisation, minutes_id)
    try:
        services.correct_minutes(minutes=minutes, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(detail_url(organisation, minutes))
    messages.success(
        request, _("Nouvelle version en cours : la version validée reste lisible telle quelle.")
    )
    return redirect("ressources:minutes_edit", organisation.slug, minutes.pk)


# --- The programme's tab -------------------------------------------------------------------


@organisation_view(VIEW)
def programme_minutes(request, organisation: Organisation, programme_id: int):
    """« Comptes rendus »: the programme's held sessions with their minutes, and those
    still without validated minutes (the gaps), for the staff."""
    role = role_in(request.user, organisation)
    if role not in access.STAFF_READERS:
        raise Http404
    programme = get_programme_for_user_or_404(request.user, organisation, programme_id)
    rows = selectors.held_sessions(programme)
    for row in rows:
        row.session.organisation = organisation
        row.when = _when(row.session, organisation)
        private = row.session.audience == Session.Audience.TEAM and role == Role.OBSERVER
        row.readable = (
            row.minutes is not None
            and not private
            and (role != Role.OBSERVER or row.minutes.versions_validated)
        )
    gaps = [row for row in rows if row.is_gap]
    return render(
        request,
        "ressources/minutes/programme.html",
        {
            **programme_context(request, organisation, programme, TAB),
            "rows": rows,
            "gaps": gaps,
            "writer": role in access.WRITER_ROLES,
        },
    )
