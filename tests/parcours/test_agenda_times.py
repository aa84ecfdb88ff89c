"""Agenda items « toute la journée » or without an end; an empty start is never filled
in silently (the add form used to come back with the previous item's end, 17 h)."""

from datetime import time

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled

from parcours import services
from parcours.days import _agenda_times
from parcours.models import AgendaItem
from tests.factories import AgendaItemFactory
from tests.parcours.manage import conftest as manage
from tests.parcours.manage.conftest import url

pytestmark = pytest.mark.django_db
coordinator_client = manage.coordinator_client  # the manage tests' fixture
world = manage.world  # the manage tests' fixture

BASE = {"day": "1", "kind": "plenary", "title": "Stand des partenaires", "description": ""}


def _add(client, world, **data):
    return client.post(
        url("parcours:agenda_edit", world, session_id=world.session.pk),
        {**BASE, "speakers": "", "room": "", **data},
    )


def test_the_add_form_suggests_no_time(coordinator_client, world):
    with scopes_disabled():
        AgendaItemFactory(session=world.session, start_time="16:00", end_time="17:00")
    form = coordinator_client.get(
        url("parcours:agenda_edit", world, session_id=world.session.pk)
    ).context["form"]
    assert form.initial.get("start_time") is None
    assert form["start_time"].value() in (None, "")


def test_an_empty_start_is_refused_in_french(coordinator_client, world):
    response = _add(coordinator_client, world, start_time="", end_time="")
    assert response.status_code == 200
    assert response.context["form"].errors["start_time"] == [
        "Indiquez l'heure de début, ou cochez « Toute la journée »."
    ]
    with scopes_disabled():
        assert not AgendaItem.objects.filter(title="Stand des partenaires").exists()


def test_an_all_day_item_is_saved_without_times_and_shown_first(coordinator_client, world):
    response = _add(coordinator_client, world, all_day="on", start_time="", end_time="")
    assert response.status_code == 302
    with scopes_disabled():
        item = AgendaItem.objects.get(title="Stand des partenaires")
        assert item.start_time is None and item.end_time is None
        assert AgendaItem.objects.filter(session=world.session).first() == item
    page = coordinator_client.get(
        url("parcours:session_detail", world, session_id=world.session.pk)
    ).content.decode()
    assert "Toute la journée" in page


def test_an_all_day_item_with_times_or_a_workshop_round_is_refused(coordinator_client, world):
    response = _add(coordinator_client, world, all_day="on", start_time="14:00", end_time="")
    assert "n'a pas d'heures" in response.context["form"].errors["all_day"][0]
    response = _add(coordinator_client, world, all_day="on", kind="workshops")
    assert "a une heure de début" in response.context["form"].errors["all_day"][0]


def test_an_item_without_end_reads_from_its_start(coordinator_client, world):
    _add(coordinator_client, world, start_time="14:00", end_time="")
    with scopes_disabled():
        item = AgendaItem.objects.get(title="Stand des partenaires")
    assert item.time_label == "à partir de 14 h"
    page = coordinator_client.get(
        url("parcours:session_detail", world, session_id=world.session.pk)
    ).content.decode()
    assert "à partir de 14 h" in page


def test_the_service_refuses_a_missing_start(world):
    with scopes_disabled():
        item = AgendaItem(session=world.session, title="Sans heure", day=1)
        with pytest.raises(ValidationError) as error:
            services.save_agenda_item(item=item, acting_user=world.coordinator)
    assert "start_time" in error.value.message_dict


def test_all_day_items_give_no_time_to_the_day():
    class Item:
        def __init__(self, start, end, kind="plenary"):
            self.start_time, self.end_time, self.kind = start, end, kind

    opens, closes, _lunch = _agenda_times([Item(None, None), Item(time(10), time(12))])
    assert (opens, closes) == (time(10), time(12))
    assert _agenda_times([Item(None, None)]) is None
