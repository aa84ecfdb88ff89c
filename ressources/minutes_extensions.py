"""What the minutes add to the parcours' pages (imported by ``ressources.extensions``,
where the app's receivers are autodiscovered): on a session's page, its minutes (their
state and a link, or « Rédiger le compte rendu » for the writers); on a programme's
pages, the « Comptes rendus » tab for the staff (every minutes, and the held sessions
still without validated minutes)."""

from django.db.models import Prefetch
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext as _

from organisations.home_sections import HomeSection
from organisations.roles import role_in
from parcours.extensions import programme_tabs, session_panels
from parcours.models import Session

from . import minutes_access
from .models import Minutes, MinutesVersion


def session_minutes(session: Session) -> Minutes | None:
    """The session's minutes with their validated versions (``validated_versions``)."""
    return (
        Minutes.objects.filter(session=session)
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=MinutesVersion.objects.filter(status=MinutesVersion.Status.VALIDATED),
                to_attr="validated_versions",
            )
        )
        .first()
    )


@receiver(session_panels, dispatch_uid="ressources.session_minutes")
def session_minutes_panel(sender, *, request, organisation, session, **kwargs):
    """The session's minutes: who may read them gets a link, writers get their buttons."""
    user = request.user
    role = role_in(user, organisation)
    writer = minutes_access.can_write(user, organisation, session, role)
    minutes = session_minutes(session)
    if minutes is None:
        if not writer or session.status == Session.Status.CANCELLED:
            return None
        url = reverse("ressources:minutes_start", args=[organisation.slug, session.pk])
        return HomeSection(
            "ressources/minutes/session_section.html",
            {"minutes": None, "start_url": url, "writer": True},
        )
    validated = bool(minutes.validated_versions)
    readable = writer or (
        validated and minutes_access.can_read(user, organisation, session, minutes, role)
    )
    if not readable:
        return None
    return HomeSection(
        "ressources/minutes/session_section.html",
        {
            "minutes": minutes,
            "writer": writer,
            "validated": validated,
            "url": reverse("ressources:minutes_detail", args=[organisation.slug, minutes.pk]),
            "edit_url": reverse("ressources:minutes_edit", args=[organisation.slug, minutes.pk])
            if writer and not minutes.is_validated
            else "",
        },
    )


@receiver(programme_tabs, dispatch_uid="ressources.programme_minutes")
def minutes_tab(sender, *, request, organisation, programme, **kwargs):
    if role_in(request.user, organisation) not in minutes_access.STAFF_READERS:
        return []
    url = reverse("ressources:programme_minutes", args=[organisation.slug, programme.pk])
    return [(_("Comptes rendus"), url, "minutes")]
