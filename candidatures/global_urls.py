"""Pages of a person across all their organisations (not under an organisation slug)."""

from django.urls import path

from candidatures.views import applications

urlpatterns = [
    path("candidatures/", applications.my_applications, name="my_applications"),
]
