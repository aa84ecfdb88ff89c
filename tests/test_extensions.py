"""The extension points (``sillon.extensions``): every point with who contributes to it,
in the order the pages show the contributions. Adding a point or a contribution, or
moving one, changes this list: a visible change, reviewed with the page it touches."""

import pytest
from django.apps import apps

from sillon import extensions
from sillon.extensions import ExtensionPoint, extension_points

# Point -> its receivers, in the order their contributions are collected (the order of
# INSTALLED_APPS, save an explicit ``order``).
POINTS = {
    "accounts.personal_data": [
        "organisations.extensions.organisations_personal_data",
        "notifications.extensions.notifications_personal_data",
        "parcours.extensions.parcours_personal_data",
        "inscriptions.extensions.registrations_data",
        "sondages.extensions.sondages_personal_data",
        "presences.extensions.presences_personal_data",
        "plans.personal_data.plans_personal_data",
        "ressources.personal_data.library_personal_data",
        "evaluation.extensions.evaluation_personal_data",
        "documents.extensions.documents_personal_data",
    ],
    "accounts.deletion_blockers": [
        "organisations.extensions.last_coordinator",
    ],
    "accounts.pending_invitations": [
        "organisations.extensions.resend_pending_invitations",
        "parcours.extensions.resend_pending_team_invitations",
        "candidatures.extensions.resend_pending_application_invitations",
    ],
    "organisations.action_labels": [
        "organisations.actions.labels",
        "notifications.actions.labels",
        "parcours.actions.labels",
        "candidatures.actions.labels",
        "inscriptions.actions.labels",
        "sondages.actions.labels",
        "presences.actions.labels",
        "plans.actions.labels",
        "codev.actions.labels",
        "ressources.actions.labels",
        "evaluation.actions.labels",
        "documents.actions.labels",
    ],
    "organisations.home_panels": [
        "parcours.extensions.engagement_home_panel",
        "parcours.extensions.upcoming_sessions_home_panel",
        "sondages.extensions.polls_home_panel",
        "plans.extensions.my_plans_home_panel",
        "ressources.extensions.public_resources_home_panel",
        "evaluation.extensions.questionnaires_home_panel",
    ],
    "organisations.navigation": [
        "parcours.extensions.programmes_navigation",
        "ressources.extensions.library_navigation",
        "evaluation.extensions.questionnaires_navigation",
        "documents.extensions.documents_navigation",
        # order=1: « Rappels » stays last, where it was when notifications came last.
        "parcours.extensions.reminders_navigation",
    ],
    "organisations.participations": [
        "parcours.extensions.team_members",
    ],
    "organisations.outbox": [
        "notifications.extensions.organisation_outbox",
    ],
    "notifications.reminder_rules": [
        "parcours.reminders.contribute_reminder_rules",
        "sondages.reminders.contribute_reminder_rules",
        "plans.reminders.contribute_reminder_rules",
        "codev.reminders.contribute_reminder_rules",
        "evaluation.reminders.contribute_reminder_rules",
    ],
    "notifications.message_audiences": [
        "parcours.extensions.team_member_addresses",
        "inscriptions.extensions.registrant_addresses",
    ],
    "parcours.session_panels": [
        "inscriptions.extensions.session_staff_panel",
        "sondages.extensions.poll_session_panel",
        "codev.extensions.session_group_panel",
        "ressources.minutes_extensions.session_minutes_panel",
        "ressources.extensions.session_documents_panel",
        "evaluation.extensions.session_campaigns_panel",
        "documents.extensions.attendance_sheets_panel",
    ],
    "parcours.team_panels": [
        "presences.extensions.attendance_team_panel",
        "plans.extensions.team_plan_panel",
        "codev.extensions.team_groups_panel",
        "ressources.extensions.team_productions_panel",
        "evaluation.extensions.team_progression_panel",
        "documents.extensions.team_attestation_panel",
        "documents.extensions.team_report_panel",
    ],
    "parcours.programme_tabs": [
        "parcours.extensions.engagement_tab",
        "candidatures.extensions.calls_tab",
        "inscriptions.extensions.events_tab",
        "sondages.extensions.polls_tab",
        "presences.extensions.attendance_tab",
        "plans.tabs.plans_tab",
        "codev.extensions.groups_tab",
        "ressources.minutes_extensions.minutes_tab",
        "ressources.extensions.programme_resources_tab",
        "evaluation.extensions.evaluation_tabs",
        "documents.extensions.synthesis_tab",
    ],
    "parcours.registration_panels": [
        "inscriptions.extensions.session_event_panel",
    ],
    "parcours.next_steps": [
        "sondages.extensions.answer_poll_next_step",
    ],
    "parcours.programme_copied": [
        "ressources.extensions.copy_session_documents",
        "evaluation.extensions.copy_programme_campaigns",
    ],
    "parcours.catalogue_figures": [
        "evaluation.extensions.catalogue_satisfaction",
    ],
    "candidatures.call_panels": [
        "ressources.extensions.call_documents_panel",
        "evaluation.extensions.call_questionnaires_panel",
    ],
    "candidatures.call_public_panels": [
        "ressources.extensions.call_public_documents_panel",
    ],
    "candidatures.application_parts": [
        "evaluation.extensions.call_questionnaires_part",
    ],
    "presences.attendance_dashboard_panels": [
        "documents.extensions.attendance_attestations_panel",
    ],
    "documents.builders": [
        "documents.extensions.attestations_and_sheets",
        "documents.extensions.syntheses",
    ],
}

