from django.urls import path

from . import views

app_name = "territoires"

urlpatterns = [
    path("recherche/", views.search, name="search"),
]
