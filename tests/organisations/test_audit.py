"""The journal's actions: stable keys in the rows, labels looked up in code
(``organisations.audit``), and the migration that turned the old sentences into keys."""

import importlib
import re
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse
from django_scopes import scopes_disabled

from candidatures.actions import Action as CandidaturesAction
from organisations.audit import action_label, action_labels, known_labels
from organisations.models import AuditEntry
from presences.actions import Action as PresencesAction
from tests.factories import MembershipFactory, OrganisationFactory

migration = importlib.import_module("organisations.migrations.0002_audit_action_keys")

KEY = re.compile(r"^(?P<app>[a-z]+)\.[a-z_]+\.[a-z_]+$")


def test_every_key_is_app_object_verb_and_declared_by_its_own_app():
    declared = {}
    for receiver, labels in action_labels.send(sender=None):
        app = receiver.__module__.split(".")[0]
        assert receiver.__module__ == f"{app}.actions"
        for key in labels:
            match = KEY.match(key)
            assert match, key
            assert match["app"] == app, key
            assert key not in declared, key
            declared[key] = labels[key]
    assert len(set(map(str, declared.values()))) == len(declared)  # no two alike
    assert {"organisations", "parcours", "candidatures", "sondages", "presences"} <= {
        key.split(".")[0] for key in declared
    }
    assert known_labels() == {key: str(label) for key, label in declared.items()}


def test_a_label_is_looked_up_and_an_unknown_key_is_shown_as_it_is():
    assert CandidaturesAction.APPLICATION_DECIDED == "candidatures.application.decided"
    assert action_label("candidatures.application.decided") == "décision sur une candidature"
    assert action_label("presences.sheet.validated") == "feuille d'émargement validée"
    assert action_label("ancienne.action.inconnue") == "ancienne.action.inconnue"


@pytest.mark.django_db
def test_the_journal_shows_the_label_of_a_key_and_an_unknown_key_as_it_is(client):
    coordinator = MembershipFactory(coordinator=True)
    organisation = coordinator.organisation
    with scopes_disabled():
        AuditEntry.objects.create(
            organisation=organisation,
            actor=coordinator.user,
            action=PresencesAction.ATTENDANCE_VALIDATED,
            target="Séance de lancement",
        )
        AuditEntry.objects.create(
            organisation=organisation, action="ancienne.action.retiree", target="Autre"
        )
        assert AuditEntry.objects.filter(action="presences.sheet.validated").count() == 1
    client.force_login(coordinator.user)
    response = client.get(
        reverse("organisations:audit_log", kwargs={"organisation_slug": organisation.slug})
    )
    content = response.content.decode()
    assert "Feuille d&#x27;émargement validée" in content
    assert "presences.sheet.validated" not in content
    assert "Ancienne.action.retiree" in content


def test_the_migration_maps_every_old_sentence_to_a_declared_key_and_back():
    assert len(set(migration.KEYS.values())) == len(migration.KEYS)
    assert set(migration.KEYS.values()) <= set(known_labels())
    assert {key: old for old, key in migration.KEYS.items()} == migration.SENTENCES
    for old, key in migration.KEYS.items():
        assert len(old) <= 80 and len(key) <= 80, key


@pytest.mark.django_db
def test_the_migration_rewrites_old_rows_to_keys_and_back():
    organisation = OrganisationFactory()
    schema_editor = SimpleNamespace(connection=connection)
    with scopes_disabled():
        for action in (
            "décision sur une candidature",
            "feuille d'émargement validée",
            "séance déplacée",
            "membre invité",
            "membre invité",
            "une action que personne n'a déclarée",
        ):
            AuditEntry.objects.create(organisation=organisation, action=action)

        def actions():
            return sorted(AuditEntry.objects.values_list("action", flat=True))

        migration.to_keys(apps, schema_editor)
        assert actions() == [
            "candidatures.application.decided",
            "organisations.member.invited",
            "organisations.member.invited",
            "parcours.session.moved",
            "presences.sheet.validated",
            "une action que personne n'a déclarée",
        ]
        migration.to_keys(apps, schema_editor)  # a second run changes nothing
        assert actions()[0] == "candidatures.application.decided"
        migration.to_sentences(apps, schema_editor)
        assert actions() == [
            "décision sur une candidature",
            "feuille d'émargement validée",
            "membre invité",
            "membre invité",
            "séance déplacée",
            "une action que personne n'a déclarée",
        ]
