from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django_scopes import scope

from organisations import services
from organisations.models import Role
from sillon.mail import absolute_url


class Command(BaseCommand):
    help = "Crée une organisation et invite sa première coordinatrice ou son premier coordinateur."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="Nom, par ex. « Région Hauts-de-France »")
        parser.add_argument("--slug", required=True, help="Identifiant dans l'adresse")
        parser.add_argument("--coordinator-email", required=True)
        parser.add_argument("--contact-email", default="")
        parser.add_argument("--colour", default=None, help="Couleur principale, par ex. #1f5f8b")

    def handle(self, *args, **options):
        try:
            organisation = services.create_organisation(
                name=options["name"],
                slug=options["slug"],
                contact_email=options["contact_email"],
                brand_colour=options["colour"],
            )
            with scope(organisation=organisation.pk):
                invitation = services.invite_member(
                    organisation=organisation,
                    email=options["coordinator_email"],
                    role=Role.COORDINATOR,
                    acting_user=None,
                )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(self.style.SUCCESS(f"Organisation créée : {organisation.name}"))
        self.stdout.write(
            f"Invitation envoyée à {invitation.email} : "
            f"{absolute_url(reverse('invitation_accept', args=[invitation.token]))}"
        )
