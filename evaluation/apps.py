from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    """Questionnaires, campaigns, self-diagnostics and progression T0 / T1 / T2."""

    name = "evaluation"
    verbose_name = "Évaluation"

    def ready(self):
        from evaluation import receivers  # noqa: F401  (signal receivers)
