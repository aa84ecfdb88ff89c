"""Importing a cohort's teams and their members from a spreadsheet (CSV or XLSX): reading
the file, then checking every row against the cohort as it is, without writing anything.

The coordinator sees the result (``check_team_rows``) as a preview, each row with its
problems in French; ``parcours.services.team_import.import_teams`` checks the rows again
when they confirm, and writes. Between the two steps the rows travel signed
(``sign_rows`` / ``unsign_rows``): no file is kept on the server.

A row whose person has a departure date is a *former* member (a replacement in a past
programme): recorded with their arrival and departure dates, without an invitation. Any
other row is an invitation to join the team, which makes the membership when accepted.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime

import tablib
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from parcours.models import Cohort, Team, TeamInvitation, TeamMember, TeamRole
from sillon.uploads import sniff_mime_type
from territoires.models import Territory
from territoires.selectors import KIND_PRIORITY
from territoires.text import normalise

MAX_BYTES = 1024 * 1024
MAX_ROWS = 500
SIGNING_SALT = "parcours.team_import"
SIGNATURE_MAX_AGE = 60 * 60  # seconds between the preview and the confirmation

# The columns, in the template's order: key, header as written in the template, whether
# the column must be present, what it holds (shown on the import page).
COLUMNS = [
    (
        "territory",
        "territoire",
        True,
        gettext_lazy("code officiel (INSEE pour une commune, SIREN pour un EPCI) ou nom exact"),
    ),
    (
        "team",
        "équipe",
        True,
        gettext_lazy(
            "nom de l'équipe ; les lignes au même nom forment une équipe ; une équipe "
            "existante de la promotion à ce nom est complétée"
        ),
    ),
    ("first_name", "prénom", True, gettext_lazy("prénom de la personne")),
    ("last_name", "nom", True, gettext_lazy("nom de la personne")),
    ("email", "e-mail", True, gettext_lazy("adresse e-mail de la personne")),
    ("role", "rôle", True, gettext_lazy("un rôle d'équipe du programme")),
    (
        "joined_on",
        "arrivée",
        False,
        gettext_lazy("facultatif : date d'arrivée dans l'équipe (jj/mm/aaaa)"),
    ),
    (
        "left_on",
        "départ",
        False,
        gettext_lazy(
            "facultatif : date de départ, pour une personne qui a déjà quitté l'équipe "
            "(jj/mm/aaaa) ; elle est alors enregistrée sans invitation"
        ),
    ),
]
KEYS = [key for key, *_rest in COLUMNS]
HEADERS = [header for _key, header, *_rest in COLUMNS]
# Headers as compared: ``normalise`` without spaces (« E-mail » → « email »).
_HEADER_KEYS = {
    "territoire": "territory",
    "codeterritoire": "territory",
    "equipe": "team",
    "nomdelequipe": "team",
    "prenom": "first_name",
    "nom": "last_name",
    "email": "email",
    "mail": "email",
    "courriel": "email",
    "adresseemail": "email",
    "role": "role",
    "arrivee": "joined_on",
    "datedarrivee": "joined_on",
    "depart": "left_on",
    "datededepart": "left_on",
}
_XLSX_TYPES = {
    "application/zip",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    # puremagic names any Office Open XML file from its first bytes as it can.
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
_CODE = re.compile(r"^(?:\d+|2[AB]\d*)$")
_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d/%m/%y")
MAX_LENGTHS = {"team": 200, "first_name": 150, "last_name": 150, "email": 254}


# --- Reading the file ----------------------------------------------------------------


def _header_key(header) -> str | None:
    return _HEADER_KEYS.get(normalise(str(header or "")).replace(" ", ""))


def _cell(value) -> str:
    """A cell as text, spaces trimmed: dates as ISO, whole numbers without « .0 »."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def _read_xlsx(content: bytes) -> tablib.Dataset:
    try:
        return tablib.Dataset().load(io.BytesIO(content), format="xlsx")
    except Exception:  # openpyxl raises many kinds of errors on a file it cannot read
        raise ValidationError(_("Ce fichier n'est pas un tableur lisible (CSV ou XLSX).")) from None


