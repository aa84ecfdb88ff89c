from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    """Questionnaires, campaigns, self-diagnostics and progression T0 / T1 / T2.
    Its models arrive with the evaluation issue."""

    name = "evaluation"
    verbose_name = "Évaluation"
