from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        from . import receivers, rules  # noqa: F401  (signal receivers, permissions)
        from .reminders import register_default_rules

        register_default_rules()
