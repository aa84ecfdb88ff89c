"""Mounted under <slug:organisation_slug>/ by sillon/urls.py.

Public pages (``evenements/…``): anyone reads a published event and registers; the
personal pages answer to the token of the person's link. Staff pages live under the
programme (``programmes/<id>/inscriptions/…``)."""

from django.urls import path

from inscriptions.views import manage, public

app_name = "inscriptions"

_event = "evenements/<slug:event_slug>/"
_mine = _event + "inscription/<str:registrant_token>/"
_manage = "programmes/<int:programme_id>/inscriptions/<int:event_id>/"

urlpatterns = [
    path(_event, public.event_page, name="event"),
    path(_event + "s-inscrire/", public.register_page, name="register"),
    path(_event + "collectif/", public.collective_page, name="collective"),
    path(_event + "merci/", public.thanks, name="thanks"),
    path(_event + "renvoyer/", public.resend, name="resend"),
    path(_event + "territoires/", public.territories, name="territories"),
    path(_event + "confirmer/<str:registrant_token>/", public.confirm, name="confirm"),
    path(_mine, public.personal, name="personal"),
    path(_mine + "annuler/", public.cancel, name="cancel"),
    path("programmes/<int:programme_id>/inscriptions/", manage.event_list, name="list"),
    path(
        "programmes/<int:programme_id>/inscriptions/nouvelle/",
        manage.event_create,
        name="create",
    ),
    path(_manage, manage.event_dashboard, name="dashboard"),
    path(_manage + "modifier/", manage.event_edit, name="edit"),
    path(_manage + "export/", manage.event_export, name="export"),
    path(_manage + "ajouter/", manage.registrant_add, name="add"),
    path(_manage + "message/", manage.event_message, name="message"),
    path(_manage + "personnes/<int:registrant_id>/", manage.registrant_edit, name="registrant"),
]
