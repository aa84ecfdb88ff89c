from django.apps import AppConfig


class PresencesConfig(AppConfig):
    name = "presences"
    verbose_name = "Présences"
