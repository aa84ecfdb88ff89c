"""Every write of the plans app (see each module)."""
