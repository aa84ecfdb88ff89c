"""What the demo modules share: the two demo organisations' slugs and programmes, the
result the loader prints, and small helpers (aware datetimes, demo e-mail addresses, the
one-line description of a loaded programme)."""

import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from parcours.models import Phase, Programme, Session, Team, TeamMember, Workshop

HDF_SLUG = "hauts-de-france"
CNFPT_SLUG = "cnfpt"
HDF_PROGRAMME = "Gouvernance des PAT en Hauts-de-France 2026–2028"
CNFPT_PROGRAMME = "Séminaire des directions du bloc local 2019"


@dataclass
class DemoResult:
    summary: list[str] = field(default_factory=list)
    # Extra login lines per organisation slug: (label, who).
    logins: dict[str, list[tuple[str, str]]] = field(default_factory=dict)


def aware(day: date, at: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, at, zone)


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def demo_email(first_name: str, last_name: str, domain: str) -> str:
    return f"{_ascii(first_name)}.{_ascii(last_name)}@{domain}".replace(" ", "-")


def describe(programme: Programme) -> str:
    sessions = Session.objects.filter(programme=programme)
    teams = Team.objects.filter(cohort__programme=programme).count()
    members = TeamMember.objects.current().filter(team__cohort__programme=programme).count()
    workshops = Workshop.objects.filter(round__session__programme=programme).count()
    phases = Phase.objects.filter(programme=programme).count()
    count = sessions.count()
    individual = sessions.filter(audience=Session.Audience.TEAM).count()
    parts = [f"{count} séance{'s' if count > 1 else ''}"]
    if individual:
        parts[0] += f" (dont {individual} individuelles)"
    if phases:
        parts.insert(0, f"{phases} phases")
    if teams:
        parts.append(f"{teams} équipes, {members} membres d'équipe")
    if workshops:
        parts.append(f"{workshops} ateliers")
    return (
        f"{programme.organisation.name} — « {programme.name} » "
        f"({programme.get_status_display().lower()}) : " + ", ".join(parts)
    )
