"""Demo organisations, their staff and the platform administrator (seed 000's Région
Hauts-de-France and, to show isolation, seed 001's CNFPT). Idempotent: a second run
changes nothing. Loaded first by ``manage.py load_demo`` (``demo.loader``): the other
demo modules find their people here (``member``, ``demo_user``)."""

from functools import cache

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
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
        "city": "Lille",
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
        "name": "CNFPT — INSET d'Angers et délégation Pays de la Loire",
        "brand_colour": "#6b2c6e",
        "contact_email": "seminaires@cnfpt.example",
        "city": "Angers",
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


@cache
def _demo_password_hash() -> str:
    # Hashed once: a few dozen demo accounts would otherwise take seconds each run.
    return make_password(DEMO_PASSWORD)


def demo_user(email, first_name, last_name, function, *, staff=False):
    """The demo account for ``email`` (created with the demo password and a verified
    e-mail address if missing; an existing account is left as it is)."""
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email,
            first_name=first_name,
            last_name=last_name,
            function=function,
            is_staff=staff,
            is_superuser=staff,
        )
        user.password = _demo_password_hash()
        user.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def member(slug: str, role: Role):
    """The first demo account holding ``role`` in the organisation ``slug``."""
    spec = next(spec for spec in ORGANISATIONS if spec["slug"] == slug)
    email = next(entry[0] for entry in spec["members"] if entry[4] == role)
    return User.objects.get(email=email)


@transaction.atomic
def load() -> dict[str, Organisation]:
    """Create what is missing; return the demo organisations by slug."""
    demo_user(*STAFF, staff=True)
    organisations = {}
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
            organisation.city = spec["city"]
            organisation.save(update_fields=["legal_notice", "city"])
        with scope(organisation=organisation.pk):
            for email, first_name, last_name, function, role in spec["members"]:
                user = demo_user(email, first_name, last_name, function)
                # Demo data, not a workflow: no invitation, no audit entry.
                Membership.objects.get_or_create(
                    organisation=organisation, user=user, defaults={"role": role}
                )
        organisations[spec["slug"]] = organisation
    return organisations


def login_lines(extra: dict[str, list[tuple[str, str]]] | None = None) -> list[str]:
    """What to tell the person who loaded the demo: how and as whom to log in.
    ``extra`` adds accounts per organisation slug: (label, who)."""
    extra = extra or {}
    lines = [
        "Connectez-vous sur http://127.0.0.1:8000/auth/login/ avec :",
        f"  mot de passe (tous les comptes) : {DEMO_PASSWORD}",
        "  ou « Envoyez-moi un code de connexion » : le code s'affiche dans ce terminal.",
    ]
    for spec in ORGANISATIONS:
        lines.append(f"  {spec['name']} (/{spec['slug']}/)")
        for email, first_name, last_name, _function, role in spec["members"]:
            lines.append(f"    {Role(role).label:<32} {first_name} {last_name} <{email}>")
        for label, who in extra.get(spec["slug"], []):
            lines.append(f"    {label:<32} {who}")
    lines.append(f"  Administration de la plateforme : {STAFF[0]} (/admin/)")
    return lines
