from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data (``manage.py load_demo``): the last app, above every domain app."""

    name = "demo"
    verbose_name = "Démonstration"
