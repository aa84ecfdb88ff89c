from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        from accounts.personal_data import register_exporter

        # Signal receivers, permissions, the periodic reminder scan (a task found by name).
        from notifications import receivers, rules, scan_tasks  # noqa: F401
        from notifications.personal_data import export_for_user
        from notifications.reminders import register_default_rules
        from notifications.services import suppressed_among
        from notifications.views.reminders import navigation as reminder_navigation
        from organisations.context_processors import register_navigation
        from parcours.address_status import register_bounce_lookup

        register_default_rules()
        register_navigation(reminder_navigation)
        register_exporter("notifications", export_for_user)
        # A coordinator sees which invited addresses bounced, without parcours importing us.
        register_bounce_lookup(suppressed_among)