def _read_csv(content: bytes) -> tablib.Dataset:
    if b"\x00" in content:
        raise ValidationError(_("Ce fichier n'est pas un tableur lisible (CSV ou XLSX)."))
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes nearly everything
        raise ValidationError(_("Ce fichier n'est pas un tableur lisible (CSV ou XLSX)."))
    first_line = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first_line.count)
    try:
        return tablib.Dataset().load(text, format="csv", delimiter=delimiter)
    except (csv.Error, tablib.InvalidDimensions):
        raise ValidationError(
            _("Ce fichier CSV est mal formé : chaque ligne doit avoir autant de colonnes.")
        ) from None


def parse_team_file(uploaded) -> list[dict[str, str]]:
    """The rows of an uploaded CSV or XLSX file, as ``{column key: text}``, blank lines
    left out. A file too large, not a spreadsheet, empty or without the expected columns
    raises a ``ValidationError`` in French."""
    if uploaded.size > MAX_BYTES:
        raise ValidationError(
            _("Ce fichier pèse %(size)s ; la limite est de %(limit)s.")
            % {"size": filesizeformat(uploaded.size), "limit": filesizeformat(MAX_BYTES)}
        )
    if not uploaded.size:
        raise ValidationError(_("Ce fichier est vide."))
    mime = sniff_mime_type(uploaded)
    content = uploaded.read()
    uploaded.seek(0)
    if mime in _XLSX_TYPES:
        dataset = _read_xlsx(content)
    elif mime is None:
        dataset = _read_csv(content)
    else:
        raise ValidationError(
            _("Ce fichier n'est pas un tableur : envoyez un fichier CSV ou XLSX.")
        )
    headers = dataset.headers or []
    keys = [_header_key(header) for header in headers]
    missing = [header for key, header, required, _help in COLUMNS if required and key not in keys]
    if missing:
        raise ValidationError(
            ngettext(
                "Il manque la colonne %(columns)s. La première ligne doit porter les "
                "en-têtes : %(expected)s.",
                "Il manque les colonnes %(columns)s. La première ligne doit porter les "
                "en-têtes : %(expected)s.",
                len(missing),
            )
            % {
                "columns": ", ".join(f"« {header} »" for header in missing),
                "expected": ", ".join(HEADERS),
            }
        )
    rows = []
    for values in dataset:
        row = dict.fromkeys(KEYS, "")
        for key, value in zip(keys, values, strict=False):
            if key is not None and not row[key]:
                row[key] = _cell(value)
        if any(row.values()):
            rows.append(row)
    if not rows:
        raise ValidationError(_("Ce fichier ne contient aucune ligne sous les en-têtes."))
    if len(rows) > MAX_ROWS:
        raise ValidationError(
            _("Ce fichier compte %(count)s lignes ; la limite est de %(max)s par import.")
            % {"count": len(rows), "max": MAX_ROWS}
        )
    return rows


# --- Carrying the rows from the preview to the confirmation --------------------------


def sign_rows(*, organisation_id: int, programme_id: int, user_id: int, cohort_id: int, rows):
    """The rows, signed for the confirmation form's hidden field (tied to the
    organisation, the programme, the coordinator and the cohort)."""
    payload = {
        "o": organisation_id,
        "p": programme_id,
        "u": user_id,
        "c": cohort_id,
        "rows": [[row[key] for key in KEYS] for row in rows],
    }
    return signing.dumps(payload, salt=SIGNING_SALT, compress=True)


def unsign_rows(token: str, *, organisation_id: int, programme_id: int, user_id: int):
    """``(cohort_id, rows)`` from a signed token, or ``None`` if it is forged, expired or
    was made for another organisation, programme or coordinator."""
    try:
        payload = signing.loads(token, salt=SIGNING_SALT, max_age=SIGNATURE_MAX_AGE)
    except signing.BadSignature:
        return None
    if (payload.get("o"), payload.get("p"), payload.get("u")) != (
        organisation_id,
        programme_id,
        user_id,
    ):
        return None
    rows = [dict(zip(KEYS, [str(v) for v in values], strict=True)) for values in payload["rows"]]
    return payload["c"], rows


