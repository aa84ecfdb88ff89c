"""What the library holds about a person, for « Télécharger mes données », and what
happens to it when the account is deleted.

Exported: the resources the person uploaded (title, organisation, date, type, the name
written as author, the file's name).

Deletion: nothing here blocks it. A resource belongs to its organisation: ``uploaded_by``
is ``SET_NULL``, so the resource stays in the library; the author's name, free text the
uploader chose, stays as written (a coordinator edits it if asked).

The receiver is connected when ``ressources.extensions`` imports this module.
"""

from django.dispatch import receiver
from django_scopes import scopes_disabled

from accounts.extensions import personal_data

from .models import Resource


def export_for_user(user) -> dict:
    # The filter is on the person themself: reading across organisations is the point.
    with scopes_disabled():
        resources = Resource.objects.filter(uploaded_by=user).select_related("organisation")
        return {
            "ressources_déposées": [
                {
                    "organisation": resource.organisation.name,
                    "titre": resource.title,
                    "date": resource.date.isoformat(),
                    "type": resource.get_kind_display(),
                    "auteur": resource.author,
                    "fichier": resource.original_name,
                    "lien": resource.url,
                }
                for resource in resources.order_by("pk")
            ]
        }


@receiver(personal_data, dispatch_uid="ressources.personal_data")
def library_personal_data(sender, *, user, **kwargs):
    return "ressources", export_for_user(user)
