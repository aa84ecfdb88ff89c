"""Messages about evaluation campaigns: the « relancer » a coordinator sends to the
non-respondents (``send_campaign_reminder``, written to the outbox by the service in the
coordinator's transaction), and the e-mail shared with the reminder rules of
``evaluation.reminders`` (a campaign opens, a campaign closes soon).

Respondents of a questionnaire land on its answer page; assessors on the list of the
teams or people they assess.
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from django_scopes import scope

from evaluation.models import Campaign
from notifications import services
from notifications.models import Category
from sillon.formatting import format_moment
from sillon.mail import absolute_url

REMINDER_KIND = "evaluation.reminder"


def campaign_path(campaign: Campaign) -> str:
    """Where a respondent of ``campaign`` acts: the answer page, or the assessor's list."""
    name = "evaluation:assess_list" if campaign.is_assessment else "evaluation:answer"
    return reverse(
        name,
        kwargs={"organisation_slug": campaign.organisation.slug, "campaign_id": campaign.pk},
    )


def detail_path(campaign: Campaign) -> str:
    return reverse(
        "evaluation:campaign_detail",
        kwargs={"organisation_slug": campaign.organisation.slug, "campaign_id": campaign.pk},
    )


def campaign_email(campaign: Campaign, organisation, *, notice: str, subject: str, user=None):
    """The e-mail ``notice`` ("open", "closing", "reminder") about ``campaign``."""
    return services.render_email(
        template=f"evaluation/email/campaign_{notice}",
        subject=subject,
        organisation=organisation,
        context={
            "campaign": campaign,
            "recipient": user,
            "unsubscribe_url": "",
            "url": absolute_url(campaign_path(campaign)),
            "deadline": format_moment(campaign.closes_at, organisation),
            "assessment": campaign.is_assessment,
            "anonymous": campaign.anonymous,
            "session_title": campaign.session.title if campaign.session_id else "",
        },
    )


def send_campaign_reminder(campaign: Campaign, recipients, acting_user=None) -> list:
    """« Relancer »: one message per non-respondent (in the caller's transaction)."""
    with scope(organisation=campaign.organisation_id):
        campaign = Campaign.objects.select_related("organisation", "session").get(pk=campaign.pk)
        organisation = campaign.organisation
        subject = _("Relance : %(title)s") % {"title": campaign.title}

        def build(user) -> services.Email:
            return campaign_email(
                campaign, organisation, notice="reminder", subject=subject, user=user
            )

        return services.send(
            organisation=organisation,
            recipients=recipients,
            kind=REMINDER_KIND,
            category=Category.REQUESTS,
            build=build,
            url=campaign_path(campaign),
        )
