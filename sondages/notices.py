"""Messages about date polls (« sondages de date »), written to the outbox
(``notifications.services``) by the sondages service that acts, inside its transaction
(delivery starts after commit):

* polls were opened (``send_polls_opened``): every voter of each poll is asked to give
  their availability (« Choisissez vos disponibilités : <séance> »), with the slots in
  French, the closing moment and a button to the poll page;
* slots were added to an open poll (``send_slots_added``): the people who had already
  answered are told (« Nouveaux créneaux proposés : <séance> »).

Also the e-mail shared with the reminder rule of ``sondages.reminders`` (a poll closes
soon) and ``voters_by_poll``, the voters of many polls at once.

Voters are the current members of the teams concerned by the poll's session (the whole
cohort, or the session's teams), only those of the expected role when the session
expects one role; active accounts only. Nothing is sent for the polls of a programme
that is not published (its people do not see it yet). Category « demandes à traiter ».
"""

from collections import defaultdict

from django.urls import reverse
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

from notifications import services
from notifications.models import Category
from parcours.models import Programme
from sillon.formatting import format_moment, format_period
from sillon.mail import absolute_url
from sondages.models import DatePoll
from sondages.results import concerned_members

OPENED_KIND = "poll.open"
SLOTS_ADDED_KIND = "poll.slots_added"


def poll_path(poll: DatePoll) -> str:
    return reverse(
        "sondages:poll_detail",
        kwargs={"organisation_slug": poll.organisation.slug, "poll_id": poll.pk},
    )


def slot_lines(slots, organisation) -> list[str]:
    """Each slot in words: « mardi 8 décembre 2026, 9 h 30 – 12 h 30 (visio) »."""
    return [
        _("%(when)s (%(format)s)")
        % {
            "when": format_period(slot.starts_at, slot.ends_at, organisation.time_zone),
            "format": slot.get_format_display().lower(),
        }
        for slot in sorted(slots, key=lambda slot: (slot.starts_at, slot.pk))
    ]


def poll_email(poll: DatePoll, organisation, *, notice: str, subject: str, slots, user=None):
    """The e-mail ``notice`` ("open", "slots_added", "closing") about ``poll``, listing
    ``slots`` (all the poll's, or the new ones)."""
    return services.render_email(
        template=f"sondages/email/poll_{notice}",
        subject=subject,
        organisation=organisation,
        context={
            "poll": poll,
            "session": poll.session,
            "recipient": user,
            "unsubscribe_url": "",
            "url": absolute_url(poll_path(poll)),
            "slots": slot_lines(slots, organisation),
            "deadline": format_moment(poll.closes_at, organisation),
            "poll_message": poll.message.strip(),
            "new_slots": notice == "slots_added",
        },
    )


def voters_by_poll(polls) -> dict[int, list]:
    """{poll id: [active users asked to answer]} for many polls in a constant number of
    queries (each poll with its ``session`` loaded; ``sondages.results`` says who is
    asked). Runs inside or outside a tenant scope."""
    with scopes_disabled():
        concerned = concerned_members(polls)
    result: dict[int, list] = {}
    for poll in polls:
        users = {
            member.user_id: member.user
            for members in concerned[poll.pk].values()
            for member in members
            if member.user.is_active
        }
        result[poll.pk] = sorted(users.values(), key=lambda user: user.pk)
    return result


def _polls_to_announce(organisation_id: int, poll_ids) -> list[DatePoll]:
    return list(
        DatePoll.objects.filter(
            organisation_id=organisation_id,
            pk__in=poll_ids,
            status=DatePoll.Status.OPEN,
            session__programme__status=Programme.Status.PUBLISHED,
        )
        .select_related("organisation", "session")
        .prefetch_related("slots")
        .order_by("pk")
    )


def send_polls_opened(polls, acting_user=None) -> list:
    """« Choisissez vos disponibilités »: one message per voter of each poll (in the
    caller's transaction; a fixed number of queries for any number of polls)."""
    by_organisation: dict[int, set[int]] = defaultdict(set)
    for poll in polls:
        by_organisation[poll.organisation_id].add(poll.pk)
    created = []
    for organisation_id, poll_ids in by_organisation.items():
        with scope(organisation=organisation_id):
            found = _polls_to_announce(organisation_id, poll_ids)
            if not found:
                continue
            organisation = found[0].organisation
            voters = voters_by_poll(found)
            deliveries = []
            for poll in found:
                subject = _("Choisissez vos disponibilités : %(title)s") % {
                    "title": poll.session.title
                }
                email = poll_email(
                    poll, organisation, notice="open", subject=subject, slots=poll.slots.all()
                )
                path = poll_path(poll)
                deliveries.extend(
                    services.Delivery(user, lambda _user, email=email: email, path)
                    for user in voters[poll.pk]
                )
            created += services.send_batch(
                organisation=organisation,
                deliveries=deliveries,
                kind=OPENED_KIND,
                category=Category.REQUESTS,
            )
    return created


def send_slots_added(poll, slots, recipients, acting_user=None) -> list:
    """« Nouveaux créneaux proposés »: to ``recipients`` (those who had answered), with
    the new ``slots`` (in the caller's transaction)."""
    recipients = [user for user in recipients if user is not None and user.is_active]
    if not recipients or not slots:
        return []
    with scope(organisation=poll.organisation_id):
        found = _polls_to_announce(poll.organisation_id, [poll.pk])
        if not found:
            return []
        poll = found[0]
        organisation = poll.organisation
        subject = _("Nouveaux créneaux proposés : %(title)s") % {"title": poll.session.title}
        email = poll_email(poll, organisation, notice="slots_added", subject=subject, slots=slots)
        unique = {user.pk: user for user in recipients}
        return services.send(
            organisation=organisation,
            recipients=list(unique.values()),
            kind=SLOTS_ADDED_KIND,
            category=Category.REQUESTS,
            build=lambda _user: email,
            url=poll_path(poll),
        )
