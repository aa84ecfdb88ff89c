"""Seed 000's engagement, for the Hauts-de-France demo programme (``demo.programmes``).

The coordinator published the text on 12 June 2026 with its key dates taken from the
calendar (the launch on 16 October, each trinôme's first individual meeting, the
December training J1/J2); the trinômes signed around 19 June 2026 (« Signatures … 19 juin
2026 »). Seven teams are « engagées »; the Pays de Bray's élue référente has not signed
yet, so that team is not. In the Pays de Laon the chargée de mission left on 30 September
2026: her row is kept with ``left_at`` and her June signature, and her successor joined
on 1 October and signed on 7 October — the history of who held the role when.

Past-dated rows are written directly (the services date everything « now »), each
signature with the real fingerprint of the text (:meth:`EngagementText.digest`), so that
the dashboard and the « download my data » export show what the services would have
kept. Idempotent: nothing is done once the programme has an engagement text.
"""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from demo.common import HDF_PROGRAMME, HDF_SLUG
from demo.organisations import demo_user, member
from organisations.models import Organisation, Role
from parcours import services
from parcours.engagement_status import engagement_dashboard
from parcours.models import EngagementText, Programme, Session, Signature, Team, TeamMember

BODY = (
    "En signant ce parcours, je m'engage à noter et à bloquer dans mon agenda ces dates "
    "clés du projet : le lancement (16 octobre), la rencontre individuelle n°1 sur notre "
    "territoire (date fixée avec l'accompagnateur) et la formation n°1 (9-10 ou 10-11 "
    "décembre).\n\n"
    "Je m'engage aussi à participer avec mon trinôme (élu·e référent·e, chargé·e de "
    "mission ou de projet, responsable du service) aux temps collectifs et individuels "
    "du parcours, et à prévenir la coordination de toute absence."
)
# Titles (their beginnings) of the key sessions of the text.
KEY_SESSIONS = (
    "Lancement du projet",
    "Accompagnement individuel n°1",
    "Formation J1/J2",
)
PUBLISHED_ON = (date(2026, 6, 12), time(10, 15))
# When the original trinômes joined (the candidacy), before they signed.
JOINED_ON = (date(2026, 6, 15), time(9))

# Who signed, per team (by name) and seat of the trinôme (0 élu·e référent·e, 1 chargé·e
# de mission, 2 responsable de service): (day, hour, minute). A seat not listed has not
# signed.
SIGNED = {
    "Métropole Européenne de Lille": {0: (19, 9, 12), 1: (18, 16, 40), 2: (19, 11, 5)},
    "Communauté d'agglomération du Douaisis": {0: (19, 14, 30), 1: (19, 10, 2), 2: (22, 8, 55)},
    "Parc naturel régional de l'Avesnois": {0: (19, 17, 45), 1: (19, 9, 48), 2: (19, 16, 10)},
    "Pays de Saint-Omer": {0: (19, 12, 10), 1: (17, 15, 20), 2: (19, 15, 0)},
    "Communauté urbaine d'Arras": {0: (20, 10, 30), 1: (19, 8, 50), 2: (20, 11, 45)},
    "Amiens Métropole": {0: (19, 18, 20), 1: (19, 9, 5), 2: (19, 9, 30)},
    # The élue référente has not signed: the team is not « engagée ».
    "Communauté de communes du Pays de Bray": {1: (19, 11, 40), 2: (19, 13, 15)},
    "Communauté d'agglomération du Pays de Laon": {0: (19, 16, 0), 1: (18, 14, 25), 2: (22, 9, 10)},
}
UNSIGNED_TEAM = "Communauté de communes du Pays de Bray"

# The Pays de Laon's chargée de mission left; her successor joined and signed.
REPLACED_TEAM = "Communauté d'agglomération du Pays de Laon"
REPLACED_SEAT = 1
LEFT_AT = (date(2026, 9, 30), time(18))
SUCCESSOR = ("Romain", "Delattre", "Chargé de mission PAT", "romain.delattre@agglo-laon.example")
SUCCESSOR_JOINED = (date(2026, 10, 1), time(9))
SUCCESSOR_SIGNED = (date(2026, 10, 7), time(10, 35))

