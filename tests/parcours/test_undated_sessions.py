"""Sessions « date à confirmer »: only a phase or a target month, shown as such, never
at a made-up date; kept out of feeds, convocations and attendance until dated."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from icalendar import Calendar

from parcours import services
from parcours.models import Session, SessionDay
from parcours.services.convocations import resend_convocations
from presences.halfdays import half_days
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PhaseFactory,
    SessionFactory,
    _aware,
    build_programme,
)
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    organisation = OrganisationFactory(slug="hdf")
    coordinator = MembershipFactory(organisation=organisation, coordinator=True).user
    with scope(organisation=organisation.pk):
        parcours = build_programme(organisation=organisation, teams=2)
        phase = PhaseFactory(programme=parcours.programme, name="Diagnostic")
        with scopes_disabled():
            member = parcours.teams[0].members.first().user
    target = (timezone.localdate() + timedelta(days=70)).replace(day=1)
    return {
        "organisation": organisation,
        "coordinator": coordinator,
        "member": member,
        "parcours": parcours,
        "phase": phase,
        "target": target,
    }


def _undated(world, **fields):
    parcours = world["parcours"]
    fields.setdefault("target_month", world["target"])
    fields.setdefault("status", Session.Status.TENTATIVE)
    return services.create_session(
        programme=parcours.programme,
        acting_user=world["coordinator"],
        kind=parcours.kind,
        title=fields.pop("title", "Comité de suivi"),
        format="visio",
        starts_at=None,
        ends_at=None,
        **fields,
    )


def _url(name, world, *args):
    return reverse(f"parcours:{name}", args=[world["organisation"].slug, *args])


def test_an_undated_session_needs_a_phase_or_month_and_stays_tentative(world):
    with scope(organisation=world["organisation"].pk):
        session = _undated(world, target_month=date(2027, 3, 17))
        assert session.target_month == date(2027, 3, 1)
        assert not SessionDay.objects.filter(session=session).exists()
        assert half_days(session, None) == []
        with pytest.raises(ValidationError) as error:
            _undated(world, target_month=None)
        assert "phase ou un mois visé" in " ".join(error.value.message_dict["starts_at"])
        with pytest.raises(ValidationError) as error:
            _undated(world, status=Session.Status.SCHEDULED)
        assert "à confirmer" in " ".join(error.value.message_dict["starts_at"])
        assert _undated(world, target_month=None, phase=world["phase"]).phase == world["phase"]


def test_the_timeline_shows_date_a_confirmer_in_its_month(client, world):
    with scope(organisation=world["organisation"].pk):
        _undated(world, title="Comité de suivi n°2")
        _undated(world, title="Bilan de phase", target_month=None, phase=world["phase"])
    client.force_login(world["coordinator"])
    page = client.get(_url("timeline", world, world["parcours"].programme.pk)).content.decode()
    assert "Comité de suivi n°2, Date à confirmer (" in page
    assert "Bilan de phase, Date à confirmer (phase Diagnostic)" in page
    assert "is-undated" in page
    listing = client.get(_url("session_list", world, world["parcours"].programme.pk))
    assert "Date à confirmer" in listing.content.decode()
    month = client.get(
        _url("month", world, world["parcours"].programme.pk),
        {"mois": world["target"].strftime("%Y-%m")},
    ).content.decode()
    assert "Comité de suivi n°2" in month
    assert "Date à confirmer, prévues en" in month


def test_undated_sessions_stay_out_of_feeds_and_convocations(client, world):
    with scope(organisation=world["organisation"].pk):
        session = _undated(world, title="Séance sans date")
        SessionFactory(
            programme=world["parcours"].programme, kind=world["parcours"].kind, title="Datée"
        )
        feed = services.calendar_feed_for(world["member"])
        with pytest.raises(ValidationError) as error:
            resend_convocations(session=session, acting_user=world["coordinator"])
        assert "reste à confirmer" in error.value.messages[0]
    calendar = Calendar.from_ical(client.get(reverse("calendar_feed", args=[feed.token])).content)
    titles = [str(event["summary"]) for event in calendar.walk("VEVENT")]
    assert "Datée" in titles
    assert "Séance sans date" not in titles
    client.force_login(world["member"])
    assert client.get(_url("session_ics", world, session.pk)).status_code == 404
    page = client.get(_url("session_detail", world, session.pk)).content.decode()
    assert "Date à confirmer (" in page
    assert "Ajouter à mon agenda" not in page


def test_the_session_form_leaves_the_date_empty_only_when_tentative(client, world):
    client.force_login(world["coordinator"])
    data = {
        "title": "Comité pédagogique",
        "kind": world["parcours"].kind.pk,
        "phase": "",
        "format": "visio",
        "status": "scheduled",
        "start_date": "",
        "start_time": "",
        "end_date": "",
        "end_time": "",
        "target_month": "",
        "date_note": "",
        "place": "",
        "visio_url": "",
        "capacity": "",
        "objectives": "",
        "content": "",
        "audience": "cohort",
        "expected_presence": "wished",
        "expected_role": "",
    }
    target = _url("session_create", world, world["parcours"].programme.pk)
    page = client.post(target, data).content.decode()
    assert "Indiquez la date de début, ou choisissez « À confirmer »" in page
    page = client.post(target, {**data, "status": "tentative"}).content.decode()
    assert "au moins une phase ou un mois visé" in page
    response = client.post(target, {**data, "status": "tentative", "target_month": "2027-03"})
    assert response.status_code == 302
    with scopes_disabled():
        session = Session.objects.get(title="Comité pédagogique")
    assert session.starts_at is None and session.target_month == date(2027, 3, 1)
    edit = client.get(_url("session_edit", world, session.pk)).content.decode()
    assert 'value="2027-03"' in edit


def test_individual_sessions_without_a_date_are_undated_then_a_date_dates_them(world):
    with scope(organisation=world["organisation"].pk):
        created = services.generate_individual_sessions(
            programme=world["parcours"].programme,
            acting_user=world["coordinator"],
            kind=world["parcours"].individual_kind,
            title="Accompagnement n°1",
            format="visio",
            phase=world["phase"],
        )
        assert len(created) == 2
        assert all(session.starts_at is None for session in created)
        day = timezone.localdate() + timedelta(days=40)
        session = services.update_session(
            session=created[0],
            acting_user=world["coordinator"],
            starts_at=_aware(day, 9),
            ends_at=_aware(day + timedelta(days=1), 17),
        )
        assert SessionDay.objects.filter(session=session).count() == 2


def test_list_pages_run_constant_queries_with_undated_sessions(client, world):
    client.force_login(world["coordinator"])
    programme = world["parcours"].programme

    def add_rows(count):
        with scope(organisation=world["organisation"].pk):
            for index in range(count):
                SessionFactory(programme=programme, kind=world["parcours"].kind)
                _undated(world, title=f"À dater {index}")

    assert_constant_queries(client, _url("timeline", world, programme.pk), add_rows, (2, 6))
    assert_constant_queries(client, _url("session_list", world, programme.pk), add_rows, (2, 6))


def test_an_individual_session_may_last_two_full_days(client, world):
    client.force_login(world["coordinator"])
    day = timezone.localdate() + timedelta(days=30)
    response = client.post(
        _url("individual_sessions", world, world["parcours"].programme.pk),
        {
            "kind": world["parcours"].individual_kind.pk,
            "title": "Immersion",
            "format": "presentiel",
            "date": day.isoformat(),
            "end_date": (day + timedelta(days=1)).isoformat(),
            "target_month": "",
            "start_time": "09:00",
            "duration": "480",
            "place": "",
            "visio_url": "",
            "objectives": "",
            "phase": "",
            "expected_presence": "wished",
            "expected_role": "",
        },
    )
    assert response.status_code == 302
    with scope(organisation=world["organisation"].pk):
        session = Session.objects.filter(title__startswith="Immersion").first()
        assert session.ends_at - session.starts_at == timedelta(days=1, hours=8)
        slots = half_days(session, None)
    assert len(slots) == 4
    assert sum(slot.hours for slot in slots) == 14  # 9 h – 17 h, lunch 12 h 30 – 13 h 30
