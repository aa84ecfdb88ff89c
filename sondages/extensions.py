"""Where date polls show outside their own pages (``sillon.extensions``): the
programme's « Sondages » tab for its staff, the home panel « Sondages de date » (polls
awaiting my answer or my decision), and the poll's state on a session page (or
« Proposer des dates »)."""

from django.db.models import Exists, OuterRef, Q
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope

from accounts.extensions import personal_data
from organisations.extensions import home_panels
from organisations.home_sections import HomeSection
from organisations.models import Role
from organisations.roles import role_in
from parcours.extensions import next_steps, programme_tabs, session_panels
from parcours.models import Session
from sondages.access import is_poll_organiser, poll_access
from sondages.models import DatePoll, Vote
from sondages.personal_data import export_for_user
from sondages.results import polls_organised_by, polls_to_answer

HOME_LIMIT = 5


@receiver(programme_tabs, dispatch_uid="sondages.polls")
def polls_tab(sender, *, request, organisation, programme, **kwargs):
    if role_in(request.user, organisation) not in Role.values:
        return []
    url = reverse("sondages:poll_list", args=[organisation.slug, programme.pk])
    return [(_("Sondages"), url, "polls")]


@receiver(home_panels, dispatch_uid="sondages.polls")
def polls_home_panel(sender, *, request, organisation, **kwargs) -> HomeSection | None:
    """Polls awaiting the user's answer (voters) or decision (organisers)."""
    user = request.user
    now = timezone.now()
    to_answer = list(
        polls_to_answer(user, organisation)
        .filter(status=DatePoll.Status.OPEN, closes_at__gt=now)
        .exclude(Exists(Vote.objects.filter(slot__poll=OuterRef("pk"), user=user)))
        .select_related("session")
        .order_by("closes_at", "pk")[:HOME_LIMIT]
    )
    to_decide = []
    role = role_in(user, organisation)
    if role in (Role.COORDINATOR, Role.TRAINER):
        organised = Q(pk__in=polls_organised_by(user, organisation).values("pk"))
        if role == Role.COORDINATOR:
            # Any poll whose answers are closed waits for a coordinator's decision.
            organised |= Q(closes_at__lte=now)
        to_decide = list(
            DatePoll.objects.filter(organisation=organisation, status=DatePoll.Status.OPEN)
            .filter(organised)
            .select_related("session")
            .order_by("closes_at", "pk")[:HOME_LIMIT]
        )
    if not to_answer and not to_decide:
        return None
    return HomeSection(
        "sondages/home_section.html",
        {"to_answer": to_answer, "to_decide": to_decide, "now": now},
    )


@receiver(session_panels, dispatch_uid="sondages.poll")
def poll_session_panel(sender, *, request, organisation, session, **kwargs) -> HomeSection | None:
    """On a session page: its poll (state and link) for those who may see it, or
    « Proposer des dates » for an organiser while the session is « à confirmer »."""
    poll = (
        DatePoll.objects.filter(session=session)
        .exclude(status=DatePoll.Status.CANCELLED)
        .select_related("chosen_slot", "session__organisation", "organisation")
        .order_by("-created_at", "-pk")
        .first()
    )
    if poll is not None:
        poll.session = session
        access = poll_access(request.user, poll)
        if access.any:
            return HomeSection(
                "sondages/session_section.html",
                {"poll": poll, "access": access, "can_propose": False, "session_id": session.pk},
            )
    if (
        session.status == Session.Status.TENTATIVE
        and (poll is None or not poll.is_open)
        and is_poll_organiser(request.user, session)
    ):
        return HomeSection(
            "sondages/session_section.html",
            {"poll": None, "access": None, "can_propose": True, "session_id": session.pk},
        )
    return None


@receiver(personal_data, dispatch_uid="sondages.personal_data")
def sondages_personal_data(sender, *, user, **kwargs):
    return "parcours", export_for_user(user)


@receiver(next_steps, dispatch_uid="sondages.next_step")
def answer_poll_next_step(sender, *, user, team, **kwargs) -> str | None:
    """Someone who just joined a team answers the open date poll they are asked to."""
    with scope(organisation=team.organisation_id):
        poll = (
            polls_to_answer(user, team.organisation)
            .filter(
                session__programme=team.cohort.programme_id,
                status=DatePoll.Status.OPEN,
                closes_at__gt=timezone.now(),
            )
            .exclude(Exists(Vote.objects.filter(slot__poll=OuterRef("pk"), user=user)))
            .order_by("closes_at", "pk")
            .first()
        )
    if poll is None:
        return None
    return reverse("sondages:poll_vote", args=[team.organisation.slug, poll.pk])
