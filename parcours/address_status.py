"""Which e-mail addresses bounced, as reported by the app that sends the mail
(notifications registers its lookup), so a coordinator sees an invitation that never
arrived without ``parcours`` importing the app above it."""

from collections.abc import Callable, Iterable

# Callables ``(emails) -> set of lower-cased addresses known to bounce``.
_lookups: list[Callable[[Iterable[str]], set[str]]] = []


def register_bounce_lookup(lookup: Callable[[Iterable[str]], set[str]]) -> None:
    if lookup not in _lookups:
        _lookups.append(lookup)


def bounced_addresses(emails: Iterable[str]) -> set[str]:
    """The addresses among ``emails`` that bounced (lower-cased), in one query per
    registered lookup."""
    emails = {email.lower() for email in emails if email}
    if not emails:
        return set()
    found: set[str] = set()
    for lookup in _lookups:
        found |= set(lookup(emails))
    return found
