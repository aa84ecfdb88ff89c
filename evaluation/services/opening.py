"""Opening a campaign aimed at a session's participants: how long it waits for the
attendance sheet, and what is recorded when the wait ends without one.

An « à chaud » campaign opening at the end of a session waits for the sheet until
``sheet_wait_until`` (default: the next morning, 9 h on the organisation's wall clock).
The invitation itself is the opening notice of ``evaluation.reminders`` (claimed once in
the reminder log, whatever moment it finally goes at): to the attendees as soon as the
sheet is recorded, or at the end of the wait to the registered. When it goes to the
registered, ``record_audience_fallback`` sets ``audience_fallback`` in the same
transaction, so the audience (reminders, non-respondents, rates) stays the one invited
even if a sheet comes later.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluation.actions import Action
from evaluation.models import Campaign
from evaluation.targets import default_sheet_wait
from organisations.services import record
from presences.models import Attendance


def sheet_wait_for(values: dict, zone_name: str) -> datetime | None:
    """The wait for the sheet of a campaign with ``values`` (``audience``, ``session``,
    ``mode``, ``opens_at``, ``sheet_wait_until``): the one chosen, or by default the next
    morning after its session for a campaign of its participants opening once the
    session has started; None when it does not wait."""
    session = values.get("session")
    if values.get("audience") != Campaign.Audience.SESSION or session is None:
        return None
    chosen = values.get("sheet_wait_until")
    if chosen is not None:
        return chosen
    opens_at = values.get("opens_at")
    if opens_at is None or opens_at < session.starts_at:
        return None
    return default_sheet_wait(session, zone_name)


def sheet_wait_errors(values: dict) -> dict[str, list[str]]:
    """French errors for a chosen wait: after the session's start, before the closing."""
    wait = values.get("sheet_wait_until")
    session = values.get("session")
    if wait is None or session is None or values.get("audience") != Campaign.Audience.SESSION:
        return {}
    if wait <= session.starts_at:
        return {
            "sheet_wait_until": [
                _("L'attente de la feuille d'émargement doit finir après le début de la séance.")
            ]
        }
    closes_at = values.get("closes_at")
    if closes_at is not None and wait >= closes_at:
        return {
            "sheet_wait_until": [
                _("L'attente de la feuille d'émargement doit finir avant la clôture.")
            ]
        }
    return {}


@transaction.atomic
def record_audience_fallback(*, campaign: Campaign, now: datetime | None = None) -> bool:
    """The wait of ``campaign`` ended with no attendance recorded: it goes to the
    registered, for good. Idempotent; returns whether the flag was set now."""
    now = now or timezone.now()
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if (
        campaign.audience_fallback
        or campaign.audience != Campaign.Audience.SESSION
        or campaign.session_id is None
        or campaign.sheet_wait_until is None
        or now < campaign.sheet_wait_until
        or Attendance.objects.filter(session=campaign.session_id).exists()
    ):
        return False
    campaign.audience_fallback = True
    campaign.save(update_fields=["audience_fallback"])
    record(
        organisation=campaign.organisation,
        actor=None,
        action=Action.CAMPAIGN_AUDIENCE_FALLBACK,
        target=campaign.title,
        campaign=campaign.pk,
        session=campaign.session_id,
    )
    return True
