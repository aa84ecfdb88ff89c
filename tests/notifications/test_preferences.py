"""Choosing what to receive, and the one-click unsubscribe link of reminder e-mails."""

import re

import pytest
from django.urls import reverse
from django_scopes import scope

from notifications import services
from notifications.models import (
    Category,
    Channel,
    Notification,
    OutboxMessage,
    Preference,
    UnsubscribeKey,
)
from tests.factories import MembershipFactory, UserFactory

from .helpers import notify

pytestmark = pytest.mark.django_db


def channel(user, category):
    return services.channels_for([user], category)[user.pk]


def test_preferences_need_login(client):
    response = client.get(reverse("notification_preferences"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_preferences_page_lists_each_category_and_explains_mandatory_messages(client):
    user = UserFactory()
    services.set_preference(user=user, category=Category.REMINDERS, channel=Channel.DIGEST)
    client.force_login(user)

    response = client.get(reverse("notification_preferences"))

    content = response.content.decode()
    assert response.status_code == 200
    for label in Category.labels:
        assert str(label).replace("'", "&#x27;") in content
    assert content.count('type="radio"') == len(Category.values) * len(Channel.values)
    assert re.search(r'<input[^>]*name="reminders" value="digest"[^>]*checked', content)
    assert "Les messages qu'on ne peut pas désactiver" in content
    assert "annulation d'une séance" in content


def test_saving_preferences(client):
    user = UserFactory()
    client.force_login(user)
    data = dict.fromkeys(Category.values, Channel.IMMEDIATE)
    data |= {"reminders": Channel.OFF, "team_news": Channel.DIGEST}

    response = client.post(reverse("notification_preferences"), data)

    assert response.status_code == 302
    assert channel(user, "reminders") == Channel.OFF
    assert channel(user, "team_news") == Channel.DIGEST
    assert channel(user, "convocations") == Channel.IMMEDIATE
    # Unchanged categories write no row.
    assert Preference.objects.filter(user=user).count() == 2
    assert "Vos préférences sont enregistrées." in client.get(response["Location"]).content.decode()


def test_invalid_choice_is_refused(client):
    user = UserFactory()
    client.force_login(user)
    data = dict.fromkeys(Category.values, Channel.IMMEDIATE) | {"reminders": "sms"}

    response = client.post(reverse("notification_preferences"), data)

    assert response.status_code == 200
    assert 'class="invalid-feedback d-block"' in response.content.decode()
    assert not Preference.objects.filter(user=user).exists()


def test_off_stops_a_category_but_not_mandatory_messages():
    membership = MembershipFactory(observer=True)
    user, organisation = membership.user, membership.organisation
    services.set_preference(user=user, category=Category.REMINDERS, channel=Channel.OFF)

    notify(organisation, [user], category="reminders", title="Rappel")
    notify(organisation, [user], category="reminders", title="Annulation", mandatory=True)

    with scope(organisation=organisation.pk):
        assert list(Notification.objects.values_list("title", flat=True)) == ["Annulation"]
        assert list(OutboxMessage.objects.values_list("subject", flat=True)) == ["Annulation"]


def unsubscribe_url(user, category="reminders"):
    key, _created = UnsubscribeKey.objects.get_or_create(user=user)
    return reverse("notifications_unsubscribe", args=[key.token, category])


def test_unsubscribe_get_asks_for_confirmation_without_login(client):
    user = UserFactory()
    url = unsubscribe_url(user)

    response = client.get(url)

    content = response.content.decode()
    assert response.status_code == 200
    assert "Confirmer le désabonnement" in content
    assert f'action="{url}"' in content
    assert channel(user, "reminders") == Channel.IMMEDIATE


def test_unsubscribe_confirmation_form_turns_the_category_off(client):
    user = UserFactory()
    client = client.__class__(enforce_csrf_checks=True)
    url = unsubscribe_url(user)
    page = client.get(url)
    token = page.context["csrf_token"]

    response = client.post(url, {"csrfmiddlewaretoken": str(token)})

    assert response.status_code == 200
    assert "Vous ne recevrez plus" in response.content.decode()
    assert reverse("notification_preferences") in response.content.decode()
    assert channel(user, "reminders") == Channel.OFF


def test_unsubscribe_form_post_without_csrf_token_is_refused(client):
    user = UserFactory()
    client = client.__class__(enforce_csrf_checks=True)

    response = client.post(unsubscribe_url(user), {})

    assert response.status_code == 403
    assert channel(user, "reminders") == Channel.IMMEDIATE


def test_one_click_post_works_without_csrf_token(client):
    """RFC 8058: the mail client POSTs List-Unsubscribe=One-Click, with no cookie."""
    user = UserFactory()
    client = client.__class__(enforce_csrf_checks=True)

    response = client.post(
        unsubscribe_url(user, "team_news"),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert "Vous ne recevrez plus" in response.content.decode()
    assert channel(user, "team_news") == Channel.OFF
    assert channel(user, "reminders") == Channel.IMMEDIATE


def test_unknown_or_revoked_token_is_404(client):
    user = UserFactory()
    url = unsubscribe_url(user)
    UnsubscribeKey.objects.filter(user=user).delete()  # revoked

    assert client.get(url).status_code == 404
    assert (
        client.post(
            url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
        ).status_code
        == 404
    )
    assert (
        client.get(reverse("notifications_unsubscribe", args=["inconnu", "reminders"])).status_code
        == 404
    )
    assert channel(user, "reminders") == Channel.IMMEDIATE


def test_unknown_category_is_404(client):
    user = UserFactory()
    url = unsubscribe_url(user, "everything")

    assert client.get(url).status_code == 404
    assert (
        client.post(
            url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
        ).status_code
        == 404
    )


def test_reminder_email_carries_the_one_click_headers_that_work(client, settings):
    membership = MembershipFactory(observer=True)
    user, organisation = membership.user, membership.organisation
    (message,) = notify(organisation, [user], category="reminders", unsubscribe=True)
    link = message.headers["List-Unsubscribe"].strip("<>")
    assert message.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    path = link.removeprefix(settings.SITE_URL)
    client = client.__class__(enforce_csrf_checks=True)
    response = client.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 200
    assert channel(user, "reminders") == Channel.OFF
