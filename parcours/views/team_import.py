"""Importing a cohort's teams and their members from a spreadsheet: the coordinator
sends a CSV or XLSX file, sees every row with its problems (nothing is written), then
confirms; the rows travel signed in the confirmation form and are checked again."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from organisations.access import organisation_view
from parcours import services
from parcours.access import get_programme_for_user_or_404
from parcours.models import Cohort, TeamRole
from parcours.team_import import (
    COLUMNS,
    HEADERS,
    MAX_ROWS,
    check_team_rows,
    sign_rows,
    template_rows,
    unsign_rows,
)
from parcours.team_import_forms import TeamImportForm
from sillon.exports import spreadsheet_response

MANAGE = "parcours.manage_programme"


def _render_preview(request, organisation, programme, preview, rows):
    token = ""
    if preview.is_valid:
        token = sign_rows(
            organisation_id=organisation.pk,
            programme_id=programme.pk,
            user_id=request.user.pk,
            cohort_id=preview.cohort.pk,
            rows=rows,
        )
    return render(
        request,
        "parcours/team_import/preview.html",
        {"programme": programme, "preview": preview, "token": token},
    )


@organisation_view(MANAGE)
def team_import(request, organisation, programme_id):
    programme = get_programme_for_user_or_404(request.user, organisation, programme_id)
    cohorts = list(Cohort.objects.filter(programme=programme).select_related("programme"))
    form = TeamImportForm(request.POST or None, request.FILES or None, cohorts=cohorts)
    if request.method == "POST" and form.is_valid():
        preview = check_team_rows(cohort=form.cleaned_data["cohort"], rows=form.rows)
        return _render_preview(request, organisation, programme, preview, form.rows)
    return render(
        request,
        "parcours/team_import/upload.html",
        {
            "programme": programme,
            "form": form,
            "columns": COLUMNS,
            "max_rows": MAX_ROWS,
            "roles": list(TeamRole.objects.filter(programme=programme)),
        },
    )


def _summary(result) -> str:
    parts = [
        ngettext("%(count)s équipe", "%(count)s équipes", result.teams_created)
        % {"count": result.teams_created},
        ngettext(
            "%(count)s invitation envoyée", "%(count)s invitations envoyées", result.invitations
        )
        % {"count": result.invitations},
    ]
    if result.teams_completed:
        parts.append(
            ngettext(
                "%(count)s équipe existante complétée",
                "%(count)s équipes existantes complétées",
                result.teams_completed,
            )
            % {"count": result.teams_completed}
        )
    if result.former_members:
        parts.append(
            ngettext(
                "%(count)s ancien membre enregistré avec ses dates",
                "%(count)s anciens membres enregistrés avec leurs dates",
                result.former_members,
            )
            % {"count": result.former_members}
        )
    return ", ".join(parts)


@organisation_view(MANAGE)
@require_POST
def team_import_confirm(request, organisation, programme_id):
    programme = get_programme_for_user_or_404(request.user, organisation, programme_id)
    unsigned = unsign_rows(
        request.POST.get("rows", ""),
        organisation_id=organisation.pk,
        programme_id=programme.pk,
        user_id=request.user.pk,
    )
    if unsigned is None:
        messages.error(
            request,
            _("Cet aperçu n'est plus valable (plus d'une heure) : envoyez le fichier à nouveau."),
        )
        return redirect("parcours:team_import", organisation.slug, programme.pk)
    cohort_id, rows = unsigned
    cohort = get_object_or_404(
        Cohort.objects.select_related("organisation", "programme"),
        programme=programme,
        pk=cohort_id,
    )
    try:
        result = services.import_teams(cohort=cohort, acting_user=request.user, rows=rows)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        preview = check_team_rows(cohort=cohort, rows=rows)
        return _render_preview(request, organisation, programme, preview, rows)
    messages.success(request, _summary(result))
    return redirect("parcours:team_list", organisation.slug, programme.pk)


def _template(request, organisation, programme_id, fmt):
    programme = get_programme_for_user_or_404(request.user, organisation, programme_id)
    return spreadsheet_response(
        headers=HEADERS,
        rows=template_rows(list(TeamRole.objects.filter(programme=programme))),
        filename="modele-import-equipes",
        fmt=fmt,
    )


@organisation_view(MANAGE)
def team_import_template_csv(request, organisation, programme_id):
    return _template(request, organisation, programme_id, "csv")


@organisation_view(MANAGE)
def team_import_template_xlsx(request, organisation, programme_id):
    return _template(request, organisation, programme_id, "xlsx")
