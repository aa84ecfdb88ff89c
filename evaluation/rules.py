"""Permissions on evaluation. Which campaign a person may see, and how much of its
results, is decided per object in ``evaluation.selectors``; these take the organisation."""

import rules

from organisations.rules import is_coordinator, is_member, is_staff_member

# Answering, "mes questionnaires", one's team's progression.
rules.add_perm("evaluation.view", is_member)
# Results pages (each view narrows to what the role may see).
rules.add_perm("evaluation.view_results", is_member)
rules.add_perm("evaluation.view_staff", is_staff_member)
# The questionnaire library, campaigns, exports, "relancer".
rules.add_perm("evaluation.manage", is_coordinator)
