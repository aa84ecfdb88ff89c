"""Where attendance rates show outside their own pages (``sillon.extensions``): the
« Présences » tab of a programme (coordinators, trainers, observers) and the team's
record on its page; and the place of the attendance dashboard that the apps above fill.

* ``attendance_dashboard_panels``: panels of a programme's attendance dashboard
  (documents adds the attestations: one person's, or the whole cohort's as a ZIP).
  Receivers take ``request, organisation, programme``, are called only for people
  allowed to see the dashboard, and return a ``HomeSection`` or ``None``.
"""

from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.extensions import personal_data
from organisations.home_sections import HomeSection
from organisations.models import Role
from organisations.roles import role_in
from parcours.extensions import programme_tabs, team_panels
from presences.models import AttendanceStatus, HalfDay
from presences.personal_data import export_for_user
from presences.stats import team_record
from sillon.extensions import ExtensionPoint
from sillon.formatting import format_day, local

attendance_dashboard_panels = ExtensionPoint(
    "presences.attendance_dashboard_panels",
    "A panel of a programme's attendance dashboard: "
    "(request, organisation, programme) -> HomeSection | None.",
)

STAFF_ROLES = (Role.COORDINATOR, Role.TRAINER, Role.OBSERVER)
EMAIL_ROLES = (Role.COORDINATOR, Role.TRAINER)


@receiver(programme_tabs, dispatch_uid="presences.attendance")
def attendance_tab(sender, *, request, organisation, programme, **kwargs):
    """« Présences », for the organisation's staff."""
    if role_in(request.user, organisation) not in STAFF_ROLES:
        return []
    url = reverse("presences:attendance_dashboard", args=[organisation.slug, programme.pk])
    return [(_("Présences"), url, "attendance")]


def _half_day_label(day, half_day: str, several_days: bool) -> str:
    label = str(HalfDay(half_day).label)
    if not several_days:
        return label
    return f"{format_day(day, weekday=False, year=False)}, {label.lower()}"


@receiver(team_panels, dispatch_uid="presences.attendance")
def attendance_team_panel(sender, *, request, organisation, team, **kwargs) -> HomeSection | None:
    """The team's attendance: per recorded session, each person's half-days and rate,
    and the team's rate. Shown to everyone who sees the team's page (its members and
    the organisation's staff); nothing before a first session is recorded."""
    record = team_record(team)
    if not record.sessions:
        return None
    role = role_in(request.user, organisation)
    show_emails = role in EMAIL_ROLES
    # Observers see the team's rates, never a person's, unless the programme allows it.
    people_hidden = role == Role.OBSERVER and not team.cohort.programme.observers_see_names
    if people_hidden:
        record.members = []
    labels = {status.value: str(status.label) for status in AttendanceStatus}
    zone = organisation.time_zone
    for member in record.members:
        if not member.name:
            member.name = member.email if show_emails else _("Personne sans nom")
    rows = []
    for session_record in record.sessions:
        several_days = len({day for day, _half in session_record.half_days}) > 1
        cells = []
        for member in record.members:
            statuses = session_record.statuses.get(member.user_id)
            if not statuses:
                cells.append(None)
                continue
            cells.append(
                {
                    "half_days": [
                        (
                            _half_day_label(day, half, several_days),
                            labels[statuses[(day, half)]],
                        )
                        for day, half in session_record.half_days
                        if (day, half) in statuses
                    ],
                    "counts": session_record.counts_by_user[member.user_id],
                }
            )
        rows.append(
            {
                "title": session_record.title,
                "day": format_day(local(session_record.starts_at, zone).date(), weekday=False),
                "cells": cells,
                "counts": session_record.counts,
            }
        )
    return HomeSection(
        "presences/rates/team_section.html",
        {
            "members": record.members,
            "rows": rows,
            "counts": record.counts,
            "people_hidden": people_hidden,
        },
    )


@receiver(personal_data, dispatch_uid="presences.personal_data")
def presences_personal_data(sender, *, user, **kwargs):
    return "parcours", export_for_user(user)
