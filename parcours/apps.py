from django.apps import AppConfig


class ParcoursConfig(AppConfig):
    """Programmes, cohorts, phases, sessions, teams, engagements, date polls and
    attendance. Its models arrive with the programme issue."""

    name = "parcours"
    verbose_name = "Parcours"
