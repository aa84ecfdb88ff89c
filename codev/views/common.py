"""What the group pages share: the link to a séance's CODEV page, the history of a
membership written in French, a group's next séance."""

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sillon.formatting import format_day, local

SENTINEL = 987654321


def url_maker(name: str, organisation, **kwargs):
    """``id -> url`` with one ``reverse`` for the whole page (``None`` when the URL is
    not there: the CODEV séance pages are another part of the app)."""
    try:
        pattern = reverse(name, kwargs={"organisation_slug": organisation.slug, **kwargs})
    except NoReverseMatch:
        return lambda pk: None
    prefix, suffix = pattern.split(str(SENTINEL))
    return lambda pk: f"{prefix}{pk}{suffix}"


def seance_url_maker(organisation):
    return url_maker("codev:seance", organisation, group_session_id=SENTINEL)


def session_url_maker(organisation):
    return url_maker("parcours:session_detail", organisation, session_id=SENTINEL)


def membership_period(membership, zone) -> str:
    """« dans le groupe depuis le 3 mars 2027 », « du 3 mars 2027 au 12 juin 2027 »."""
    joined = format_day(local(membership.joined_at, zone).date(), weekday=False)
    if membership.left_at is None:
        return _("dans le groupe depuis le %(joined)s") % {"joined": joined}
    left = format_day(local(membership.left_at, zone).date(), weekday=False)
    return _("dans le groupe du %(joined)s au %(left)s") % {"joined": joined, "left": left}


def is_to_come(session, now=None) -> bool:
    now = now or timezone.now()
    return not session.is_cancelled and (session.ends_at is None or session.ends_at > now)
