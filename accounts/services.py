"""Writes on accounts: accounts created from an invitation, profile changes, data export,
account deletion."""

from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .extensions import deletion_blockers, personal_data
from .models import User


class AccountDeletionRefused(Exception):
    def __init__(self, reasons: list[str]):
        super().__init__("; ".join(reasons))
        self.reasons = reasons


PROFILE_FIELDS = ("civility", "first_name", "last_name", "phone", "function")

# The backend a person created from an invitation is logged in with (no password).
LOGIN_BACKEND = "allauth.account.auth_backends.AuthenticationBackend"


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def account_exists_for(email: str) -> bool:
    return User.objects.filter(email__iexact=normalise_email(email)).exists()


@transaction.atomic
def create_verified_account(*, email: str, first_name: str = "", last_name: str = "") -> User:
    """The account of someone who opened an invitation sent to ``email``: the address is
    verified by that very fact (and primary), there is no password (they log in with an
    e-mailed code). Refused if an account already uses the address."""
    email = normalise_email(email)
    if not email:
        raise ValidationError(_("Une adresse e-mail est nécessaire pour créer un compte."))
    if account_exists_for(email):
        raise ValidationError(
            _("Un compte existe déjà pour %(email)s : connectez-vous pour continuer.")
            % {"email": email}
        )
    user = User.objects.create_user(
        email=email, first_name=(first_name or "").strip(), last_name=(last_name or "").strip()
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def log_in(request, user: User) -> None:
    """Open a session for ``user`` (just created from an invitation, or signed in)."""
    login(request, user, backend=LOGIN_BACKEND)


@transaction.atomic
def update_profile(*, user: User, acting_user: User, changed_fields: list[str]) -> User:
    """Save profile fields a form already validated and set on ``user``."""
    changed = [field for field in changed_fields if field in PROFILE_FIELDS]
    if changed:
        user.save(update_fields=changed)
    return user


def export_personal_data(*, user: User) -> dict[str, Any]:
    """Everything Sillon holds about ``user``, as a JSON-serialisable dict."""
    data: dict[str, Any] = {
        "export": {"généré_le": timezone.now().isoformat(), "format": "sillon-personal-data/1"},
        "compte": {
            "email": user.email,
            "prénom": user.first_name,
            "nom": user.last_name,
            "téléphone": user.phone,
            "fonction": user.function,
            "civilité": user.civility,
            "inscription": user.date_joined.isoformat(),
            "dernière_connexion": user.last_login.isoformat() if user.last_login else None,
            "équipe_plateforme": user.is_staff,
        },
        "adresses_email": [
            {"email": a.email, "vérifiée": a.verified, "principale": a.primary}
            for a in EmailAddress.objects.filter(user=user).order_by("email")
        ],
        "double_authentification": [
            {"type": a.type, "créée_le": a.created_at.isoformat()}
            for a in user.authenticator_set.order_by("created_at")
        ],
    }
    # Several apps may fill one section (sondages and presences add to « parcours », the
    # section people have always found their polls and attendance in).
    for section, exported in sorted(personal_data.collect(user=user), key=lambda pair: pair[0]):
        data.setdefault(section, {}).update(exported)
    return data


@transaction.atomic
def delete_account(*, user: User, acting_user: User) -> None:
    """Erase the account. Rows that belong to other people keep existing without it:
    foreign keys to the user are nulled (audit entries, invitations sent) or cascade
    (memberships, e-mail addresses). Refused while a blocker objects."""
    reasons = deletion_blockers.collect(user=user)
    if reasons:
        raise AccountDeletionRefused(reasons)
    # Other sessions of this account need no clean-up: once the row is gone, Django
    # treats a session that names it as anonymous.
    user.delete()
