"""Messages about the engagement: the « relancer les signataires manquants » of a
coordinator (``parcours.signals.engagement_reminder_requested``, written in the
coordinator's transaction), and the e-mail shared with the reminder rule of
``notifications.rules_engagement`` (signatures pending every N days).

Each person lands on their own « Mon engagement » page (the one of their team)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django_scopes import scope

from notifications import services
from notifications.models import Category
from parcours.models import EngagementText, TeamMember
from sillon.mail import absolute_url

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


def teams_and_dates(text: EngagementText, users) -> dict[int, tuple[int, list[str]]]:
    """{user id: (their team's id, the key dates of that team)} for the current members
    of ``text``'s programme among ``users``: each person is sent their own team's dates
    (one query, plus one per team for its dates). Runs in the organisation's scope."""
    teams = dict(
        TeamMember.objects.current()
        .filter(team__cohort__programme=text.programme_id, user__in=[user.pk for user in users])
        .order_by("-pk")
        .values_list("user_id", "team_id")
    )
    dates: dict[int, list[str]] = {}
    for team_id in set(teams.values()):
        dates[team_id] = text.key_dates(team_id)
    return {user_id: (team_id, dates[team_id]) for user_id, team_id in teams.items()}


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
        teams = teams_and_dates(text, recipients)
        subject = _("Relance : votre engagement à signer — %(name)s") % {
            "name": text.programme.name
        }
        deliveries = []
        for user in recipients:
            if user.pk not in teams:
                continue
            team_id, dates = teams[user.pk]
            url = sign_path(organisation.slug, text.programme_id, team_id)

            def build(person, url=url, dates=dates):
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
