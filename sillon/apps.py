from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class SillonConfig(AppConfig):
    name = "sillon"
    verbose_name = "Sillon"


class PlatformAdminConfig(AdminConfig):
    default_site = "sillon.admin_site.PlatformAdminSite"