USER_AGENT = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/127.0"


def _at(day_and_time: tuple[date, time], zone: ZoneInfo) -> datetime:
    return datetime.combine(*day_and_time, zone)


def _sign(text: EngagementText, seat: TeamMember, digest: str, when: datetime, index: int):
    user = seat.user
    return Signature(
        organisation=text.organisation,
        text=text,
        member=seat,
        user=user,
        typed_name=f"{user.first_name} {user.last_name}",
        consent=True,
        signed_at=when,
        ip_address=f"192.0.2.{10 + index}",  # documentation range (RFC 5737)
        user_agent=USER_AGENT,
        text_hash=digest,
    )


def load(organisation: Organisation) -> str:
    """Publish and sign the demo programme's engagement (inside the organisation's
    scope, in ``demo.loader.load``'s transaction); returns the summary line."""
    programme = Programme.objects.filter(name=HDF_PROGRAMME).first()
    if programme is None:
        return "Engagement : pas de programme Hauts-de-France."
    if not EngagementText.objects.filter(programme=programme).exists():
        _publish_and_sign(organisation, programme)
    return describe(programme)


def _publish_and_sign(organisation: Organisation, programme: Programme) -> None:
    zone = ZoneInfo(organisation.time_zone)
    coordinator = member(HDF_SLUG, Role.COORDINATOR)
    sessions = Session.objects.filter(programme=programme)
    key_sessions = [
        session
        for session in sessions
        if any(session.title.startswith(prefix) for prefix in KEY_SESSIONS)
    ]
    text = services.publish_engagement_text(
        programme=programme, acting_user=coordinator, body=BODY, key_sessions=key_sessions
    )
    EngagementText.objects.filter(pk=text.pk).update(published_at=_at(PUBLISHED_ON, zone))
    # The digest the services check at signing: the text each team reads, its own key
    # dates included.
    text = EngagementText.objects.get(pk=text.pk)

    members = TeamMember.objects.filter(team__cohort__programme=programme)
    members.update(joined_at=_at(JOINED_ON, zone))
    teams = {
        team.name: team
        for team in Team.objects.filter(cohort__programme=programme).prefetch_related(
            "members__role", "members__user"
        )
    }
    signatures = []
    for name, seats in SIGNED.items():
        trinome = sorted(teams[name].members.all(), key=lambda row: row.role.order)
        digest = text.digest(teams[name].pk)
        for seat, (day, hour, minute) in seats.items():
            when = datetime(2026, 6, day, hour, minute, tzinfo=zone)
            signatures.append(_sign(text, trinome[seat], digest, when, len(signatures)))

    # The Pays de Laon: the chargée de mission leaves, her successor joins and signs.
    team = teams[REPLACED_TEAM]
    former = sorted(team.members.all(), key=lambda row: row.role.order)[REPLACED_SEAT]
    TeamMember.objects.filter(pk=former.pk).update(left_at=_at(LEFT_AT, zone))
    first_name, last_name, function, email = SUCCESSOR
    successor = services.add_team_member(
        team=team,
        acting_user=coordinator,
        user=demo_user(email, first_name, last_name, function),
        role=former.role,
        notify=False,
    )
    TeamMember.objects.filter(pk=successor.pk).update(joined_at=_at(SUCCESSOR_JOINED, zone))
    digest = text.digest(team.pk)
    signatures.append(_sign(text, successor, digest, _at(SUCCESSOR_SIGNED, zone), len(signatures)))
    Signature.objects.bulk_create(signatures)


def describe(programme: Programme) -> str:
    dashboard = engagement_dashboard(programme)
    if dashboard.text is None:
        return "Engagement : aucun texte publié."
    signatures = Signature.objects.filter(text__programme=programme)
    former = signatures.filter(member__left_at__isnull=False).count()
    line = (
        f"Engagement v{dashboard.text.version} : {dashboard.engaged_count} équipes "
        f"engagées sur {len(dashboard.teams)}, {signatures.count()} signatures"
    )
    return line + (f" (dont {former} d'un membre parti)" if former else "")
