from django.apps import AppConfig


class ParcoursConfig(AppConfig):
    name = "parcours"
    verbose_name = "Parcours"

    def ready(self):
        from accounts.personal_data import register_exporter
        from organisations.context_processors import register_navigation
        from organisations.home_sections import register_home_section
        from organisations.roles import register_participation_source

        from . import rules  # noqa: F401  (registers the permissions)
        from .home import upcoming_sessions_section
        from .navigation import navigation
        from .personal_data import export_for_user
        from .selectors import participant_organisation_ids

        register_participation_source(participant_organisation_ids)
        register_navigation(navigation)
        register_home_section(upcoming_sessions_section)
        register_exporter("parcours", export_for_user)