# --- Checking the rows ---------------------------------------------------------------


@dataclass
class ImportRow:
    line: int  # the row's line in the file (the headers are line 1)
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    territory: Territory | None = None
    role: TeamRole | None = None
    joined_on: date | None = None
    left_on: date | None = None

    @property
    def is_former(self) -> bool:
        """Someone who already left the team: recorded, not invited."""
        return self.left_on is not None


@dataclass
class ImportTeam:
    name: str
    existing: Team | None
    territory: Territory | None
    rows: list[ImportRow] = field(default_factory=list)
    missing_roles: list[TeamRole] = field(default_factory=list)

    @property
    def invitations(self) -> int:
        return sum(1 for row in self.rows if not row.is_former)

    @property
    def former_members(self) -> int:
        return sum(1 for row in self.rows if row.is_former)


@dataclass
class ImportPreview:
    cohort: Cohort
    rows: list[ImportRow]
    teams: list[ImportTeam]

    @property
    def error_count(self) -> int:
        return sum(1 for row in self.rows if row.errors)

    @property
    def is_valid(self) -> bool:
        return self.error_count == 0 and bool(self.rows)

    @property
    def has_missing_roles(self) -> bool:
        return any(team.missing_roles for team in self.teams)

    @property
    def teams_to_create(self) -> int:
        return sum(1 for team in self.teams if team.existing is None)

    @property
    def teams_completed(self) -> int:
        return sum(1 for team in self.teams if team.existing is not None)

    @property
    def invitations(self) -> int:
        return sum(team.invitations for team in self.teams)

    @property
    def former_members(self) -> int:
        return sum(team.former_members for team in self.teams)


def _team_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _territory_code(text: str) -> str:
    code = text.replace(" ", "").upper()
    if not _CODE.match(code):
        return ""
    # A spreadsheet drops the leading zero of « 01053 » or « 01 ».
    if code.isdigit() and len(code) in (1, 4):
        code = "0" + code
    return code


def _find_territories(texts) -> dict[str, tuple[Territory | None, str]]:
    """Each typed territory → (territory, problem), in one query: by official code for a
    code, by exact name (accents and case aside) otherwise; among several, the usual kind
    of a team (EPCI, then commune) wins, else the text is ambiguous."""
    if not texts:
        return {}
    codes = {text: _territory_code(text) for text in texts}
    names = {text: normalise(text) for text in texts if not codes[text]}
    found = list(
        Territory.objects.filter(
            Q(code__in={c for c in codes.values() if c}) | Q(search_name__in=set(names.values()))
        )
    )
    result = {}
    for text in texts:
        if codes[text]:
            matches = [t for t in found if t.code == codes[text]]
        else:
            matches = [t for t in found if t.search_name == names[text]]
        if not matches:
            result[text] = (
                None,
                _(
                    "Territoire inconnu : « %(text)s ». Indiquez son code officiel (INSEE ou "
                    "SIREN) ou son nom exact."
                )
                % {"text": text},
            )
            continue
        best = min(KIND_PRIORITY.get(t.kind, len(KIND_PRIORITY)) for t in matches)
        matches = [t for t in matches if KIND_PRIORITY.get(t.kind, len(KIND_PRIORITY)) == best]
        if len(matches) > 1:
            result[text] = (
                None,
                _(
                    "Plusieurs territoires répondent à « %(text)s » : indiquez son code "
                    "officiel (INSEE ou SIREN)."
                )
                % {"text": text},
            )
        else:
            result[text] = (matches[0], "")
    return result


