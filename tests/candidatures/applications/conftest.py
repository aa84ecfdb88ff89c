"""Shared world and helpers of the applications tests: one module per group of behaviours."""

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from candidatures import notices, services
from tests.factories import (
    CallFactory,
    MembershipFactory,
    TerritoryFactory,
    UserFactory,
    build_programme,
)


@pytest.fixture
def world():
    """A published open call of a programme with the trinôme roles (élu·e and chargé·e
    de mission required, responsable de service optional), a lead without an application
    yet, an invited person and a signed-in outsider."""
    with scopes_disabled():
        built = build_programme(teams=0)
        built.call = CallFactory(cohort=built.cohort, published=True, slug="ami-2026")
        built.elu, built.charge, built.responsable = built.roles
        built.lead = UserFactory(first_name="Léa", last_name="Porteuse", email="lea@cc.fr")
        built.invitee = UserFactory(first_name="Marc", last_name="Chargé", email="marc@cc.fr")
        built.outsider = UserFactory(first_name="Olga", last_name="Autre", email="olga@ailleurs.fr")
        built.territory = TerritoryFactory(name="Communauté de communes du Bray")
        built.coordinator = MembershipFactory(organisation=built.organisation).user
    return built


def record_calls(monkeypatch, name):
    """Every call the services make to ``candidatures.notices.<name>`` during the test,
    as (first argument, acting_user); the e-mails are written all the same."""
    sent = []
    original = getattr(notices, name)

    def recording(subject, acting_user=None):
        sent.append((subject, acting_user))
        return original(subject, acting_user)

    monkeypatch.setattr(notices, name, recording)
    return sent


@pytest.fixture
def invited(monkeypatch):
    """Every invitation to complete an application: (member, acting_user)."""
    return record_calls(monkeypatch, "send_member_invitation")


@pytest.fixture
def submitted(monkeypatch):
    """Every submission confirmation: (application, acting_user)."""
    return record_calls(monkeypatch, "send_submission_confirmation")


def start(world, **overrides):
    values = {
        "call": world.call,
        "acting_user": world.lead,
        "territory": world.territory,
        "structure": "Communauté de communes du Bray",
        "project_name": "PAT du Bray",
        "project_stage": "construction",
        "project_website": "",
        "role": world.elu,
        "function": "Vice-présidente",
        "phone": "",
    }
    values.update(overrides)
    return services.start_application(**values)


def add(world, application, **overrides):
    values = {
        "application": application,
        "acting_user": world.lead,
        "first_name": "Marc",
        "last_name": "Chargé",
        "email": "marc@cc.fr",
        "role": world.charge,
        "function": "Chargé de mission PAT",
    }
    values.update(overrides)
    return services.add_application_member(**values)


def complete_application(world):
    """A draft with the lead (élu·e) and the invited chargé·e de mission."""
    application = start(world)
    add(world, application)
    return application


def url(name, world, application, *extra):
    return reverse(
        f"candidatures:{name}",
        args=[world.organisation.slug, world.call.slug, application.pk, *extra],
    )
