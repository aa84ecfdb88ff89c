"""What evaluation copies with a programme or a session (``parcours.programme_copied``):
the campaigns, as drafts re-dated with their session (or with the programme), and the
automatic « à chaud » rules. Never a response, an answer nor a reminder sent; an
external evaluation's recorded figures stay with the original."""

from zoneinfo import ZoneInfo

from evaluation.actions import Action
from evaluation.models import AutomaticCampaign, Campaign
from organisations.services import record
from parcours.models import Programme, SessionKind
from parcours.months import shift_datetime

# Copied as they are; dates, audience and relations are decided below.
COPIED_FIELDS = (
    "questionnaire_id",
    "title",
    "message",
    "moment",
    "mode",
    "anonymous",
    "external",
    "anonymity_threshold",
)


def _local_days(before, after, zone: ZoneInfo) -> int:
    return (after.astimezone(zone).date() - before.astimezone(zone).date()).days


def _shift_of(campaign: Campaign, session_map: dict, programme_days: int, zone) -> int:
    """Days to move a campaign by: its session's move, else the programme's."""
    new_session = session_map.get(campaign.session_id)
    old_session = campaign.session
    if new_session is not None and old_session.starts_at and new_session.starts_at:
        return _local_days(old_session.starts_at, new_session.starts_at, zone)
    return programme_days


def copy_campaigns(*, source: Programme, copy: Programme, session_map: dict, by) -> list[Campaign]:
    """Draft copies of ``source``'s campaigns in ``copy`` (only those of
    ``session_map``'s sessions when one session was duplicated: ``source == copy``).
    Called inside parcours' copy transaction."""
    single = source.pk == copy.pk
    organisation = source.organisation
    zone = ZoneInfo(organisation.time_zone)
    programme_days = (copy.start_date - source.start_date).days
    campaigns = (
        Campaign.objects.filter(programme=source, call__isnull=True, automatic_rule__isnull=True)
        .exclude(status=Campaign.Status.CANCELLED)
        .select_related("session")
        .prefetch_related("assessors", "teams", "people")
        .order_by("pk")
    )
    if single:
        campaigns = campaigns.filter(session_id__in=list(session_map))
    copies: dict[int, Campaign] = {}
    pairs: list[tuple[Campaign, int]] = []
    for campaign in campaigns:
        if campaign.session_id and campaign.session_id not in session_map:
            continue  # a session left behind (one team's): its campaign too
        days = _shift_of(campaign, session_map, programme_days, zone)
        audience = campaign.audience
        if not single and audience in (Campaign.Audience.TEAMS, Campaign.Audience.PEOPLE):
            audience = Campaign.Audience.COHORT  # the new cohort has new teams and people
        new = Campaign.objects.create(
            organisation=organisation,
            programme=copy,
            session=session_map.get(campaign.session_id),
            audience=audience,
            opens_at=shift_datetime(campaign.opens_at, days, zone),
            closes_at=shift_datetime(campaign.closes_at, days, zone),
            sheet_wait_until=campaign.sheet_wait_until
            and shift_datetime(campaign.sheet_wait_until, days, zone),
            status=Campaign.Status.DRAFT,
            created_by=by,
            **{name: getattr(campaign, name) for name in COPIED_FIELDS},
        )
        new.assessors.set(campaign.assessors.all())
        if single and audience == Campaign.Audience.TEAMS:
            new.teams.set(campaign.teams.all())
        if single and audience == Campaign.Audience.PEOPLE:
            new.people.set(campaign.people.all())
        copies[campaign.pk] = new
        if campaign.paired_with_id:
            pairs.append((new, campaign.paired_with_id))
        record(
            organisation=organisation,
            actor=by,
            action=Action.CAMPAIGN_CREATED,
            target=new.title,
            campaign=new.pk,
            programme=copy.pk,
            copied_from=campaign.pk,
        )
    for new, paired_id in pairs:
        if paired_id in copies:
            new.paired_with = copies[paired_id]
            new.save(update_fields=["paired_with"])
    if not single:
        _copy_automatic_rules(source, copy, by)
    return list(copies.values())


def _copy_automatic_rules(source: Programme, copy: Programme, by) -> None:
    """The automatic « à chaud » rules, on the copy's session kinds of the same name."""
    kinds = {kind.name: kind for kind in SessionKind.objects.filter(programme=copy)}
    rules = AutomaticCampaign.objects.filter(programme=source).select_related("session_kind")
    for rule in rules:
        kind = kinds.get(rule.session_kind.name)
        if kind is None:
            continue
        AutomaticCampaign.objects.create(
            organisation=copy.organisation,
            programme=copy,
            session_kind=kind,
            questionnaire_id=rule.questionnaire_id,
            open_days=rule.open_days,
            anonymous=rule.anonymous,
            enabled=rule.enabled,
        )
        record(
            organisation=copy.organisation,
            actor=by,
            action=Action.AUTOMATIC_CAMPAIGN_SAVED,
            target=kind.name,
            programme=copy.pk,
        )
