"""The engagement: the coordinator writes and versions the text and follows who signed
(per team and role), a team member reads and signs it. Thin views: a form parses, a
service checks and writes, the page redirects with a message in French."""

from zoneinfo import ZoneInfo

from axes.helpers import get_client_ip_address
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from organisations.access import organisation_view
from parcours import engagement_status as selectors
from parcours import services
from parcours.access import get_programme_for_user_or_404, get_team_or_404
from parcours.engagement_forms import EngagementTextForm, SignatureForm
from parcours.forms import add_service_errors
from parcours.models import EngagementText, TeamMember
from parcours.views.calendar import programme_context
from sillon.formatting import format_day, format_time

MANAGE = "parcours.manage_programme"
TEAMS_PER_PAGE = 25
VIEW = "parcours.view_calendar"


def format_signed_at(moment, zone: str) -> str:
    """« 19 juin 2026 à 14 h 05 » on the organisation's clock."""
    local = moment.astimezone(ZoneInfo(zone))
    return _("%(day)s à %(time)s") % {
        "day": format_day(local.date(), weekday=False),
        "time": format_time(local),
    }


# --- Coordinator ---------------------------------------------------------------------


@organisation_view(MANAGE)
def engagement_edit(request, organisation, programme_id):
    """The text in force, the versions published, and the editor of the next version."""
    programme = get_programme_for_user_or_404(request.user, organisation, programme_id)
    texts = list(
        EngagementText.objects.filter(programme=programme)
        .select_related("organisation", "published_by")
        .prefetch_related("key_sessions")
        .annotate(signature_count=Count("signatures"))
        .order_by("-version")
    )
    current = texts[0] if texts else None
    has_signatures = any(text.signature_count for text in texts)
    form = EngagementTextForm(
        request.POST or None,
        programme=programme,
        current=current,
        has_signatures=has_signatures,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            text = services.publish_engagement_text(
                programme=programme,
                acting_user=request.user,
                body=data["body"],
                key_sessions=data["key_sessions"],
                requires_resignature=form.wants_resignature,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if text.version == 1:
                message = _("Engagement publié : les membres des équipes peuvent le signer.")
            elif text.requires_resignature:
                message = _(
                    "Version %(version)s publiée : chaque membre doit la signer, les "
                    "signatures précédentes ne comptent plus."
                ) % {"version": text.version}
            else:
                message = _(
                    "Version %(version)s publiée : les signatures déjà recueillies restent "
                    "valables."
                ) % {"version": text.version}
            messages.success(request, message)
            return redirect("parcours:engagement_edit", organisation.slug, programme.pk)
    for text in texts:
        text.dates = text.key_dates()
        text.published_when = format_signed_at(text.published_at, organisation.time_zone)
    return render(
        request,
        "parcours/engagement/edit.html",
        {
            **programme_context(request, organisation, programme, "engagement"),
            "texts": texts,
            "current": current,
            "form": form,
            "has_signatures": has_signatures,
        },
    )


@organisation_view(MANAGE)
def engagement_dashboard(request, organisation, programme_id):
    """Per team and role: who signed which version, who has not; « engagée » or not."""
    programme = get_programme_for_user_or_404(request.user, organisation, programme_id)
    dashboard = selectors.engagement_dashboard(programme)
    zone = organisation.time_zone
    rows = []
    # The teams still to engage first; the counts above the table cover every team.
    # The pages are cut in the positions of the teams (the count is known: no COUNT).
    page = Paginator(range(dashboard.team_count), TEAMS_PER_PAGE).get_page(request.GET.get("page"))
    positions = page.object_list
    for team in dashboard.rows(dashboard.ordered_teams[positions.start : positions.stop]):
        by_role = {cell.role.pk if cell.role else None: cell for cell in team.roles}
        for row in team.members:
            if row.signature is not None:
                row.when = format_signed_at(row.signature.signed_at, zone)
        unassigned = by_role.get(None)
        rows.append(
            {
                "team": team,
                "cells": [by_role[role.pk] for role in dashboard.roles],
                "unassigned": unassigned,
            }
        )
    return render(
        request,
        "parcours/engagement/dashboard.html",
        {
            **programme_context(request, organisation, programme, "engagement"),
            "dashboard": dashboard,
            "rows": rows,
            "has_unassigned": dashboard.has_unassigned,
            "missing": dashboard.missing_count,
            "page": page,
        },
    )


@organisation_view(MANAGE)
@require_POST
def engagement_remind(request, organisation, programme_id):
    programme = get_programme_for_user_or_404(request.user, organisation, programme_id)
    try:
        count = services.remind_missing_signatories(programme=programme, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            ngettext(
                "Relance envoyée à %(count)s personne.",
                "Relance envoyée à %(count)s personnes.",
                count,
            )
            % {"count": count},
        )
    return redirect("parcours:engagement_dashboard", organisation.slug, programme.pk)


# --- Team member ---------------------------------------------------------------------


def _own_member(request, organisation, programme_id, team_id) -> TeamMember:
    """The current user's current place in the team, or 404 (whoever else asks)."""
    programme = get_programme_for_user_or_404(request.user, organisation, programme_id)
    team = get_team_or_404(organisation, programme, team_id)
    member = (
        TeamMember.objects.current()
        .filter(team=team, user=request.user)
        .select_related("team__cohort__programme", "role", "user")
        .first()
    )
    if member is None:
        raise Http404
    return member


@organisation_view(VIEW)
def engagement_sign(request, organisation, programme_id, team_id):
    """« Mon engagement »: the text and its key dates, the consent and the typed name;
    once signed, what was signed (when, which version, the text's fingerprint)."""
    member = _own_member(request, organisation, programme_id, team_id)
    programme = member.team.cohort.programme
    current = selectors.current_engagement_text(programme)
    status = selectors.engagement_status(member.team)
    mine = next((row for row in status.members if row.member.pk == member.pk), None)
    signature = mine.signature if mine and mine.signed else None
    form = SignatureForm(request.POST or None)
    if request.method == "POST" and current is not None and signature is None:
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.sign_engagement(
                    member=member,
                    acting_user=request.user,
                    typed_name=data["typed_name"],
                    consent=data["consent"],
                    ip_address=get_client_ip_address(request),
                    user_agent=request.headers.get("User-Agent", ""),
                    text_id=form.shown_text_id,
                    text_hash=data["text_hash"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Merci : votre engagement est signé (version %(version)s).")
                    % {"version": current.version},
                )
                return redirect(
                    "parcours:engagement_sign", organisation.slug, programme.pk, member.team_id
                )
    elif request.method == "POST":
        return redirect("parcours:engagement_sign", organisation.slug, programme.pk, member.team_id)
    if current is not None and signature is None and not form.is_bound:
        form = SignatureForm(
            initial={"text_id": current.pk, "text_hash": current.digest(member.team_id)}
        )
    elif current is not None and signature is None:
        # A refused attempt shows the text in force again: the next try signs it.
        form.data = form.data.copy()
        form.data["text_id"] = str(current.pk)
        form.data["text_hash"] = current.digest(member.team_id)
    shown = current
    if signature is not None and current is not None and signature.text_id != current.pk:
        shown = (
            EngagementText.objects.select_related("organisation")
            .prefetch_related("key_sessions")
            .get(pk=signature.text_id)
        )
    return render(
        request,
        "parcours/engagement/sign.html",
        {
            "programme": programme,
            "member": member,
            "text": shown,
            "current": current,
            "dates": shown.key_dates(member.team_id) if shown else [],
            "signature": signature,
            "signed_when": (
                format_signed_at(signature.signed_at, organisation.time_zone) if signature else ""
            ),
            "calendar_changed": bool(
                signature and signature.text_hash != shown.digest(member.team_id)
            ),
            "team_engaged": status.engaged,
            "team_progress": status.progress_label if status.has_text else "",
            "team_noun": programme.team_noun,
            "form": form,
        },
    )
