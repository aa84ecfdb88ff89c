"""The public side of an event: its page and the registration of a person or a
collectif, the confirmation link, the personal page (see, change one's workshops,
cancel), « renvoyer mon lien », and the territory suggestions of the collectif form.
Anonymous visitors welcome (``public=True``); an unpublished event answers 404.

Abuse: every registration post counts against the visitor's address
(``REGISTRATIONS_PER_ADDRESS`` an hour) and every e-mail address typed
(``REGISTRATIONS_PER_EMAIL``), the forms carry a honeypot, and nothing counts before
the person clicks the link sent to them."""

from allauth.account.models import EmailAddress
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from inscriptions import services
from inscriptions.access import get_public_event_or_404, get_registrant_or_404
from inscriptions.forms import (
    HONEYPOT,
    MAX_PEOPLE,
    CollectiveForm,
    PeopleFormSet,
    ResendForm,
    SingleForm,
    WorkshopsForm,
)
from inscriptions.selectors import public_page
from organisations.access import organisation_view
from parcours.forms import add_service_errors
from sillon import ratelimit
from sillon.formatting import format_moment
from territoires.selectors import search_territories
from territoires.views import _WIDGET_ID, MIN_LENGTH, parse_kinds

REGISTRATIONS_PER_ADDRESS = 20
REGISTRATIONS_PER_EMAIL = 5
RESENDS_PER_ADDRESS = 10
SEARCHES_PER_ADDRESS = 300
WINDOW = 3600
PAGE_CACHE_SECONDS = 60
PEOPLE_PREFIX = "personnes"


def _context(event) -> dict:
    page = public_page(event)
    page["deadline_when"] = format_moment(event.deadline, event.organisation)
    return page


def _within_limits(request, emails) -> str:
    """« » when this post may go on, else the French refusal."""
    address = ratelimit.client_address(request)
    wait = ratelimit.wait_text(WINDOW)
    if not ratelimit.hit("event-register", address, limit=REGISTRATIONS_PER_ADDRESS, window=WINDOW):
        return _("Trop d'inscriptions depuis cette connexion : réessayez dans %(wait)s.") % {
            "wait": wait
        }
    for email in emails:
        key = services.normalise(email)
        if not ratelimit.hit(
            "event-register-email", key, limit=REGISTRATIONS_PER_EMAIL, window=WINDOW
        ):
            return _("Trop d'essais pour %(email)s : réessayez dans %(wait)s.") % {
                "email": key,
                "wait": wait,
            }
    return ""


def _already(event, emails) -> list[str]:
    return [email for email in emails if services.existing_registrant(event, email)]


def _thanks(organisation, event):
    return redirect("inscriptions:thanks", organisation.slug, event.slug)


@organisation_view(public=True)
def event_page(request, organisation, event_slug):
    """The event: what, when, where, the day's agenda and the places left, the ways to
    register (alone or as a collectif) and « renvoyer mon lien ». No form field to render:
    the page anyone reads stays light (``bench/inscriptions.py``)."""
    event = get_public_event_or_404(organisation, event_slug)
    summary = _cached_summary(event)
    return render(
        request,
        "inscriptions/event.html",
        {
            "event": event,
            "session": event.session,
            "facts_html": summary["html"],
            "closed": services.closed_reason(event, confirmed=summary["confirmed"]),
        },
    )


def _cached_summary(event) -> dict:
    """The event's facts and agenda with the places left, rendered once per state of the
    event: the key holds the event's and the session's ``updated_at`` (every place
    taken or freed here touches the event), for ``PAGE_CACHE_SECONDS`` at most (the
    agenda edited, or a workshop chosen from the programme's own pages, shows after
    that)."""
    stamp = f"{event.updated_at.timestamp()}:{event.session.updated_at.timestamp()}"
    key = f"inscriptions:event-page:{event.pk}:{stamp}"
    summary = cache.get(key)
    if summary is None:
        page = _context(event)
        summary = {
            "confirmed": page["confirmed"],
            "html": render_to_string("inscriptions/_facts.html", page),
        }
        cache.set(key, summary, PAGE_CACHE_SECONDS)
    return summary


