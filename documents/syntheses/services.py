"""Asking for a PDF synthesis: who may ask for which (``get_team_for_report_or_404``…),
and the service that writes the request.

Asking again for the same synthesis (same requester, kind, programme and team) while one
is queued or building supersedes it: the running build is marked failed (« remplacée
par une nouvelle demande »), stops at its next step (``pdf.Steps``: the row is no longer
building) and its temporary file is removed by the pipeline; its file, were it already
stored, is deleted (``services._finish``). A half file is never offered.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from documents import queue
from documents.actions import Action
from documents.models import Document
from documents.services import ACTIVE, BUILDS_PER_HOUR
from organisations.models import Role
from organisations.roles import role_in
from organisations.services import record
from parcours.access import get_programme_for_user_or_404
from parcours.models import Team, TeamMember
from sillon import ratelimit

SYNTHESIS_KINDS = (
    Document.Kind.PROGRAMME_SYNTHESIS,
    Document.Kind.TEAM_REPORT,
    Document.Kind.TEAM_REPORTS,
    Document.Kind.TRAINING_BILAN,
)
# Who may ask for the programme synthesis, the cohort's reports and the bilan.
STAFF = (Role.COORDINATOR, Role.TRAINER, Role.OBSERVER)
BUILDERS = (Role.COORDINATOR, Role.TRAINER)


def superseded_message() -> str:
    return _("Remplacée par une nouvelle demande.")


# --- Access -----------------------------------------------------------------------------


def get_programme_for_synthesis_or_404(user, organisation, programme_id: int, *, roles=STAFF):
    """The programme whose synthesis ``user`` may ask for (coordinators, trainers,
    observers, or ``roles``); anyone else: 404."""
    if role_in(user, organisation) not in roles:
        raise Http404
    return get_programme_for_user_or_404(user, organisation, programme_id)


def may_read_team_report(user, organisation, team: Team, members=None) -> bool:
    """A team's report: its current members, the coordinators, trainers and observers;
    never another team. ``members``: the team's rows when the caller has them."""
    if role_in(user, organisation) in STAFF:
        return True
    if members is not None:
        return any(m.user_id == user.pk and m.left_at is None for m in members)
    return TeamMember.objects.current().filter(team=team, user=user).exists()


def get_team_for_report_or_404(user, organisation, programme_id: int, team_id: int):
    """(programme, team) of a journey report ``user`` may ask for; else 404."""
    programme = get_programme_for_user_or_404(user, organisation, programme_id)
    team = (
        Team.objects.filter(organisation=organisation, cohort__programme=programme, pk=team_id)
        .select_related("cohort")
        .first()
    )
    if team is None or not may_read_team_report(user, organisation, team):
        raise Http404
    return programme, team


# --- The request ------------------------------------------------------------------------


@transaction.atomic
def request_synthesis(
    *,
    organisation,
    acting_user,
    kind: str,
    title: str,
    programme,
    team=None,
    scope: dict | None = None,
    foreword: str = "",
) -> Document:
    """Write the request (pending) and dispatch its build once committed; the same
    request still queued or building is superseded (see the module)."""
    if kind not in SYNTHESIS_KINDS:
        raise ValidationError({"kind": _("Type de document inconnu.")})
    if programme.organisation_id != organisation.pk:
        raise ValidationError(_("Ce document ne concerne pas cette organisation."))
    if kind == Document.Kind.TEAM_REPORT:
        if team is None or team.cohort.programme_id != programme.pk:
            raise ValidationError({"team": _("Choisissez une équipe de ce programme.")})
    else:
        team = None
    if not ratelimit.hit("documents", acting_user.pk, limit=BUILDS_PER_HOUR, window=3600):
        raise ValidationError(
            _(
                "Vous avez demandé %(limit)d documents en moins d'une heure, le maximum "
                "pour un compte : réessayez dans une heure."
            )
            % {"limit": BUILDS_PER_HOUR}
        )
    now = timezone.now()
    superseded = list(
        Document.objects.select_for_update()
        .filter(
            organisation=organisation,
            requested_by=acting_user,
            kind=kind,
            programme=programme,
            team=team,
            status__in=ACTIVE,
        )
        .values_list("pk", flat=True)
    )
    if superseded:
        Document.objects.filter(pk__in=superseded).update(
            status=Document.Status.FAILED,
            error=superseded_message(),
            heartbeat_at=now,
            finished_at=now,
        )
    document = Document.objects.create(
        organisation=organisation,
        kind=kind,
        title=title[:300],
        requested_by=acting_user,
        programme=programme,
        team=team,
        scope=scope or {},
        foreword=(foreword or "").strip(),
    )
    record(
        organisation=organisation,
        actor=acting_user,
        action=Action.DOCUMENT_REQUESTED,
        target=document.title,
        document_id=document.pk,
        kind=kind,
        superseded=superseded,
    )
    queue.dispatch(document)
    return document