def _parse_date(text: str) -> date | None:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def _check_person(row: ImportRow, roles: dict[str, TeamRole], today: date) -> None:
    values = row.values
    for key, message in [
        ("team", _("Indiquez le nom de l'équipe.")),
        ("first_name", _("Indiquez le prénom.")),
        ("last_name", _("Indiquez le nom.")),
        ("email", _("Indiquez l'adresse e-mail.")),
    ]:
        if not values[key]:
            row.errors.append(message)
        elif len(values[key]) > MAX_LENGTHS[key]:
            row.errors.append(
                _("« %(value)s » est trop long (%(max)s caractères au plus).")
                % {"value": values[key][:40] + "…", "max": MAX_LENGTHS[key]}
            )
    if values["email"]:
        try:
            validate_email(values["email"])
        except ValidationError:
            row.errors.append(_("Adresse e-mail invalide : « %(email)s ».") % values)
    if not values["role"]:
        if roles:
            row.errors.append(_("Indiquez le rôle."))
    else:
        row.role = roles.get(values["role"].casefold())
        if row.role is None:
            row.errors.append(
                _("Rôle inconnu : « %(role)s ». Rôles du programme : %(roles)s.")
                % {
                    "role": values["role"],
                    "roles": ", ".join(role.name for role in roles.values()) or _("aucun"),
                }
            )
    for key, label in [("joined_on", _("d'arrivée")), ("left_on", _("de départ"))]:
        if values[key]:
            try:
                setattr(row, key, _parse_date(values[key]))
            except ValueError:
                row.errors.append(
                    _("Date %(which)s illisible : « %(text)s » (jj/mm/aaaa attendu).")
                    % {"which": label, "text": values[key]}
                )
    if row.left_on is not None:
        if row.left_on > today:
            row.errors.append(_("La date de départ ne peut pas être dans le futur."))
        if row.joined_on is None and not values["joined_on"]:
            row.errors.append(_("Indiquez la date d'arrivée d'une personne déjà partie."))
        elif row.joined_on is not None and row.left_on < row.joined_on:
            row.errors.append(_("La date de départ précède la date d'arrivée."))
    elif row.joined_on is not None:
        row.notes.append(
            _(
                "Invitation : la date d'arrivée sera celle de l'acceptation ; corrigez-la "
                "ensuite depuis la page de l'équipe."
            )
        )


def _cohort_state(cohort: Cohort):
    """The cohort's teams by name, and per team the current members' and pending
    invitations' addresses and roles: three queries."""
    teams = {
        _team_key(team.name): team
        for team in Team.objects.filter(cohort=cohort).select_related("territory")
    }
    members = (
        TeamMember.objects.current()
        .filter(team__cohort=cohort)
        .values_list("team_id", "user__email", "role_id")
    )
    invitations = (
        TeamInvitation.objects.pending()
        .filter(team__cohort=cohort)
        .values_list("team_id", "email", "role_id")
    )
    members_by_team: dict[int, dict[str, int | None]] = {}
    invited_by_team: dict[int, dict[str, int | None]] = {}
    for team_id, email, role_id in members:
        members_by_team.setdefault(team_id, {})[email.casefold()] = role_id
    for team_id, email, role_id in invitations:
        invited_by_team.setdefault(team_id, {})[email.casefold()] = role_id
    return teams, members_by_team, invited_by_team


def _check_team(team: ImportTeam, roles, members: dict, invited: dict) -> None:
    """Duplicates, role limits and required roles of one team, its existing members and
    invitations counted in."""
    seen: dict[str, int] = {}
    holders: dict[int, int] = {}
    for role_id in [*members.values(), *invited.values()]:
        if role_id is not None:
            holders[role_id] = holders.get(role_id, 0) + 1
    for row in team.rows:
        email = row.values["email"].casefold()
        if email:
            if email in seen:
                row.errors.append(
                    _("Cette adresse e-mail figure déjà ligne %(line)s pour cette équipe.")
                    % {"line": seen[email]}
                )
            elif email in members:
                row.errors.append(_("Cette personne fait déjà partie de l'équipe."))
            elif email in invited:
                row.errors.append(_("Une invitation attend déjà cette adresse dans cette équipe."))
            seen.setdefault(email, row.line)
        if row.role is None or row.is_former:
            continue
        holders[row.role.pk] = holders.get(row.role.pk, 0) + 1
        limit = row.role.max_per_team
        if limit and holders[row.role.pk] > limit:
            row.errors.append(
                ngettext(
                    "Le rôle « %(role)s » est limité à %(max)s personne par équipe.",
                    "Le rôle « %(role)s » est limité à %(max)s personnes par équipe.",
                    limit,
                )
                % {"role": row.role.name, "max": limit}
            )
    team.missing_roles = [
        role for role in roles.values() if role.required and not holders.get(role.pk)
    ]


