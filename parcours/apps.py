from django.apps import AppConfig


class ParcoursConfig(AppConfig):
    name = "parcours"
    verbose_name = "Parcours"

    def ready(self):
        from accounts.personal_data import register_exporter
        from candidatures.views.calls import calls_tab
        from organisations.context_processors import register_navigation
        from organisations.home_sections import register_home_section
        from organisations.roles import register_participation_source
        from parcours import rules  # noqa: F401  (registers the permissions)
        from parcours.engagement_links import engagement_home_section, engagement_tab
        from parcours.home import upcoming_sessions_section
        from parcours.navigation import navigation
        from parcours.personal_data import export_for_user
        from parcours.programme_tabs import register_programme_tab
        from parcours.selectors import participant_organisation_ids
        from parcours.session_sections import register_session_section
        from parcours.team_sections import register_team_section
        from presences.panels import attendance_tab, attendance_team_section
        from sondages.panels import poll_home_section, poll_session_section, poll_tab

        register_participation_source(participant_organisation_ids)
        register_navigation(navigation)
        register_home_section(engagement_home_section)
        register_home_section(upcoming_sessions_section)
        register_programme_tab(engagement_tab)
        register_programme_tab(calls_tab)
        register_exporter("parcours", export_for_user)
        register_home_section(poll_home_section)
        register_programme_tab(poll_tab)
        register_session_section(poll_session_section)
        register_programme_tab(attendance_tab)
        register_team_section(attendance_team_section)
