"""Minutes (comptes rendus) of sessions: versions, items, decisions, actions."""