def _check_territories(team: ImportTeam) -> None:
    """The team's territory: the one its rows name (all the same), and the existing
    team's if it has one."""
    named = [row for row in team.rows if row.territory is not None]
    if team.existing is not None and team.existing.territory_id is not None:
        team.territory = team.existing.territory
    elif named:
        team.territory = named[0].territory
    for row in named:
        if row.territory.pk == team.territory.pk:
            continue
        if team.existing is not None and team.existing.territory_id is not None:
            row.errors.append(
                _("L'équipe « %(team)s » existe déjà dans la promotion avec un autre territoire.")
                % {"team": team.name}
            )
        else:
            row.errors.append(
                _("Territoire différent de celui des autres lignes de l'équipe « %(team)s ».")
                % {"team": team.name}
            )


def check_team_rows(*, cohort: Cohort, rows: list[dict[str, str]]) -> ImportPreview:
    """Every row checked against ``cohort`` (its programme's roles, its teams, their
    members and pending invitations), in a fixed number of queries whatever the number
    of rows. Nothing is written."""
    roles = {
        role.name.casefold(): role
        for role in TeamRole.objects.filter(programme_id=cohort.programme_id)
    }
    existing, members_by_team, invited_by_team = _cohort_state(cohort)
    territories = _find_territories(sorted({row["territory"] for row in rows if row["territory"]}))
    today = timezone.localdate()
    checked = [ImportRow(line=index + 2, values=dict(row)) for index, row in enumerate(rows)]
    teams: dict[str, ImportTeam] = {}
    for row in checked:
        _check_person(row, roles, today)
        if row.values["territory"]:
            row.territory, problem = territories[row.values["territory"]]
            if problem:
                row.errors.append(problem)
        if not row.values["team"]:
            continue
        key = _team_key(row.values["team"])
        if key not in teams:
            current = existing.get(key)
            teams[key] = ImportTeam(
                name=current.name if current else " ".join(row.values["team"].split()),
                existing=current,
                territory=None,
            )
        teams[key].rows.append(row)
    for team in teams.values():
        _check_territories(team)
        team_id = team.existing.pk if team.existing else None
        _check_team(team, roles, members_by_team.get(team_id, {}), invited_by_team.get(team_id, {}))
    return ImportPreview(cohort=cohort, rows=checked, teams=list(teams.values()))


# --- The template file ---------------------------------------------------------------


def template_rows(roles: list[TeamRole]) -> list[list[str]]:
    """Example rows for the downloadable template: one team with a person per role of
    the programme, and a former member who left before being replaced."""
    names = [role.name for role in roles] or [""]
    people = [
        ("Camille", "Durand"),
        ("Sacha", "Martin"),
        ("Dominique", "Petit"),
        ("Alex", "Moreau"),
    ]
    rows = []
    for index, role in enumerate(names):
        first, last = people[index % len(people)]
        rows.append(
            [
                "200069037",
                "PAT du Pays de Saint-Omer",
                first,
                last,
                f"{first.lower()}.{last.lower()}@exemple.fr",
                role,
                "",
                "",
            ]
        )
    rows.append(
        [
            "200069037",
            "PAT du Pays de Saint-Omer",
            "Claude",
            "Bernard",
            "claude.bernard@exemple.fr",
            names[0],
            "01/09/2024",
            "15/03/2025",
        ]
    )
    return rows
