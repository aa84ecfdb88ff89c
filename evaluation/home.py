"""Evaluation's section of an organisation's home page (owner: answering)."""


def questionnaires_section(request, organisation):
    return None
