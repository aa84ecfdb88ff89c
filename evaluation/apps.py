from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    """Questionnaires, campaigns, self-diagnostics and progression T0 / T1 / T2."""

    name = "evaluation"
    verbose_name = "Évaluation"

    def ready(self):
        from accounts.personal_data import register_exporter
        from candidatures.parts import register_application_part
        from candidatures.sections import register_call_section
        from evaluation import receivers, rules  # noqa: F401  (signal receivers, permissions)
        from evaluation.application_part import application_part
        from evaluation.call_section import call_questionnaires_section
        from evaluation.home import questionnaires_section
        from evaluation.navigation import navigation
        from evaluation.personal_data import export_for_user
        from evaluation.session_section import session_evaluation_section
        from evaluation.tabs import programme_tabs
        from evaluation.team_section import team_evaluation_section
        from organisations.context_processors import register_navigation
        from organisations.home_sections import register_home_section
        from parcours.programme_tabs import register_programme_tab
        from parcours.session_sections import register_session_section
        from parcours.team_sections import register_team_section

        register_navigation(navigation)
        register_programme_tab(programme_tabs)
        register_home_section(questionnaires_section)
        register_session_section(session_evaluation_section)
        register_team_section(team_evaluation_section)
        register_exporter("evaluation", export_for_user)
        register_application_part(application_part)
        register_call_section(call_questionnaires_section)
