"""Messages about minutes, written to the outbox (``notifications.services``) by the
minutes' services inside their transaction (delivery starts after commit):

* minutes shared for comments (``send_shared``): each attendee with an account is
  asked to read them and comment (« Compte rendu à relire : <séance> »), in-app and by
  e-mail, category « demandes à traiter »;
* minutes validated (``send_validated``): each attendee with an account gets one
  e-mail with the PDF attached and an in-app notice (« Compte rendu : <séance> »; a
  correction says « Compte rendu corrigé (version n) »), category « nouvelles de mon
  équipe ».
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from notifications.models import Category
from notifications.services import Attachment, Email, render_email, send
from sillon.formatting import format_day, local
from sillon.mail import absolute_url

from .models import Minutes, MinutesVersion

SHARED_KIND = "minutes.shared"
VALIDATED_KIND = "minutes.validated"


def minutes_url(minutes: Minutes, number: int | None = None) -> str:
    slug = minutes.organisation.slug
    if number is None:
        return absolute_url(reverse("ressources:minutes_detail", args=[slug, minutes.pk]))
    return absolute_url(reverse("ressources:minutes_version", args=[slug, minutes.pk, number]))


def session_day(session, organisation) -> str:
    if not session.starts_at:
        return _("date à confirmer")
    return format_day(local(session.starts_at, organisation.time_zone).date())


def send_shared(*, version: MinutesVersion, recipients) -> None:
    minutes = version.minutes
    session, organisation = minutes.session, minutes.organisation
    url = minutes_url(minutes, version.number)
    when = session_day(session, organisation)

    def build(user) -> Email:
        return render_email(
            template="ressources/emails/minutes_shared",
            subject=_("Compte rendu à relire : %(title)s") % {"title": session.title},
            organisation=organisation,
            context={
                "session": session,
                "when": when,
                "version": version,
                "url": url,
                "recipient": user,
                "unsubscribe_url": "",
            },
        )

    send(
        organisation=organisation,
        recipients=recipients,
        kind=SHARED_KIND,
        category=Category.REQUESTS,
        build=build,
        url=url,
    )


def send_validated(*, version: MinutesVersion, recipients, pdf: bytes, filename: str) -> list:
    """One e-mail per recipient, the PDF attached; returns the outbox rows."""
    minutes = version.minutes
    session, organisation = minutes.session, minutes.organisation
    url = minutes_url(minutes, version.number)
    when = session_day(session, organisation)
    actions = list(version.actions.all())
    if version.is_correction:
        subject = _("Compte rendu corrigé (version %(number)s) : %(title)s") % {
            "number": version.number,
            "title": session.title,
        }
    else:
        subject = _("Compte rendu : %(title)s") % {"title": session.title}

    def build(user) -> Email:
        return render_email(
            template="ressources/emails/minutes_validated",
            subject=subject,
            organisation=organisation,
            context={
                "session": session,
                "when": when,
                "version": version,
                "correction": version.is_correction,
                "actions": actions,
                "url": url,
                "recipient": user,
                "unsubscribe_url": "",
            },
            attachments=[Attachment(filename=filename, mimetype="application/pdf", content=pdf)],
        )

    return send(
        organisation=organisation,
        recipients=recipients,
        kind=VALIDATED_KIND,
        category=Category.TEAM_NEWS,
        build=build,
        url=url,
    )
