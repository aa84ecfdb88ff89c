from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Comptes"

    def ready(self) -> None:
        # Connects the receiver noting a TOTP set up in this session.
        from . import second_factor  # noqa: F401
