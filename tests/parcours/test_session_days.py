"""Sessions own their half-days: one row per day, defaulted from the organisation (or
the day agenda), changed on the « Horaires » page, read by attendance and attestations."""

from datetime import time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from parcours import services
from parcours.models import SessionDay
from presences.halfdays import half_days
from tests.factories import (
    AgendaItemFactory,
    MembershipFactory,
    OrganisationFactory,
    SessionFactory,
    _aware,
    build_programme,
)

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def world():
    organisation = OrganisationFactory(slug="hdf")
    coordinator = MembershipFactory(organisation=organisation, coordinator=True).user
    trainer = MembershipFactory(organisation=organisation, trainer=True).user
    with scope(organisation=organisation.pk):
        parcours = build_programme(organisation=organisation, teams=1)
    return {
        "organisation": organisation,
        "coordinator": coordinator,
        "trainer": trainer,
        "parcours": parcours,
        "day": timezone.localdate() + timedelta(days=20),
    }


def _create(world, start, end, **fields):
    parcours = world["parcours"]
    fields.setdefault("format", "visio")
    return services.create_session(
        programme=parcours.programme,
        acting_user=world["coordinator"],
        kind=parcours.kind,
        title=fields.pop("title", "Séminaire"),
        starts_at=start,
        ends_at=end,
        **fields,
    )


def _times(session):
    return [
        (row.morning_starts, row.morning_ends, row.afternoon_starts, row.afternoon_ends)
        for row in SessionDay.objects.filter(session=session).order_by("day")
    ]


def test_a_day_session_splits_around_the_organisation_lunch(world):
    day = world["day"]
    with scope(organisation=world["organisation"].pk):
        session = _create(world, _aware(day, 9, 30), _aware(day, 17))
        assert _times(session) == [(time(9, 30), time(12, 30), time(13, 30), time(17))]
        slots = half_days(session, PARIS)
    assert [slot.hours for slot in slots] == [3, 3.5]


def test_a_short_visio_is_one_morning(world):
    day = world["day"]
    with scope(organisation=world["organisation"].pk):
        session = _create(world, _aware(day, 10), _aware(day, 12))
        assert _times(session) == [(time(10), time(12), None, None)]
        afternoon = _create(world, _aware(day, 14), _aware(day, 16), title="Webinaire")
        assert _times(afternoon) == [(None, None, time(14), time(16))]


def test_the_day_agenda_prefills_the_times(world):
    day = world["day"]
    with scope(organisation=world["organisation"].pk):
        session = _create(world, _aware(day, 9), _aware(day, 18))
        for start, end, kind in [
            (time(9, 15), time(12, 15), "plenary"),
            (time(12, 15), time(13, 45), "break"),
            (time(13, 45), time(17, 45), "plenary"),
        ]:
            item = AgendaItemFactory.build(
                session=session, start_time=start, end_time=end, kind=kind
            )
            services.save_agenda_item(item=item, acting_user=world["coordinator"])
        assert _times(session) == [(time(9, 15), time(12, 15), time(13, 45), time(17, 45))]


def _change(day, ms=None, me=None, as_=None, ae=None):
    return services.DayChange(day, ms, me, as_, ae)


def test_custom_half_days_give_the_real_hours(world):
    day = world["day"]
    with scope(organisation=world["organisation"].pk):
        session = _create(world, _aware(day, 9), _aware(day, 17, 45))
        services.save_session_days(
            session=session,
            acting_user=world["coordinator"],
            changes=[_change(day, time(9), time(12, 15), time(13, 45), time(17, 45))],
        )
        slots = half_days(session, PARIS)
    assert [slot.hours for slot in slots] == [3.25, 4]
    assert sum(slot.hours for slot in slots) == 7.25
    assert slots[0].starts_at == _aware(day, 9)
    assert slots[1].ends_at == _aware(day, 17, 45)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ((time(12), time(9), time(13, 30), time(17)), "0-morning_ends", "doit suivre"),
        ((time(9), time(12, 30), time(17), time(16)), "0-afternoon_ends", "doit suivre"),
        ((time(9), time(14), time(13), time(17)), "0-afternoon_starts", "avant la fin"),
        ((time(8), time(12), time(13), time(17)), "0-morning_starts", "commence à 9 h"),
        ((time(9), time(12), time(13), time(18)), "0-afternoon_ends", "finit à 17 h"),
        ((None, None, None, None), "0-morning_starts", "au moins une"),
    ],
)
def test_wrong_times_are_refused_and_nothing_is_saved(world, change, field, message):
    day = world["day"]
    with scope(organisation=world["organisation"].pk):
        session = _create(world, _aware(day, 9), _aware(day, 17))
        before = _times(session)
        with pytest.raises(ValidationError) as error:
            services.save_session_days(
                session=session,
                acting_user=world["coordinator"],
                changes=[_change(day, *change)],
            )
        assert message in " ".join(error.value.message_dict[field])
        assert _times(session) == before


