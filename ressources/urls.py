"""Pages of ressources under ``/<organisation-slug>/``: the library (``views.library``)
and the minutes."""

from django.urls import path

from ressources.views import library, minutes

app_name = "ressources"

urlpatterns = [
    # The library
    path("ressources/", library.library, name="library"),
    path("ressources/ajouter/", library.resource_add, name="resource_add"),
    path("ressources/<int:resource_id>/", library.resource_detail, name="resource_detail"),
    path(
        "ressources/<int:resource_id>/telecharger/",
        library.resource_download,
        name="resource_download",
    ),
    path("ressources/<int:resource_id>/modifier/", library.resource_edit, name="resource_edit"),
    path(
        "ressources/<int:resource_id>/supprimer/", library.resource_delete, name="resource_delete"
    ),
    path("ressources/etiquettes/", library.tags, name="tags"),
    path("ressources/etiquettes/<int:tag_id>/", library.tag_edit, name="tag_edit"),
    path("ressources/etiquettes/<int:tag_id>/supprimer/", library.tag_delete, name="tag_delete"),
    path("ressources/equipes/<int:team_id>/ajouter/", library.team_add, name="team_add"),
    path("ressources/seances/<int:session_id>/ajouter/", library.session_add, name="session_add"),
    path("ressources/appels/<int:call_id>/ajouter/", library.call_add, name="call_add"),
    path(
        "programmes/<int:programme_id>/ressources/",
        library.programme_resources,
        name="programme_resources",
    ),
    # The public library: no account needed.
    path("ressources/publiques/", library.public_library, name="public_library"),
    path("ressources/publiques/<int:resource_id>/", library.public_detail, name="public_detail"),
    path(
        "ressources/publiques/<int:resource_id>/telecharger/",
        library.public_download,
        name="public_download",
    ),
]

# The minutes (comptes rendus) of sessions.
MINUTES = "comptes-rendus/<int:minutes_id>/"

urlpatterns += [
    path(
        "seances/<int:session_id>/compte-rendu/rediger/",
        minutes.minutes_start,
        name="minutes_start",
    ),
    path(MINUTES, minutes.minutes_detail, name="minutes_detail"),
    path(f"{MINUTES}modifier/", minutes.minutes_edit, name="minutes_edit"),
    path(f"{MINUTES}partager/", minutes.minutes_share, name="minutes_share"),
    path(f"{MINUTES}valider/", minutes.minutes_validate, name="minutes_validate"),
    path(f"{MINUTES}corriger/", minutes.minutes_correct, name="minutes_correct"),
    path(f"{MINUTES}versions/<int:number>/", minutes.minutes_version, name="minutes_version"),
    path(
        f"{MINUTES}versions/<int:number>/commenter/",
        minutes.minutes_comment,
        name="minutes_comment",
    ),
    path(
        f"{MINUTES}versions/<int:number>/pdf/",
        minutes.minutes_pdf_download,
        name="minutes_pdf",
    ),
    path(
        "programmes/<int:programme_id>/comptes-rendus/",
        minutes.programme_minutes,
        name="programme_minutes",
    ),
]
