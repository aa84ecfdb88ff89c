"""Permissions on the parcours. Object-level visibility (which session a person may
see) lives in ``parcours.selectors``; these take the organisation."""

import rules

from organisations.rules import is_coordinator, is_member

rules.add_perm("parcours.view_calendar", is_member)
rules.add_perm("parcours.manage_programme", is_coordinator)
