from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        # Anymail's tracking signal (bounces), the deploy check of its webhooks,
        # permissions, the periodic reminder scan (a task found by name).
        from notifications import bounces, checks, rules, scan_tasks  # noqa: F401
