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
        from .engagement_links import engagement_home_section, engagement_tab
        from .home import upcoming_sessions_section
        from .navigation import navigation
        from .personal_data import export_for_user
        from .programme_tabs import register_programme_tab
        from .selectors import participant_organisation_ids
        from .views.calls import calls_tab

        register_participation_source(participant_organisation_ids)
        register_navigation(navigation)
        register_home_section(engagement_home_section)
        register_home_section(upcoming_sessions_section)
        register_programme_tab(engagement_tab)
        register_programme_tab(calls_tab)
        register_exporter("parcours", export_for_user)
