"""Keeping evaluation in step with the parcours (owner: campaigns)."""
