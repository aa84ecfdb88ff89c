"""Writes on accounts: profile changes, data export, account deletion."""

from typing import Any

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from .extensions import deletion_blockers, personal_data
from .models import User


class AccountDeletionRefused(Exception):
    def __init__(self, reasons: list[str]):
        super().__init__("; ".join(reasons))
        self.reasons = reasons


PROFILE_FIELDS = ("first_name", "last_name", "phone", "function")


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
