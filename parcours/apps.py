from django.apps import AppConfig


class ParcoursConfig(AppConfig):
    name = "parcours"
    verbose_name = "Parcours"

    def ready(self):
        from organisations.context_processors import register_navigation
        from organisations.roles import register_participation_source

        from . import rules  # noqa: F401  (registers the permissions)
        from .navigation import navigation
        from .selectors import participant_organisation_ids

        register_participation_source(participant_organisation_ids)
        register_navigation(navigation)
