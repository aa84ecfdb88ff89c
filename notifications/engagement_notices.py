"""Messages about the engagement: the « relancer les signataires manquants » of a
coordinator (``parcours.signals.engagement_reminder_requested``, written in the
coordinator's transaction), and the e-mail shared with the reminder rule of
``notifications.rules_engagement`` (signatures pending every N days).

Each person lands on their own « Mon engagement » page (the one of their team)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django_scopes import scope

from parcours.models import EngagementText, TeamMember
from sillon.mail import absolute_url

from . import services
from .models import Category

REMINDER_KIND = "engagement.reminder"


def sign_path(organisation_slug: str, programme_id: int, team_id: int) -> str:
    return reverse(
        "parcours:engagement_sign",
        kwargs={
            "organisation_slug": organisation_slug,
            "programme_id": programme_id,
            "team_id": team_id,
        },
    )


def dashboard_path(organisation_slug: str, programme_id: int) -> str:
    return reverse(
        "parcours:engagement_dashboard",
        kwargs={"organisation_slug": organisation_slug, "programme_id": programme_id},
    )


def engagement_email(
    text: EngagementText,
    organisation,
    *,
    subject: str,
    url: str,
    dates: list[str],
    user=None,
    reminded=False,
):
    """The e-mail asking ``user`` to sign ``text`` (``reminded``: a coordinator's
    « relance » rather than the periodic reminder)."""
    return services.render_email(
        template="notifications/email/engagement_reminder",
        subject=subject,
        organisation=organisation,
        context={
            "text": text,
            "programme": text.programme,
            "recipient": user,
            "unsubscribe_url": "",
            "url": absolute_url(url) if url else "",
            "dates": dates,
            "reminded": reminded,
        },
    )


def send_engagement_reminder(text: EngagementText, recipients, acting_user=None) -> list:
    """« Relancer »: one message per person whose signature is missing, each with the
    link to their team's page (in the caller's transaction)."""
    with scope(organisation=text.organisation_id):
        text = (
            EngagementText.objects.select_related("organisation", "programme")
            .prefetch_related("key_sessions")
            .get(pk=text.pk)
        )
        organisation = text.organisation
        teams = dict(
            TeamMember.objects.current()
            .filter(
                team__cohort__programme=text.programme_id,
                user__in=[user.pk for user in recipients],
            )
            .order_by("-pk")
            .values_list("user_id", "team_id")
        )
        subject = _("Relance : votre engagement à signer — %(name)s") % {
            "name": text.programme.name
        }
        dates = text.key_dates()
        deliveries = []
        for user in recipients:
            if user.pk not in teams:
                continue
            url = sign_path(organisation.slug, text.programme_id, teams[user.pk])

            def build(person, url=url):
                return engagement_email(
                    text,
                    organisation,
                    subject=subject,
                    url=url,
                    dates=dates,
                    user=person,
                    reminded=True,
                )

            deliveries.append(services.Delivery(user, build, url))
        return services.send_batch(
            organisation=organisation,
            deliveries=deliveries,
            kind=REMINDER_KIND,
            category=Category.REQUESTS,
        )
