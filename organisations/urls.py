from django.urls import path

from . import views

app_name = "organisations"

# Mounted under <slug:organisation_slug>/ by sillon/urls.py.
urlpatterns = [
    path("", views.organisation_home, name="home"),
    path("membres/", views.members, name="members"),
    path("membres/inviter/", views.member_invite, name="member_invite"),
    path("membres/<int:membership_id>/role/", views.member_change_role, name="member_role"),
    path("membres/<int:membership_id>/retirer/", views.member_remove, name="member_remove"),
    path(
        "invitations/<int:invitation_id>/renvoyer/",
        views.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "invitations/<int:invitation_id>/annuler/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("parametres/", views.organisation_settings, name="settings"),
    path("journal/", views.audit_log, name="audit_log"),
    path("mentions-legales/", views.legal_notice, name="legal_notice"),
    path("logo/", views.logo, name="logo"),
]
