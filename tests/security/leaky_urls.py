"""A URL configuration with deliberately unsafe views, for the sweep's self-test."""

from django.http import HttpResponse
from django.urls import include, path
from django_scopes import scopes_disabled

from organisations.access import organisation_view
from organisations.models import Membership
from sillon.urls import urlpatterns as real_urlpatterns


def unprotected_members(request, organisation_slug):
    # Forgot organisation_view: no membership check at all.
    emails = Membership.objects.values_list("user__email", flat=True)
    return HttpResponse(", ".join(emails))


@organisation_view()
def unscoped_member_detail(request, organisation, membership_id):
    # Checks the membership of the organisation in the URL, then fetches the object
    # without the scope: another organisation's id goes through.
    with scopes_disabled():
        membership = Membership.objects.select_related("user").get(pk=membership_id)
    return HttpResponse(membership.user.email)


leaky = [
    path("fuite/", unprotected_members, name="leak_list"),
    path("fuite/<int:membership_id>/", unscoped_member_detail, name="leak_detail"),
]

urlpatterns = [
    path("<slug:organisation_slug>/", include((leaky, "leaky"))),
    *real_urlpatterns,
]
