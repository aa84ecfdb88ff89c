from django.apps import AppConfig


class TerritoiresConfig(AppConfig):
    """Reference geography (régions, départements, EPCI, communes, PNR…) and projects
    such as a PAT. Its models arrive with the call-for-applications issue."""

    name = "territoires"
    verbose_name = "Territoires"
