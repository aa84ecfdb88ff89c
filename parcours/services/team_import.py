"""Importing a cohort's teams and their members from a spreadsheet, once the coordinator
has seen the preview (``parcours.team_import``) and confirmed it."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from organisations.services import record
from parcours.actions import Action
from parcours.models import Cohort, Team
from parcours.services.invitations import invite_to_team
from parcours.services.team_history import record_former_team_member
from parcours.services.teams import create_team
from parcours.team_import import ImportPreview, check_team_rows


@dataclass
class TeamImportResult:
    preview: ImportPreview
    teams_created: int
    teams_completed: int
    invitations: int
    former_members: int


@transaction.atomic
def import_teams(*, cohort: Cohort, acting_user, rows: list[dict[str, str]]) -> TeamImportResult:
    """Check ``rows`` again (the cohort may have changed since the preview) and, if not
    one has a problem, create the teams, invite each person (the invitation e-mails leave
    once the transaction commits) and record the people who already left with their
    dates. All or nothing: any problem raises a ``ValidationError`` and writes nothing."""
    preview = check_team_rows(cohort=cohort, rows=rows)
    if not preview.is_valid:
        raise ValidationError(
            _("Le fichier a des problèmes à corriger (%(count)s lignes) : rien n'a été importé.")
            % {"count": preview.error_count}
        )
    created = 0
    for planned in preview.teams:
        team: Team = planned.existing
        if team is None:
            team = create_team(
                cohort=cohort,
                acting_user=acting_user,
                name=planned.name,
                territory=planned.territory,
            )
            created += 1
        team.cohort = cohort
        # Former members first: they take no place in a role.
        for row in sorted(planned.rows, key=lambda row: not row.is_former):
            values = row.values
            if row.is_former:
                record_former_team_member(
                    team=team,
                    acting_user=acting_user,
                    email=values["email"],
                    first_name=values["first_name"],
                    last_name=values["last_name"],
                    role=row.role,
                    joined_on=row.joined_on,
                    left_on=row.left_on,
                )
            else:
                invite_to_team(
                    team=team,
                    acting_user=acting_user,
                    email=values["email"],
                    first_name=values["first_name"],
                    last_name=values["last_name"],
                    role=row.role,
                )
    result = TeamImportResult(
        preview=preview,
        teams_created=created,
        teams_completed=preview.teams_completed,
        invitations=preview.invitations,
        former_members=preview.former_members,
    )
    record(
        organisation=cohort.organisation,
        actor=acting_user,
        action=Action.TEAMS_IMPORTED,
        target=cohort.name,
        rows=len(preview.rows),
        teams_created=result.teams_created,
        teams_completed=result.teams_completed,
        invitations=result.invitations,
        former_members=result.former_members,
    )
    return result
