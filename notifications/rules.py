"""Permissions of the notification pages (they take the organisation)."""

import rules

from organisations.rules import is_coordinator, is_member

rules.add_perm("notifications.view_notifications", is_member)
rules.add_perm("notifications.manage_messages", is_coordinator)
