from django.apps import AppConfig


class SondagesConfig(AppConfig):
    name = "sondages"
    verbose_name = "Sondages de date"
