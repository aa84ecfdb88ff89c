"""House rules that are easy to forget, checked on the whole code base."""

import ast
from pathlib import Path

from django.apps import apps
from django_scopes.manager import DisabledQuerySet

from tests.security.sweep import tenant_urls

ROOT = Path(__file__).resolve().parent.parent
OUR_APPS = {"accounts", "organisations", "territoires", "parcours", "evaluation", "notifications"}
# Workflow models whose state must only change in their app's services (a services.py
# module or a services/ package).
WORKFLOW_MODELS = {
    "DatePoll",
    "Slot",
    "Vote",
    "PollComment",
    "AttendanceSheet",
    "SheetParticipant",
    "Attendance",
    "AttendanceChange",
    "Document",
    "Membership",
    "Invitation",
    "AuditEntry",
    "Programme",
    "Session",
    "SessionRegistration",
    "WorkshopRegistration",
    "TeamMember",
    "CalendarFeed",
    "OutboxMessage",
    "Notification",
    "ReminderLog",
    "Preference",
    "SuppressedAddress",
    "Questionnaire",
    "QuestionnaireVersion",
    "Campaign",
    "AutomaticCampaign",
    "CampaignReminder",
    "Response",
    "Answer",
    "AnswerChange",
    "Participation",
    "EngagementText",
    "Signature",
    "Call",
    "CallAttachment",
    "ScoringCriterion",
    "Application",
    "ApplicationMember",
    "ApplicationEvent",
    "Review",
    "ReviewScore",
    "TeamInvitation",
    "Team",
}


def our_models():
    return [m for m in apps.get_models() if m._meta.app_label in OUR_APPS]


def test_every_tenant_model_has_an_organisation_and_a_scoped_manager():
    tenant_models = [
        m for m in our_models() if any(f.name == "organisation" for f in m._meta.fields)
    ]
    assert tenant_models
    for model in tenant_models:
        assert model._meta.get_field("organisation").related_model._meta.label == (
            "organisations.Organisation"
        ), model
        # Outside a scope the default manager refuses to query.
        assert isinstance(model._default_manager.get_queryset(), DisabledQuerySet), model


def test_models_without_organisation_are_known_globals():
    globals_ = {
        m._meta.label
        for m in our_models()
        if not any(f.name == "organisation" for f in m._meta.fields)
    }
    assert globals_ == {
        "accounts.User",
        "organisations.Organisation",
        "territoires.Territory",
        "parcours.CalendarFeed",
        "notifications.Preference",
        "notifications.UnsubscribeKey",
        "notifications.SuppressedAddress",
    }


def test_every_tenant_url_goes_through_organisation_view():
    for url in tenant_urls():
        assert hasattr(url.callback, "sillon_permission"), (
            f"{url.route} is not decorated with organisations.access.organisation_view"
        )


def test_no_save_on_workflow_models_outside_services():
    offenders = []
    for path in ROOT.glob("*/**/*.py"):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in {".venv", "node_modules", "tests", "bench"}:
            continue
        if "migrations" in relative.parts or "services" in relative.parts:
            continue
        if path.name in {"services.py", "factories.py"}:
            continue
        if relative.parts[0] not in OUR_APPS | {"sillon"}:
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Attribute)
                and node.func.attr in {"create", "update", "delete", "get_or_create"}
                and node.func.value.attr == "objects"
                and isinstance(node.func.value.value, ast.Name)
                and node.func.value.value.id in WORKFLOW_MODELS
            ):
                offenders.append(f"{relative}:{node.lineno}")
    # The demos seed rows directly (past answers cannot go through the services, which
    # refuse closed campaigns): demo data, not a workflow.
    allowed = {
        "organisations/demo.py",
        "evaluation/demo.py",
        "parcours/demo_calls.py",
        "parcours/demo_coaching.py",
    }
    assert [o for o in offenders if o.split(":")[0] not in allowed] == []
