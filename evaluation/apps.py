from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    """Questionnaires, campaigns, self-diagnostics and progression T0 / T1 / T2."""

    name = "evaluation"
    verbose_name = "Évaluation"

    def ready(self):
        from organisations.context_processors import register_navigation

        from . import rules  # noqa: F401  (registers the permissions)
        from .navigation import navigation

        register_navigation(navigation)
