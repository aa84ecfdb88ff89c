"""The daily digest: held messages go out once, as one e-mail per person and organisation."""

from datetime import UTC, datetime

import pytest
import time_machine
from celery.schedules import crontab
from django.conf import settings
from django_scopes import scope, scopes_disabled

from notifications import digest, services
from notifications.digest_tasks import send_daily_digests
from notifications.models import Category, Channel, Notification, OutboxMessage
from tests.factories import MembershipFactory, UserFactory

from .helpers import notify

pytestmark = pytest.mark.django_db

Status = OutboxMessage.Status


@pytest.fixture
def digest_reader():
    membership = MembershipFactory(observer=True, user__first_name="Léa")
    user = membership.user
    services.set_preference(user=user, category=Category.REMINDERS, channel=Channel.DIGEST)
    services.set_preference(user=user, category=Category.TEAM_NEWS, channel=Channel.DIGEST)
    return user, membership.organisation


def digests(organisation=None):
    with scopes_disabled():
        rows = OutboxMessage.objects.filter(kind=digest.DIGEST_KIND)
        if organisation is not None:
            rows = rows.filter(organisation=organisation)
        return list(rows.order_by("pk"))


def statuses(organisation):
    with scope(organisation=organisation.pk):
        return sorted(
            OutboxMessage.objects.exclude(kind=digest.DIGEST_KIND).values_list("status", flat=True)
        )


def test_held_messages_go_out_in_one_digest(digest_reader):
    user, organisation = digest_reader
    notify(organisation, [user], title="Rappel : séance J-7", url=f"/{organisation.slug}/s/1/")
    notify(organisation, [user], title="Nouvelle de l'équipe", category="team_news", url="")
    assert statuses(organisation) == [Status.HELD, Status.HELD]
    with scope(organisation=organisation.pk):  # the bell shows them at once
        assert Notification.objects.filter(user=user).count() == 2

    with time_machine.travel(datetime(2026, 10, 26, 6, 0, tzinfo=UTC), tick=False):
        assert send_daily_digests() == 1

    (row,) = digests()
    assert row.recipient == user
    assert row.subject == "Votre résumé Sillon du lundi 26 octobre 2026"
    assert row.status in (Status.QUEUED, Status.SENT, Status.SENDING)
    assert "Rappel : séance J-7" in row.body_text
    assert f"{settings.SITE_URL}/{organisation.slug}/s/1/" in row.body_text
    assert "Nouvelle de l'équipe" in row.body_text
    assert "Bonjour Léa," in row.body_text
    assert f'href="{settings.SITE_URL}/{organisation.slug}/s/1/"' in row.body_html
    assert "Nouvelle de l&#x27;équipe" in row.body_html
    assert organisation.name in row.body_html
    assert f"{settings.SITE_URL}/{organisation.slug}/notifications/" in row.body_text
    assert "/notifications/preferences/" in row.body_text
    assert statuses(organisation) == [Status.DIGESTED, Status.DIGESTED]
    with scope(organisation=organisation.pk):  # no second bell entry for the digest
        assert Notification.objects.filter(user=user).count() == 2


def test_two_runs_the_same_day_send_one_digest(digest_reader):
    user, organisation = digest_reader
    notify(organisation, [user], title="Rappel")

    send_daily_digests()
    send_daily_digests()
    with scope(organisation=organisation.pk):
        assert digest.send_digests(organisation=organisation) == 0

    assert len(digests()) == 1


def test_one_digest_per_person_and_organisation(digest_reader):
    user, organisation = digest_reader
    other_organisation = MembershipFactory(observer=True, user=user).organisation
    colleague = MembershipFactory(observer=True, organisation=organisation).user
    services.set_preference(user=colleague, category=Category.REMINDERS, channel=Channel.DIGEST)
    notify(organisation, [user, colleague], title="Rappel ici")
    notify(other_organisation, [user], title="Rappel ailleurs")
    notify(organisation, [UserFactory()], title="Tout de suite")  # immediate: no digest

    assert send_daily_digests() == 2

    here = digests(organisation)
    assert sorted(row.recipient_id for row in here) == sorted([user.pk, colleague.pk])
    assert all("Rappel ici" in row.body_text and "ailleurs" not in row.body_text for row in here)
    (there,) = digests(other_organisation)
    assert "Rappel ailleurs" in there.body_text and "Rappel ici" not in there.body_text
    assert other_organisation.name in there.body_html


def test_the_digest_itself_is_never_held_again(digest_reader):
    user, organisation = digest_reader
    notify(organisation, [user], title="Rappel")

    with scope(organisation=organisation.pk):
        row = digest.send_digest(organisation=organisation, user=user)

    assert row is not None
    assert row.status != Status.HELD
    assert row.category == Category.REMINDERS


def test_nothing_held_sends_nothing(digest_reader):
    _user, organisation = digest_reader
    notify(organisation, [UserFactory()], title="Immédiat")

    assert send_daily_digests() == 0
    assert digests() == []


def test_a_claim_taken_by_another_run_is_left_to_it(digest_reader, monkeypatch):
    """Between this run's read and its claim, another run took one of the rows (possible
    without row locks, on SQLite): this run composes nothing, rolls its claim back, and
    nothing is lost: the rows left held go out in the next digest."""
    user, organisation = digest_reader
    notify(organisation, [user], title="Un")
    notify(organisation, [user], title="Deux")

    def never_composed(*args, **kwargs):
        raise AssertionError("composed a digest whose rows it did not claim")

    real_filter = OutboxMessage.objects.filter

    def filter_after_another_run(*args, **kwargs):
        if "pk__in" in kwargs and kwargs.get("status") == Status.HELD:
            real_filter(pk=kwargs["pk__in"][0]).update(status=Status.DIGESTED)
        return real_filter(*args, **kwargs)

    with scope(organisation=organisation.pk), monkeypatch.context() as patch:
        patch.setattr(digest.services, "render_email", never_composed)
        patch.setattr(OutboxMessage.objects, "filter", filter_after_another_run)
        assert digest.send_digest(organisation=organisation, user=user) is None
    assert digests() == []
    assert statuses(organisation) == [Status.HELD, Status.HELD]

    send_daily_digests()
    (row,) = digests()
    assert "Un" in row.body_text and "Deux" in row.body_text


def test_beat_runs_the_digest_daily_at_seven_paris_time():
    entries = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "notifications.digest_tasks.send_daily_digests"
    ]
    assert len(entries) == 1
    assert entries[0]["schedule"] == crontab(hour=7, minute=0)
    assert settings.CELERY_TIMEZONE == "Europe/Paris"
    assert "notifications.digest_tasks" in settings.CELERY_IMPORTS
