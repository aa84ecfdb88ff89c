from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("mes-donnees/", views.export_data, name="export_data"),
    path("supprimer/", views.delete_account, name="delete"),
]