@organisation_view(public=True)
def register_page(request, organisation, event_slug):
    """Register alone: name, e-mail, structure, fonction and one workshop per round."""
    event = get_public_event_or_404(organisation, event_slug)
    page = _context(event)
    user = request.user
    form = SingleForm(
        request.POST if request.method == "POST" else None,
        rounds=page["rounds"],
        taken=page["taken"],
        # Signed in (from the session's page): their name and address.
        initial=(
            {"first_name": user.first_name, "last_name": user.last_name, "email": user.email}
            if user.is_authenticated
            else None
        ),
    )
    already = []
    if request.method == "POST" and not page["closed"]:
        refusal = _within_limits(request, [request.POST.get("email", "")])
        if refusal:
            form.is_valid()
            form.add_error(None, refusal)
        elif form.is_valid():
            email = form.cleaned_data["email"]
            already = _already(event, [email])
            if already:
                form.add_error(
                    "email",
                    _(
                        "Cette adresse est déjà inscrite à cet événement : recevez à nouveau "
                        "votre lien ci-dessous."
                    ),
                )
            else:
                verified = _own_verified_address(user, email)
                try:
                    registrants = services.register(
                        event=event, people=[form.person()], address_verified=verified
                    )
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    if not verified:
                        return _thanks(organisation, event)
                    messages.success(
                        request,
                        _(
                            "Votre inscription est confirmée : un e-mail vous en donne le "
                            "détail et le fichier agenda."
                        ),
                    )
                    return redirect(
                        "inscriptions:personal", organisation.slug, event.slug, registrants[0].token
                    )
    return render(
        request,
        "inscriptions/register.html",
        {
            **page,
            "form": form,
            "already": already,
            "honeypot": HONEYPOT,
            "signed_in": user.is_authenticated,
        },
    )


def _own_verified_address(user, email: str) -> bool:
    """``email`` is the signed-in person's own address, verified: nothing for a
    confirmation link to prove."""
    if not user.is_authenticated or services.normalise(user.email) != services.normalise(email):
        return False
    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


def _people_initial(formset_data, count: int) -> list[dict]:
    """The people typed so far (an unbound copy, to add a blank person)."""
    rows = []
    for index in range(count):
        prefix = f"{PEOPLE_PREFIX}-{index}-"
        rows.append(
            {
                key[len(prefix) :]: value
                for key, value in formset_data.items()
                if key.startswith(prefix)
            }
        )
    return rows


@organisation_view(public=True)
def collective_page(request, organisation, event_slug):
    """Register a collectif: its name and territory, then its people (« Ajouter une
    personne » posts the form back with one more, no JavaScript needed)."""
    event = get_public_event_or_404(organisation, event_slug)
    page = _context(event)
    search_path = reverse("inscriptions:territories", args=[organisation.slug, event.slug])
    kwargs = {"rounds": page["rounds"], "taken": page["taken"]}
    already = []
    if request.method == "POST" and "ajouter" in request.POST:
        try:
            count = int(request.POST.get(f"{PEOPLE_PREFIX}-TOTAL_FORMS", "1"))
        except ValueError:
            count = 1
        count = max(1, min(count, MAX_PEOPLE - 1))
        collective_initial = {
            "collective_name": request.POST.get("collective_name", ""),
            "territory": (request.POST.get("territory", ""), request.POST.get("territory_id", "")),
        }
        form = CollectiveForm(initial=collective_initial, search_path=search_path)
        formset = PeopleFormSet(
            initial=[*_people_initial(request.POST, count), {}],
            prefix=PEOPLE_PREFIX,
            form_kwargs=kwargs,
        )
    elif request.method == "POST" and not page["closed"]:
        form = CollectiveForm(request.POST, search_path=search_path)
        formset = PeopleFormSet(request.POST, prefix=PEOPLE_PREFIX, form_kwargs=kwargs)
        emails = [
            value
            for key, value in request.POST.items()
            if key.startswith(PEOPLE_PREFIX) and key.endswith("-email") and value
        ][:MAX_PEOPLE]
        refusal = _within_limits(request, emails)
        valid = form.is_valid() & formset.is_valid()
        if refusal:
            form.add_error(None, refusal)
        elif valid:
            people = [sub for sub in formset.forms if sub.cleaned_data]
            already = _already(event, [sub.cleaned_data["email"] for sub in people])
            for sub in people:
                if sub.cleaned_data["email"].lower() in already:
                    sub.add_error(
                        "email",
                        _(
                            "Cette adresse est déjà inscrite à cet événement : recevez à nouveau "
                            "son lien ci-dessous."
                        ),
                    )
            if not already:
                try:
                    services.register(
                        event=event,
                        people=[sub.person() for sub in people],
                        collective_name=form.cleaned_data["collective_name"],
                        territory=form.cleaned_data["territory"],
                    )
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    return _thanks(organisation, event)
    else:
        form = CollectiveForm(search_path=search_path)
        formset = PeopleFormSet(prefix=PEOPLE_PREFIX, form_kwargs=kwargs)
    return render(
        request,
        "inscriptions/collective.html",
        {**page, "form": form, "formset": formset, "already": already, "honeypot": HONEYPOT},
    )


@organisation_view(public=True)
def thanks(request, organisation, event_slug):
    event = get_public_event_or_404(organisation, event_slug)
    return render(request, "inscriptions/thanks.html", {"event": event, "session": event.session})


