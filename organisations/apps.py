from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "organisations"
    verbose_name = "Organisations"

    def ready(self):
        from accounts import personal_data

        from . import personal_data as organisation_data

        personal_data.register_exporter("organisations", organisation_data.export_for_user)
        personal_data.register_deletion_blocker(organisation_data.last_coordinator_blocker)
