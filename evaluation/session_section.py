"""Evaluation's panel on a session's page (owner: answering)."""


def session_evaluation_section(request, organisation, session):
    return None
