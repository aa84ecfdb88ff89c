"""The notifications part of "download my data": a person's preferences, in-app
notifications and the e-mails written to them, in every organisation."""

from django_scopes import scopes_disabled

from notifications.models import Notification, OutboxMessage, Preference, SuppressedAddress


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def export_for_user(user) -> dict:
    # The filters are on the person themself: reading across organisations is the point.
    with scopes_disabled():
        preferences = Preference.objects.filter(user=user).order_by("category")
        notifications = (
            Notification.objects.filter(user=user)
            .select_related("organisation")
            .order_by("created_at", "pk")
        )
        messages = (
            OutboxMessage.objects.filter(recipient=user)
            .select_related("organisation")
            .order_by("created_at", "pk")
        )
        suppressed = (
            SuppressedAddress.objects.filter(email=user.email.lower()).first()
            if user.email
            else None
        )
        return {
            "préférences": [
                {
                    "catégorie": preference.get_category_display(),
                    "réception": preference.get_channel_display(),
                }
                for preference in preferences
            ],
            "notifications": [
                {
                    "organisation": notification.organisation.name,
                    "titre": notification.title,
                    "détail": notification.body,
                    "lien": notification.url,
                    "le": _iso(notification.created_at),
                    "lue_le": _iso(notification.read_at),
                }
                for notification in notifications
            ],
            "e_mails_reçus": [
                {
                    "organisation": message.organisation.name,
                    "adresse": message.to_email,
                    "objet": message.subject,
                    "texte": message.body_text,
                    "statut": message.get_status_display(),
                    "écrit_le": _iso(message.created_at),
                    "envoyé_le": _iso(message.sent_at),
                }
                for message in messages
            ],
            "adresse_en_échec": (
                {
                    "adresse": suppressed.email,
                    "raison": suppressed.reason,
                    "depuis": _iso(suppressed.created_at),
                }
                if suppressed
                else None
            ),
        }
