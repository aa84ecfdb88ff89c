"""Permissions on calls for applications. Managing a call, deciding and announcing is the
coordinators' (``parcours.manage_programme``)."""

import rules

from organisations.rules import is_coordinator, is_trainer

# Reviewing applications (scoring, commenting) is open to coordinators and trainers.
rules.add_perm("candidatures.review_applications", is_coordinator | is_trainer)
