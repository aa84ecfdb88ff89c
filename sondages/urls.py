from django.urls import path

from sondages import views

app_name = "sondages"

# Mounted under <slug:organisation_slug>/ by sillon/urls.py.
urlpatterns = [
    # Date polls: slots proposed for a session still to date, answered by its people.
    path("sondages/", views.my_polls, name="my_polls"),
    path("programmes/<int:programme_id>/sondages/", views.poll_list, name="poll_list"),
    path(
        "programmes/<int:programme_id>/sondages/lancer/",
        views.poll_launch_batch,
        name="poll_launch_batch",
    ),
    path("seances/<int:session_id>/sondage/", views.poll_create, name="poll_create"),
    path("sondages/<int:poll_id>/", views.poll_detail, name="poll_detail"),
    path("sondages/<int:poll_id>/repondre/", views.poll_vote, name="poll_vote"),
    path(
        "sondages/<int:poll_id>/creneaux/<int:slot_id>/reponse/",
        views.slot_vote,
        name="slot_vote",
    ),
    path("sondages/<int:poll_id>/creneaux/", views.poll_add_slots, name="poll_add_slots"),
    path(
        "sondages/<int:poll_id>/creneaux/<int:slot_id>/retenir/",
        views.poll_choose,
        name="poll_choose",
    ),
    path("sondages/<int:poll_id>/abandonner/", views.poll_cancel, name="poll_cancel"),
]
