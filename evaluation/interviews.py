"""Answers recorded at an interview: who may record them, and how a response says it."""

from __future__ import annotations

from django.utils.translation import gettext as _

from evaluation.models import Campaign, Response
from organisations.models import Role
from organisations.roles import role_in
from parcours.models import Session
from sillon.formatting import format_day


def can_record_interview(campaign: Campaign, user, organisation) -> bool:
    """Coordinators, and trainers who run the campaign's session (or, for a campaign
    without a session, a session of its programme)."""
    role = role_in(user, organisation)
    if role == Role.COORDINATOR:
        return True
    if role != Role.TRAINER:
        return False
    sessions = Session.objects.filter(facilitators=user)
    if campaign.session_id:
        return sessions.filter(pk=campaign.session_id).exists()
    return sessions.filter(programme=campaign.programme_id).exists()


def interview_refusal(campaign: Campaign) -> str:
    """Why no answer can be recorded at an interview for ``campaign`` ("" when it can)."""
    if campaign.anonymous:
        return _(
            "Cette campagne est anonyme : une réponse saisie par quelqu'un d'autre serait "
            "forcément reliée à la personne interrogée. Proposez-lui de répondre elle-même, "
            "ou créez une campagne nominative pour les entretiens."
        )
    if campaign.external or campaign.is_assessment or campaign.mode != Campaign.Mode.PERSON:
        return _(
            "Une réponse d'entretien se saisit pour une personne, dans une campagne « une "
            "réponse par personne »."
        )
    if campaign.status != Campaign.Status.LAUNCHED or campaign.state != "open":
        return _("La campagne n'est pas ouverte : aucune réponse ne peut être saisie.")
    return ""


def interview_note(response: Response) -> str:
    """« Saisi par Anne Martin lors d'un entretien le 12 janvier 2027 » ("" otherwise);
    ``entered_by`` loaded."""
    if response.entered_by_id is None or response.interview_on is None:
        return ""
    who = response.entered_by
    return _("Saisi par %(name)s lors d'un entretien le %(day)s") % {
        "name": who.get_full_name() or who.email,
        "day": format_day(response.interview_on, weekday=False),
    }
