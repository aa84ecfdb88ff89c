from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        from accounts.personal_data import register_exporter
        from documents import builders, sections  # noqa: F401  (registers builders and panels)
        from documents.personal_data import export_for_user

        register_exporter("documents", export_for_user)
