"""Pages of groups (``codev.views``) and of CODEV séances (``codev.seance_urls``)."""

from django.urls import include, path

from codev.views import composition, group_sessions, groups

app_name = "codev"

urlpatterns = [
    path("programmes/<int:programme_id>/groupes/", groups.group_list, name="group_list"),
    path(
        "programmes/<int:programme_id>/groupes/nouveau/",
        groups.group_create,
        name="group_create",
    ),
    path(
        "programmes/<int:programme_id>/groupes/proposer/",
        composition.group_propose,
        name="group_propose",
    ),
    path(
        "programmes/<int:programme_id>/groupes/seances/",
        group_sessions.series_create,
        name="series_create",
    ),
    path("groupes/<int:group_id>/", groups.group_detail, name="group_detail"),
    path("groupes/<int:group_id>/modifier/", groups.group_edit, name="group_edit"),
    path("groupes/<int:group_id>/membres/", groups.group_members, name="group_members"),
    path("groupes/<int:group_id>/deplacer/", groups.member_move, name="member_move"),
    path("groupes/<int:group_id>/supprimer/", groups.group_delete, name="group_delete"),
    path(
        "groupes/<int:group_id>/rattacher/",
        group_sessions.session_attach,
        name="session_attach",
    ),
    path("groupes/<int:group_id>/rotation/", group_sessions.rotation_apply, name="rotation_apply"),
    path("groupes/roles/<int:group_session_id>/", group_sessions.seance_roles, name="seance_roles"),
    path("", include("codev.seance_urls")),
]