@require_POST
@organisation_view(public=True)
def resend(request, organisation, event_slug):
    """« Renvoyer mon lien »: the same answer whether the address is registered or not."""
    event = get_public_event_or_404(organisation, event_slug)
    form = ResendForm(request.POST)
    address = ratelimit.client_address(request)
    if not ratelimit.hit("event-resend", address, limit=RESENDS_PER_ADDRESS, window=WINDOW):
        messages.error(
            request,
            _("Trop de demandes depuis cette connexion : réessayez dans %(wait)s.")
            % {"wait": ratelimit.wait_text(WINDOW)},
        )
    elif form.is_valid():
        email = services.normalise(form.cleaned_data["email"])
        if ratelimit.hit("event-resend-email", email, limit=3, window=WINDOW):
            services.resend_link(event=event, email=email)
        messages.success(
            request,
            _("Si cette adresse est inscrite, son lien personnel vient de lui être envoyé."),
        )
    else:
        messages.error(request, _("Saisissez une adresse e-mail valide."))
    return redirect("inscriptions:event", organisation.slug, event.slug)


@organisation_view(public=True)
def confirm(request, organisation, event_slug, registrant_token):
    """The link of the confirmation e-mail: a button (a link opened by a mail scanner
    confirms nothing), then the registration counts."""
    event = get_public_event_or_404(organisation, event_slug)
    registrant = get_registrant_or_404(event, registrant_token)
    personal = reverse(
        "inscriptions:personal", args=[organisation.slug, event.slug, registrant.token]
    )
    if registrant.is_confirmed:
        return redirect(personal)
    error = ""
    if request.method == "POST":
        try:
            services.confirm(registrant=registrant)
        except ValidationError as failure:
            error = " ".join(failure.messages)
        else:
            messages.success(
                request,
                _(
                    "Votre inscription est confirmée : un e-mail vous en donne le détail "
                    "et le fichier agenda."
                ),
            )
            return redirect(personal)
    return render(
        request,
        "inscriptions/confirm.html",
        {"event": event, "session": event.session, "registrant": registrant, "error": error},
    )


@organisation_view(public=True)
def personal(request, organisation, event_slug, registrant_token):
    """The personal page: the registration, the workshops (changed until the deadline),
    cancelling, and an account offered, never required."""
    event = get_public_event_or_404(organisation, event_slug)
    registrant = get_registrant_or_404(event, registrant_token)
    page = _context(event)
    open_to_changes = not registrant.is_cancelled and timezone.now() < event.deadline
    current = {c.round_id: str(c.workshop_id) for c in registrant.choices.all()}
    form = None
    if open_to_changes and page["rounds"]:
        form = WorkshopsForm(
            request.POST if request.method == "POST" else None,
            rounds=page["rounds"],
            taken=page["taken"],
            initial={f"round_{key}": value for key, value in current.items()},
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.change_workshops(
                    registrant=registrant, workshops=form.cleaned_data["workshops"]
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Vos ateliers sont enregistrés."))
                return redirect(request.path)
    elif request.method == "POST":
        messages.error(
            request,
            _("Les changements sont clos : écrivez aux contacts de l'événement.")
            if not registrant.is_cancelled
            else _("Cette inscription est annulée."),
        )
        return redirect(request.path)
    choices = list(
        registrant.choices.select_related("workshop", "round").order_by(
            "round__day", "round__start_time"
        )
    )
    return render(
        request,
        "inscriptions/personal.html",
        {
            **page,
            "registrant": registrant,
            "choices": choices,
            "form": form,
            "open_to_changes": open_to_changes,
        },
    )


@organisation_view(public=True)
def cancel(request, organisation, event_slug, registrant_token):
    event = get_public_event_or_404(organisation, event_slug)
    registrant = get_registrant_or_404(event, registrant_token)
    personal_path = reverse(
        "inscriptions:personal", args=[organisation.slug, event.slug, registrant.token]
    )
    error = ""
    if request.method == "POST" and not registrant.is_cancelled:
        try:
            services.cancel(registrant=registrant)
        except ValidationError as failure:
            error = " ".join(failure.messages)
        else:
            messages.success(request, _("Votre inscription est annulée."))
            return redirect(personal_path)
    return render(
        request,
        "inscriptions/cancel.html",
        {
            "event": event,
            "session": event.session,
            "registrant": registrant,
            "error": error,
            "personal_path": personal_path,
        },
    )


@require_GET
@organisation_view(public=True)
def territories(request, organisation, event_slug):
    """The collectif form's territory suggestions, for visitors not signed in."""
    get_public_event_or_404(organisation, event_slug)
    address = ratelimit.client_address(request)
    results = []
    query = request.GET.get("q", "")
    widget_id = request.GET.get("for", "")
    if not _WIDGET_ID.match(widget_id):
        widget_id = "territoire"
    if len(query.strip()) >= MIN_LENGTH and ratelimit.hit(
        "event-territories", address, limit=SEARCHES_PER_ADDRESS, window=WINDOW
    ):
        results = search_territories(query, kinds=parse_kinds(request.GET.get("kinds", "")))
    return render(
        request,
        "territoires/_options.html",
        {"results": results, "widget_id": widget_id, "query": query},
    )
