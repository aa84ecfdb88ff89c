"""Getting a programme, session or agenda object the current user may see, or 404."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from organisations.models import Organisation
from parcours.models import (
    AgendaItem,
    Phase,
    SessionKind,
    Team,
    TeamRole,
    Workshop,
)
from parcours.selectors import programmes_visible_to, sessions_visible_to


def get_programme_for_user_or_404(user, organisation: Organisation, programme_id: int):
    return get_object_or_404(programmes_visible_to(user, organisation), pk=programme_id)


def get_session_for_user_or_404(user, organisation: Organisation, session_id: int):
    return get_object_or_404(sessions_visible_to(user, organisation), pk=session_id)


def get_phase_or_404(organisation: Organisation, programme, phase_id: int) -> Phase:
    return get_object_or_404(
        Phase.objects, organisation=organisation, programme=programme, pk=phase_id
    )


def get_session_kind_or_404(organisation: Organisation, programme, kind_id: int) -> SessionKind:
    return get_object_or_404(
        SessionKind.objects, organisation=organisation, programme=programme, pk=kind_id
    )


def get_team_role_or_404(organisation: Organisation, programme, role_id: int) -> TeamRole:
    return get_object_or_404(
        TeamRole.objects, organisation=organisation, programme=programme, pk=role_id
    )


def get_team_or_404(organisation: Organisation, programme, team_id: int) -> Team:
    return get_object_or_404(
        Team.objects.select_related("cohort", "territory"),
        organisation=organisation,
        cohort__programme=programme,
        pk=team_id,
    )


def get_programme_team_for_user_or_404(user, organisation: Organisation, programme_id, team_id):
    """(programme, team) when ``user`` sees the programme and the team is in it, else
    404: one query (the team's page; who may read the team is the view's to check)."""
    visible = programmes_visible_to(user, organisation).filter(pk=programme_id)
    team = get_object_or_404(
        Team.objects.select_related("cohort__programme", "territory"),
        organisation=organisation,
        cohort__programme__in=visible.values("pk"),
        pk=team_id,
    )
    return team.cohort.programme, team


def get_agenda_item_or_404(organisation: Organisation, session, item_id: int) -> AgendaItem:
    return get_object_or_404(
        AgendaItem.objects, organisation=organisation, session=session, pk=item_id
    )


def get_workshop_or_404(organisation: Organisation, session, workshop_id: int) -> Workshop:
    workshop = get_object_or_404(
        Workshop.objects.select_related("round"),
        organisation=organisation,
        pk=workshop_id,
    )
    if workshop.round.session_id != session.pk:
        raise Http404
    return workshop
