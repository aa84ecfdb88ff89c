"""Pages of groups (``groups``, ``composition``, ``group_sessions``); the CODEV séance
pages live in ``codev.seance_urls``."""
