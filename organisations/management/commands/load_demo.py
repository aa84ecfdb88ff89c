"""Demo data from seed 000 (Région Hauts-de-France, PAT governance 2026–2028) and, to show
isolation, seed 001's CNFPT. Idempotent: a second run changes nothing."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django_scopes import scope

from organisations import services
from organisations.models import Membership, Organisation, Role

User = get_user_model()

DEMO_PASSWORD = "Sillon-demo-2026"  # noqa: S105 — published demo credentials

# A consultant working for two organisations: one account, two memberships.
CONSULTANT = (
    "marc.lefebvre@conseil-territoires.example",
    "Marc",
    "Lefebvre",
    "Consultant-formateur, gouvernance alimentaire",
    Role.TRAINER,
)
ORGANISATIONS = [
    {
        "slug": "hauts-de-france",
        "name": "Région Hauts-de-France",
        "brand_colour": "#1f5f8b",
        "contact_email": "gouvernance-pat@hautsdefrance.example",
        "legal_notice": (
            "Dispositif d'accompagnement et de montée en compétences sur la gouvernance "
            "des PAT en Hauts-de-France, 2026-2028.\n"
            "Éditeur : Région Hauts-de-France (données de démonstration)."
        ),
        "members": [
            (
                "claire.dubois@hautsdefrance.example",
                "Claire",
                "Dubois",
                "Chargée de programme PAT",
                Role.COORDINATOR,
            ),
            CONSULTANT,
            (
                "nadia.benali@draaf-hdf.example",
                "Nadia",
                "Benali",
                "Membre du COPIL (DRAAF)",
                Role.OBSERVER,
            ),
        ],
    },
    {
        "slug": "cnfpt",
        "name": "CNFPT — Délégation Hauts-de-France",
        "brand_colour": "#6b2c6e",
        "contact_email": "seminaires@cnfpt.example",
        "legal_notice": "Centre national de la fonction publique territoriale "
        "(données de démonstration).",
        "members": [
            (
                "julien.moreau@cnfpt.example",
                "Julien",
                "Moreau",
                "Conseiller formation, transitions",
                Role.COORDINATOR,
            ),
            CONSULTANT,
        ],
    },
]
STAFF = ("plateforme@sillon.example", "Équipe", "Sillon", "Administration de la plateforme")


class Command(BaseCommand):
    help = "Charge les données de démonstration (idempotent)."

    def _user(self, email, first_name, last_name, function, *, staff=False):
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email,
                password=DEMO_PASSWORD,
                first_name=first_name,
                last_name=last_name,
                function=function,
                is_staff=staff,
                is_superuser=staff,
            )
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        return user

    @transaction.atomic
    def handle(self, *args, **options):
        self._user(*STAFF, staff=True)
        for spec in ORGANISATIONS:
            organisation = Organisation.objects.filter(slug=spec["slug"]).first()
            if organisation is None:
                organisation = services.create_organisation(
                    name=spec["name"],
                    slug=spec["slug"],
                    contact_email=spec["contact_email"],
                    brand_colour=spec["brand_colour"],
                )
                organisation.legal_notice = spec["legal_notice"]
                organisation.save(update_fields=["legal_notice"])
            with scope(organisation=organisation.pk):
                for email, first_name, last_name, function, role in spec["members"]:
                    user = self._user(email, first_name, last_name, function)
                    Membership.objects.get_or_create(
                        organisation=organisation, user=user, defaults={"role": role}
                    )
        self.stdout.write(self.style.SUCCESS("Données de démonstration prêtes."))
        self.stdout.write("")
        self.stdout.write("Connectez-vous sur http://127.0.0.1:8000/auth/login/ avec :")
        self.stdout.write(f"  mot de passe (tous les comptes) : {DEMO_PASSWORD}")
        self.stdout.write(
            "  ou « Envoyez-moi un code de connexion » : le code s'affiche dans ce terminal."
        )
        for spec in ORGANISATIONS:
            self.stdout.write(f"  {spec['name']} (/{spec['slug']}/)")
            for email, first_name, last_name, _function, role in spec["members"]:
                self.stdout.write(f"    {Role(role).label:<32} {first_name} {last_name} <{email}>")
        self.stdout.write(f"  Administration de la plateforme : {STAFF[0]} (/admin/)")
