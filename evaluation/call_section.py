"""Evaluation's panel on a call's management page (``parcours.call_sections``): the
call's motivation questions and T0 self-diagnostic, and the page to choose them."""

from django.urls import reverse
from django.utils.translation import gettext as _

from evaluation.models import Campaign
from evaluation.services.call_questionnaires import SLOTS, slot_label, slot_of
from organisations.home_sections import HomeSection
from organisations.rules import is_coordinator


def call_questionnaires_section(request, organisation, call) -> HomeSection | None:
    if not is_coordinator(request.user, organisation):
        return None
    attached = {
        slot_of(campaign): campaign
        for campaign in Campaign.objects.filter(call=call).select_related(
            "questionnaire", "version"
        )
    }
    rows = [{"label": slot_label(slot), "campaign": attached.get(slot)} for slot in SLOTS]
    return HomeSection(
        "evaluation/calls/call_section.html",
        {
            "rows": rows,
            "url": reverse(
                "evaluation:call_questionnaires",
                args=[organisation.slug, call.programme_id, call.pk],
            ),
            "label": _("Choisir les questionnaires de l'appel"),
        },
    )
