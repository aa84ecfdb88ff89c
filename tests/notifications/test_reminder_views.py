"""The coordinator's reminder pages: what will be sent in the next 14 days, what was
sent to a person, and the reminder settings of a programme."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django_scopes import scopes_disabled

from notifications.models import ReminderLog, ReminderSetting
from notifications.scan import scan
from organisations.models import AuditEntry
from tests.factories import (
    MembershipFactory,
    SessionFactory,
    UserFactory,
    build_programme,
)
from tests.querycount import assert_constant_queries

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 10, 15, 12, 0, tzinfo=PARIS)


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def parcours(db):
    with scopes_disabled():
        parcours = build_programme(
            start_date=date(2026, 1, 1), end_date=date(2027, 12, 31), name="Gouvernance des PAT"
        )
        parcours.coordinator = MembershipFactory(
            organisation=parcours.organisation, coordinator=True
        ).user
        parcours.session = SessionFactory(
            programme=parcours.programme,
            kind=parcours.kind,
            title="Journée de lancement",
            starts_at=datetime(2026, 10, 26, 9, 0, tzinfo=PARIS),
            ends_at=datetime(2026, 10, 26, 17, 0, tzinfo=PARIS),
        )
        parcours.member = parcours.teams[0].members.first().user
    return parcours


def upcoming_url(parcours):
    return reverse("parcours:upcoming", args=[parcours.organisation.slug])


def settings_url(parcours):
    return reverse(
        "parcours:reminder_settings",
        args=[parcours.organisation.slug, parcours.programme.pk],
    )


def test_coordinator_sees_the_next_14_days_grouped_by_day(client, parcours):
    client.force_login(parcours.coordinator)
    response = client.get(upcoming_url(parcours))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Rappels</h1>" in html
    assert "Lundi 19 octobre 2026" in html
    assert "Dimanche 25 octobre 2026" in html
    assert "J-7" in html and "J-1" in html
    assert "Journée de lancement" in html
    assert "6 personnes" in html
    assert parcours.member.email in html
    assert settings_url(parcours) in html
    assert f'href="{upcoming_url(parcours)}"' in html  # the navigation entry


@pytest.mark.parametrize("who", ["trainer", "observer", "member", "outsider"])
def test_other_people_get_404(client, parcours, who):
    if who == "member":
        user = parcours.member
    elif who == "outsider":
        user = MembershipFactory(coordinator=True).user
    else:
        user = MembershipFactory(organisation=parcours.organisation, **{who: True}).user
    client.force_login(user)
    assert client.get(upcoming_url(parcours)).status_code == 404
    assert client.get(settings_url(parcours)).status_code == 404
    assert client.post(settings_url(parcours), {"session_offsets": "3"}).status_code == 404
    with scopes_disabled():
        assert not ReminderSetting.objects.exists()


def test_another_organisations_programme_is_404(client, parcours):
    with scopes_disabled():
        other = build_programme()
    client.force_login(parcours.coordinator)
    url = reverse(
        "parcours:reminder_settings",
        args=[parcours.organisation.slug, other.programme.pk],
    )
    assert client.get(url).status_code == 404


def test_settings_page_shows_the_defaults(client, parcours):
    client.force_login(parcours.coordinator)
    response = client.get(settings_url(parcours))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="7, 1"' in html
    assert "Rappel avant une séance" in html
    assert 'name="session_enabled"' in html and "checked" in html


def test_saving_offsets_records_them_and_returns_to_the_upcoming_list(client, parcours):
    client.force_login(parcours.coordinator)
    response = client.post(
        settings_url(parcours), {"session_enabled": "on", "session_offsets": "3; 10 3"}
    )
    assert response.status_code == 302
    assert response["Location"] == upcoming_url(parcours)
    with scopes_disabled():
        setting = ReminderSetting.objects.get()
        assert (setting.enabled, setting.offsets) == (True, [10, 3])
        entry = AuditEntry.objects.get(action="notifications.reminder_settings.changed")
        assert entry.actor == parcours.coordinator
    page = client.get(response["Location"]).content.decode()
    assert "enregistrés" in page
    assert ">J-10<" in page and ">J-3<" in page and ">J-1<" not in page


def test_switching_off_empties_the_upcoming_list(client, parcours):
    client.force_login(parcours.coordinator)
    client.post(settings_url(parcours), {"session_offsets": "7, 1"})
    with scopes_disabled():
        assert ReminderSetting.objects.get().enabled is False
    page = client.get(upcoming_url(parcours)).content.decode()
    assert "Aucun rappel prévu dans les 14 prochains jours." in page


@pytest.mark.parametrize(
    "offsets, error",
    [
        ("sept", "« sept » n&#x27;est pas un nombre entier."),
        ("-1", "« -1 » n&#x27;est pas un nombre entier."),
        ("91", "Chaque délai est un nombre entier entre 0 et 90."),
        ("1, 2, 3, 4, 5, 6", "5 délais au plus."),
        ("", "Indiquez au moins un délai, ou désactivez le rappel."),
    ],
)
def test_bad_offsets_are_refused_next_to_the_field(client, parcours, offsets, error):
    client.force_login(parcours.coordinator)
    response = client.post(
        settings_url(parcours), {"session_enabled": "on", "session_offsets": offsets}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert error in html
    assert 'id="id_session_offsets_error' in html or "invalid-feedback" in html
    assert 'aria-invalid="true"' in html or "is-invalid" in html
    with scopes_disabled():
        assert not ReminderSetting.objects.exists()
        assert not AuditEntry.objects.filter(
            action="notifications.reminder_settings.changed"
        ).exists()


def test_history_of_a_person_lists_what_was_sent(client, parcours):
    with time_machine.travel(datetime(2026, 10, 19, 9, 0, tzinfo=PARIS), tick=False):
        scan()
    with scopes_disabled():
        assert ReminderLog.objects.filter(recipient=parcours.member).count() == 1
    client.force_login(parcours.coordinator)
    response = client.get(upcoming_url(parcours), {"personne": parcours.member.email.upper()})
    html = response.content.decode()
    assert "Rappels envoyés à" in html
    assert "Journée de lancement" in html
    assert "Envoyé" in html
    # An address unknown here, or of another organisation's member: nothing.
    with scopes_disabled():
        stranger = UserFactory()
    response = client.get(upcoming_url(parcours), {"personne": stranger.email})
    assert (
        "Aucun rappel envoyé à cette adresse dans cette organisation." in response.content.decode()
    )


def test_upcoming_page_queries_do_not_grow_with_the_sessions(client, parcours):
    client.force_login(parcours.coordinator)
    made = []

    def add_sessions(count):
        with scopes_disabled():
            for _index in range(count):
                made.append(
                    SessionFactory(
                        programme=parcours.programme,
                        kind=parcours.kind,
                        starts_at=datetime(2026, 10, 20, 9, 0, tzinfo=PARIS)
                        + timedelta(hours=len(made) % 10, days=len(made) // 10),
                    )
                )

    assert_constant_queries(client, upcoming_url(parcours), add_sessions)
