from django.urls import path

from candidatures.views import applications, calls, receipts, selection

app_name = "candidatures"

_call = "programmes/<int:programme_id>/appels/<int:call_id>/"
_application = "appels/<slug:call_slug>/candidatures/<int:application_id>/"

# Mounted under <slug:organisation_slug>/ by sillon/urls.py.
urlpatterns = [
    # Public pages: anyone reads a published call.
    path("appels/", calls.call_public_list, name="call_public_list"),
    path("appels/<slug:call_slug>/", calls.call_public, name="call_public"),
    # The coordinator writes and publishes the call and its scoring grid (its documents are
    # resources of the library: ressources' call panel).
    path("programmes/<int:programme_id>/appels/", calls.call_list, name="call_list"),
    path("programmes/<int:programme_id>/appels/nouveau/", calls.call_create, name="call_create"),
    path(_call, calls.call_manage, name="call_manage"),
    path(_call + "modifier/", calls.call_edit, name="call_edit"),
    path(_call + "publier/", calls.call_publish, name="call_publish"),
    path(_call + "grille/", calls.scoring_grid, name="scoring_grid"),
    path(
        _call + "grille/<int:criterion_id>/modifier/", calls.criterion_edit, name="criterion_edit"
    ),
    path(
        _call + "grille/<int:criterion_id>/supprimer/",
        calls.criterion_delete,
        name="criterion_delete",
    ),
    # The applicants: any signed-in person applies; each page checks the application
    # is theirs (404 otherwise).
    path(
        "appels/<slug:call_slug>/candidater/",
        applications.application_start,
        name="application_start",
    ),
    path(
        "appels/<slug:call_slug>/rejoindre/<str:token>/",
        applications.application_join,
        name="application_join",
    ),
    path(_application, applications.application_detail, name="application_detail"),
    path(_application + "modifier/", applications.application_edit, name="application_edit"),
    path(_application + "equipe/", applications.application_members, name="application_members"),
    path(
        _application + "equipe/<int:member_id>/modifier/",
        applications.member_edit,
        name="application_member_edit",
    ),
    path(
        _application + "equipe/<int:member_id>/retirer/",
        applications.member_remove,
        name="application_member_remove",
    ),
    path(
        _application + "equipe/<int:member_id>/inviter/",
        applications.member_invite,
        name="application_member_invite",
    ),
    path(_application + "ma-partie/", applications.member_part, name="application_member_part"),
    path(_application + "deposer/", applications.application_submit, name="application_submit"),
    path(_application + "retirer/", applications.application_withdraw, name="application_withdraw"),
    path(
        _application + "recepisse.pdf",
        receipts.application_receipt,
        name="application_receipt",
    ),
    # Selection: reviewers score, coordinators decide and announce.
    path(_call + "candidatures/", selection.application_list, name="application_list"),
    path(
        _call + "candidatures/export/",
        selection.applications_export,
        name="applications_export",
    ),
    path(
        _call + "candidatures/<int:application_id>/",
        selection.application_review,
        name="application_review",
    ),
    path(
        _call + "candidatures/<int:application_id>/decision/",
        selection.application_decide,
        name="application_decide",
    ),
    path(
        _call + "candidatures/<int:application_id>/rouvrir/",
        selection.application_reopen,
        name="application_reopen",
    ),
    path(_call + "annoncer/", selection.announce_decisions, name="announce_decisions"),
]
