"""Pages of the action plans: a team's plan, its actions (``team``) and its stages
(``stages``); the coordinator's overview, templates and exports (``overview``) and the
common plans (``common``)."""
