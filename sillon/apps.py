from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class SillonConfig(AppConfig):
    name = "sillon"
    verbose_name = "Sillon"

    def ready(self) -> None:
        # Every app's contributions to the extension points of the apps below it
        # (sillon.extensions), connected in the order of INSTALLED_APPS.
        from django.utils.module_loading import autodiscover_modules

        from .extensions import CONTRIBUTION_MODULES
        from .observability import connect_task_signals

        autodiscover_modules(*CONTRIBUTION_MODULES)
        # One log line per Celery task (name, id, state, duration).
        connect_task_signals()


class PlatformAdminConfig(AdminConfig):
    default_site = "sillon.admin_site.PlatformAdminSite"