# Receivers connected with an explicit ``order``: they leave INSTALLED_APPS order.
EXPLICITLY_ORDERED = {"parcours.extensions.reminders_navigation"}


def test_every_extension_point_and_its_contributors():
    found = {name: point.contributors() for name, point in extension_points().items()}
    assert found == POINTS


def test_each_point_is_named_after_the_app_that_declares_it():
    labels = {config.label for config in apps.get_app_configs()}
    for name, point in extension_points().items():
        app, _dot, rest = name.partition(".")
        assert app in labels and rest, name
        assert point.name == name and point.doc


def test_contributions_come_in_the_order_of_installed_apps():
    position = {config.label: index for index, config in enumerate(apps.get_app_configs())}
    for name, point in extension_points().items():
        contributors = point.contributors()
        plain = [c for c in contributors if c not in EXPLICITLY_ORDERED]
        places = [position[c.split(".")[0]] for c in plain]
        assert places == sorted(places), name
        # The explicitly ordered ones (order > 0) come after the others.
        assert contributors[: len(plain)] == plain, name


@pytest.fixture
def declare(monkeypatch):
    """Declare extension points for one test, left out of ``extension_points()`` after."""
    monkeypatch.setattr(extensions, "_points", dict(extensions._points))
    return ExtensionPoint


def test_collect_without_arguments_gives_the_contributions_in_the_order_connected(declare):
    """SillonConfig.ready connects the apps' receivers app by app, in the order of
    INSTALLED_APPS: collect() returns the contributions in that order, an explicit
    ``order`` placing one after the others."""
    point = declare("tests.probe", "A point no app knows.")
    labels = [config.label for config in apps.get_app_configs()]
    point.connect(lambda sender, **kwargs: "last", weak=False, order=1)
    for label in labels:
        point.connect(lambda sender, label=label, **kwargs: label, weak=False)
    assert point.collect() == [*labels, "last"]
    assert len(point.contributors()) == len(labels) + 1


def test_a_receiver_returning_none_contributes_nothing(declare):
    one = declare("tests.one", "One contribution per receiver.")
    one.connect(lambda sender, **kwargs: None, weak=False)
    one.connect(lambda sender, **kwargs: "panel", weak=False)
    assert one.collect() == ["panel"]

    many = declare("tests.many", "Lists, flattened.", many=True)
    many.connect(lambda sender, **kwargs: None, weak=False)
    many.connect(lambda sender, **kwargs: ["a", "b"], weak=False)
    many.connect(lambda sender, **kwargs: [], weak=False)
    assert many.collect() == ["a", "b"]


def test_a_point_is_declared_once(declare):
    declare("tests.twice", "Declared once.")
    with pytest.raises(ValueError, match="declared twice"):
        declare("tests.twice", "Declared again.")


def test_collect_passes_its_arguments_to_the_receivers(declare):
    point = declare("tests.arguments", "Receivers take keyword arguments.")
    point.connect(lambda sender, *, page, **kwargs: f"panel of {page}", weak=False)
    assert point.collect(page="home") == ["panel of home"]


@pytest.mark.django_db
def test_a_coordinator_sees_the_pages_in_the_order_they_always_had():
    """The main navigation and a programme's tabs, as the contributions give them."""
    from django.test import RequestFactory

    from organisations.context_processors import _navigation
    from organisations.models import Role
    from parcours.extensions import programme_tabs
    from tests.factories import MembershipFactory, ProgrammeFactory

    membership = MembershipFactory(coordinator=True)
    organisation = membership.organisation
    keys = [key for _label, _url, key in _navigation(organisation, Role.COORDINATOR)]
    assert keys == [
        "home",
        "programme_list",
        "library",
        "questionnaire_list",
        "my_campaigns",
        "documents",
        "reminders",
        "members",
        "audit",
        "settings",
    ]
    request = RequestFactory().get("/")
    request.user = membership.user
    programme = ProgrammeFactory(organisation=organisation)
    tabs = programme_tabs.collect(request=request, organisation=organisation, programme=programme)
    assert [key for _label, _url, key in tabs] == [
        "engagement",
        "calls",
        "inscriptions",
        "polls",
        "attendance",
        "plans",
        "groups",
        "minutes",
        "ressources",
        "evaluations",
        "satisfaction",
        "progression",
        "synthese",
    ]
