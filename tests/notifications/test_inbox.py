"""The bell and the list of a person's notifications in one organisation."""

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from notifications.models import Notification
from tests.factories import MembershipFactory, UserFactory
from tests.querycount import assert_constant_queries

from .helpers import notify

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    membership = MembershipFactory(observer=True)
    return membership.user, membership.organisation


def unread(user, organisation):
    with scope(organisation=organisation.pk):
        return Notification.objects.filter(user=user, read_at__isnull=True).count()


def test_list_shows_only_my_notifications_of_this_organisation(client, member):
    user, organisation = member
    other_organisation = MembershipFactory(observer=True, user=user).organisation
    someone_else = MembershipFactory(observer=True, organisation=organisation).user
    notify(organisation, [user], title="Séance de lancement demain", url="/a/")
    notify(other_organisation, [user], title="Message d'une autre organisation")
    notify(organisation, [someone_else], title="Message pour quelqu'un d'autre")
    client.force_login(user)

    response = client.get(reverse("notifications:list", args=[organisation.slug]))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Séance de lancement demain" in content
    assert "autre organisation" not in content
    assert "quelqu&#x27;un d&#x27;autre" not in content
    assert "Notifications, 1 non lue" in content
    assert "Non lue" in content


def test_bell_counts_this_organisation_only(client, member):
    user, organisation = member
    other_organisation = MembershipFactory(observer=True, user=user).organisation
    notify(organisation, [user], title="Un")
    notify(organisation, [user], title="Deux")
    notify(other_organisation, [user], title="Ailleurs")
    client.force_login(user)

    home = client.get(reverse("organisations:home", args=[organisation.slug])).content.decode()
    elsewhere = client.get(
        reverse("organisations:home", args=[other_organisation.slug])
    ).content.decode()
    global_page = client.get(reverse("accounts:profile")).content.decode()

    assert "Notifications, 2 non lues" in home
    assert "Notifications, 1 non lue" in elsewhere
    assert 'id="notification-bell"' not in global_page


def test_stranger_gets_404(client, member):
    _user, organisation = member
    client.force_login(UserFactory())
    assert client.get(reverse("notifications:list", args=[organisation.slug])).status_code == 404


def test_open_marks_read_and_follows_a_local_link(client, member):
    user, organisation = member
    notify(organisation, [user], title="Un", url=f"/{organisation.slug}/")
    notify(organisation, [user], title="Deux")
    with scope(organisation=organisation.pk):
        notification = Notification.objects.get(title="Un")
    client.force_login(user)

    response = client.post(reverse("notifications:open", args=[organisation.slug, notification.pk]))

    assert response.status_code == 302
    assert response["Location"] == f"/{organisation.slug}/"
    assert unread(user, organisation) == 1


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example.org/",
        "//evil.example.org/",
        "/\\evil.example.org",
        "javascript:alert(1)",
        "",
    ],
)
def test_open_never_follows_a_foreign_link(client, member, url):
    user, organisation = member
    notify(organisation, [user], url=url)
    with scope(organisation=organisation.pk):
        notification = Notification.objects.get()
    client.force_login(user)

    response = client.post(reverse("notifications:open", args=[organisation.slug, notification.pk]))

    assert response["Location"] == reverse("notifications:list", args=[organisation.slug])
    assert unread(user, organisation) == 0


def test_open_follows_an_absolute_link_to_this_site(client, member, settings):
    user, organisation = member
    notify(organisation, [user], url=f"{settings.SITE_URL}/{organisation.slug}/calendrier/")
    with scope(organisation=organisation.pk):
        notification = Notification.objects.get()
    client.force_login(user)

    response = client.post(reverse("notifications:open", args=[organisation.slug, notification.pk]))

    assert response["Location"] == f"/{organisation.slug}/calendrier/"


def test_open_is_post_only(client, member):
    user, organisation = member
    notify(organisation, [user])
    with scope(organisation=organisation.pk):
        notification = Notification.objects.get()
    client.force_login(user)
    url = reverse("notifications:open", args=[organisation.slug, notification.pk])
    assert client.get(url).status_code == 405
    assert unread(user, organisation) == 1


def test_someone_elses_notification_is_404(client, member):
    user, organisation = member
    colleague = MembershipFactory(observer=True, organisation=organisation).user
    notify(organisation, [colleague])
    with scope(organisation=organisation.pk):
        notification = Notification.objects.get()
    client.force_login(user)

    response = client.post(reverse("notifications:open", args=[organisation.slug, notification.pk]))

    assert response.status_code == 404
    assert unread(colleague, organisation) == 1


def test_my_notification_through_another_organisation_is_404(client, member):
    user, organisation = member
    other_organisation = MembershipFactory(observer=True, user=user).organisation
    notify(other_organisation, [user])
    with scope(organisation=other_organisation.pk):
        notification = Notification.objects.get()
    client.force_login(user)

    response = client.post(reverse("notifications:open", args=[organisation.slug, notification.pk]))

    assert response.status_code == 404
    assert unread(user, other_organisation) == 1


def test_mark_all_read(client, member):
    user, organisation = member
    other_organisation = MembershipFactory(observer=True, user=user).organisation
    notify(organisation, [user], title="Un")
    notify(organisation, [user], title="Deux")
    notify(other_organisation, [user], title="Ailleurs")
    client.force_login(user)

    response = client.post(reverse("notifications:mark_all_read", args=[organisation.slug]))

    assert response.status_code == 302
    assert unread(user, organisation) == 0
    assert unread(user, other_organisation) == 1
    page = client.get(response["Location"]).content.decode()
    assert "Toutes vos notifications sont marquées comme lues." in page
    assert "Notifications, aucune non lue" in page


def test_mark_all_read_with_htmx_refreshes_the_list_and_the_bell(client, member):
    user, organisation = member
    notify(organisation, [user], title="Un")
    client.force_login(user)

    response = client.post(
        reverse("notifications:mark_all_read", args=[organisation.slug]),
        headers={"HX-Request": "true"},
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in content
    assert 'id="notifications-results"' in content
    assert 'hx-swap-oob="true"' in content
    assert "Notifications, aucune non lue" in content
    assert unread(user, organisation) == 0


def test_mark_all_read_is_post_only(client, member):
    user, organisation = member
    client.force_login(user)
    url = reverse("notifications:mark_all_read", args=[organisation.slug])
    assert client.get(url).status_code == 405


def test_list_query_count_is_constant(client, member):
    user, organisation = member
    client.force_login(user)

    def add_rows(count):
        for _ in range(count):
            notify(organisation, [user], title="Rappel")

    assert_constant_queries(
        client, reverse("notifications:list", args=[organisation.slug]), add_rows
    )


def test_list_is_paginated(client, member):
    user, organisation = member
    for number in range(30):
        notify(organisation, [user], title=f"Message {number}")
    client.force_login(user)

    first = client.get(reverse("notifications:list", args=[organisation.slug])).content.decode()
    second = client.get(
        reverse("notifications:list", args=[organisation.slug]) + "?page=2"
    ).content.decode()

    assert "Message 29" in first  # newest first
    assert "Message 0<" not in first
    assert "Message 0<" in second
    with scopes_disabled():
        assert Notification.objects.count() == 30
