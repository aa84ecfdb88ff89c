"""The organisation switcher of the header (``my_organisations``): the page's own
organisation is reused when it is the person's only one (issue 19: one query less on
every page for most people)."""

import pytest

from organisations.models import Access
from organisations.roles import organisations_for_user
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_only_organisation_is_reused_without_a_query(django_assert_num_queries):
    membership = MembershipFactory(coordinator=True)
    user, organisation = membership.user, membership.organisation
    organisations_for_user(user)  # the roles, cached on the user for the request
    with django_assert_num_queries(0):
        assert organisations_for_user(user, known=organisation) == [
            (organisation, Access.COORDINATOR)
        ]


def test_several_organisations_are_all_listed_by_name():
    first = MembershipFactory(organisation=OrganisationFactory(name="Zèbre"), coordinator=True)
    user = first.user
    MembershipFactory(user=user, organisation=OrganisationFactory(name="Abeille"), trainer=True)
    assert [
        (organisation.name, access)
        for organisation, access in organisations_for_user(user, known=first.organisation)
    ] == [("Abeille", Access.TRAINER), ("Zèbre", Access.COORDINATOR)]
