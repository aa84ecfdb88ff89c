"""Reminder rules, registered in code by the app that owns the object (sessions J-7 and
J-1 here; signatures, questionnaires and date polls with their issues)."""

_rules: dict = {}


def register(rule) -> None:
    _rules[rule.code] = rule


def registered_rules() -> dict:
    return dict(_rules)


def register_default_rules() -> None:
    """Filled by the reminder rules module."""