def test_edited_days_are_kept_when_only_the_title_changes(world):
    day = world["day"]
    with scope(organisation=world["organisation"].pk):
        session = _create(world, _aware(day, 9), _aware(day, 17, 45))
        custom = (time(9), time(12, 15), time(13, 45), time(17, 45))
        services.save_session_days(
            session=session, acting_user=world["coordinator"], changes=[_change(day, *custom)]
        )
        services.update_session(session=session, acting_user=world["coordinator"], title="Autre")
        assert _times(session) == [custom]
        # Moved a week later: the edited day no longer exists, new defaults.
        services.update_session(
            session=session,
            acting_user=world["coordinator"],
            starts_at=_aware(day + timedelta(days=7), 9),
            ends_at=_aware(day + timedelta(days=7), 17, 45),
        )
        rows = list(SessionDay.objects.filter(session=session))
    assert [row.day for row in rows] == [day + timedelta(days=7)]
    assert rows[0].afternoon_ends == time(17, 45)
    assert rows[0].morning_ends == time(12, 30)


def test_a_two_day_session_has_two_rows(world):
    day = world["day"]
    with scope(organisation=world["organisation"].pk):
        session = _create(world, _aware(day, 9, 30), _aware(day + timedelta(days=1), 17))
        assert len(_times(session)) == 2
        assert sum(slot.hours for slot in half_days(session, PARIS)) == 13


def test_a_session_without_rows_is_cut_the_default_way(world):
    day = world["day"]
    with scope(organisation=world["organisation"].pk):
        session = SessionFactory(
            programme=world["parcours"].programme,
            kind=world["parcours"].kind,
            starts_at=_aware(day, 9, 30),
            ends_at=_aware(day, 17),
        )
        with scopes_disabled():
            SessionDay.objects.filter(session=session).delete()
        session.refresh_from_db()
        assert [slot.hours for slot in half_days(session, PARIS)] == [3, 3.5]


def _days_url(world, session):
    return reverse("parcours:session_days", args=[world["organisation"].slug, session.pk])


def _post(day, ms="", me="", as_="", ae="", **extra):
    data = {
        "jours-TOTAL_FORMS": "1",
        "jours-INITIAL_FORMS": "1",
        "jours-MIN_NUM_FORMS": "0",
        "jours-MAX_NUM_FORMS": "62",
        "jours-0-day": day.isoformat(),
        "jours-0-morning_starts": ms,
        "jours-0-morning_ends": me,
        "jours-0-afternoon_starts": as_,
        "jours-0-afternoon_ends": ae,
    }
    data.update({f"jours-0-{key}": value for key, value in extra.items()})
    return data


def test_the_times_page_saves_and_the_session_page_shows_them(client, world):
    day = world["day"]
    with scope(organisation=world["organisation"].pk):
        session = _create(world, _aware(day, 9), _aware(day, 17, 45))
    client.force_login(world["coordinator"])
    page = client.get(_days_url(world, session))
    assert page.status_code == 200
    assert "Pas de matinée" in page.content.decode()
    response = client.post(
        _days_url(world, session), _post(day, "09:30", "12:15", "13:45", "17:45")
    )
    assert response.status_code == 302
    detail = client.get(
        reverse("parcours:session_detail", args=[world["organisation"].slug, session.pk])
    ).content.decode()
    assert "9 h 30 – 12 h 15 · 13 h 45 – 17 h 45" in detail
    assert "J1 — " in detail
    assert "7 h" in detail


def test_the_times_page_shows_errors_next_to_the_field(client, world):
    day = world["day"]
    with scope(organisation=world["organisation"].pk):
        session = _create(world, _aware(day, 9), _aware(day, 17))
    client.force_login(world["coordinator"])
    response = client.post(
        _days_url(world, session), _post(day, "09:00", "14:00", "13:00", "17:00")
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'aria-describedby="id_jours-0-afternoon_starts_error"' in body
    assert "avant la fin de la matinée" in body
    # « Pas d'après-midi »: the afternoon times are dropped.
    response = client.post(
        _days_url(world, session), _post(day, "09:00", "12:00", "13:00", "17:00", no_afternoon="on")
    )
    assert response.status_code == 302
    with scope(organisation=world["organisation"].pk):
        assert _times(session) == [(time(9), time(12), None, None)]


def test_only_coordinators_reach_the_times_page(client, world):
    day = world["day"]
    with scope(organisation=world["organisation"].pk):
        session = _create(world, _aware(day, 9), _aware(day, 17))
    client.force_login(world["trainer"])
    assert client.get(_days_url(world, session)).status_code in (403, 404)
