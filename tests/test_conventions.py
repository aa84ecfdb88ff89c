"""House rules that are easy to forget, checked on the whole code base."""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

from django.apps import apps
from django_scopes.manager import DisabledQuerySet

from tests.security.sweep import tenant_urls

ROOT = Path(__file__).resolve().parent.parent
# Every Django app of this repository (the project package ``sillon`` aside).
OUR_APPS = {
    config.label
    for config in apps.get_app_configs()
    if Path(config.path).parent == ROOT and config.label != "sillon"
}
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
    "AttendanceSignature",
    "SheetDay",
    "Document",
    "Attestation",
    "Membership",
    "Invitation",
    "AuditEntry",
    "Programme",
    "Session",
    "SessionRegistration",
    "WorkshopRegistration",
    # inscriptions: open registration.
    "Registrant",
    "WorkshopChoice",
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
    "ScoringCriterion",
    "Application",
    "ApplicationMember",
    "ApplicationEvent",
    "Review",
    "ReviewScore",
    "TeamInvitation",
    "Team",
    "Convocation",
    "Group",
    "GroupMembership",
    "GroupSession",
    "StepNote",
    "Case",
    "CaseDocument",
    "Advice",
    "Commitment",
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
        "notifications.ScanMark",
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
        if relative.parts[0] not in OUR_APPS | {"sillon", "demo"}:
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
        "demo/organisations.py",
        "demo/evaluation.py",
        "demo/calls.py",
        "demo/coaching.py",
    }
    assert [o for o in offenders if o.split(":")[0] not in allowed] == []


def test_our_apps_are_the_rooms_of_the_architecture():
    # docs/architecture.md draws these apps; a new app is added there and here.
    assert {
        "accounts",
        "organisations",
        "notifications",
        "territoires",
        "parcours",
        "candidatures",
        "sondages",
        "presences",
        "evaluation",
        "documents",
        "codev",
    } <= OUR_APPS


MAX_MODULE_LINES = 800


def test_no_module_is_over_800_lines():
    too_long = []
    for path in ROOT.glob("*/**/*.py"):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in {".venv", "node_modules"} or "migrations" in relative.parts:
            continue
        lines = len(path.read_text().splitlines())
        if lines > MAX_MODULE_LINES:
            too_long.append(f"{relative}: {lines}")
    assert too_long == []


def _lint_imports(root: Path) -> subprocess.CompletedProcess:
    executable = Path(sys.executable).with_name("lint-imports")
    return subprocess.run(
        [str(executable), "--no-cache"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        check=False,
    )


def _copy_of_the_code(destination: Path) -> Path:
    """The apps and pyproject.toml (where the contract lives), without tests or assets."""
    for name in ["pyproject.toml", *sorted(OUR_APPS | {"sillon"})]:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(
                source, destination / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        elif source.exists():
            shutil.copy(source, destination / name)
    return destination


def test_the_layers_hold():
    """The import-linter contract of pyproject.toml (also run by ``make lint``)."""
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_layers_contract_catches_an_upward_import_and_a_sibling_import(tmp_path):
    copy = _copy_of_the_code(tmp_path)
    # parcours is below evaluation: it may not import it.
    (copy / "parcours" / "planted.py").write_text("import evaluation.models  # noqa\n")
    result = _lint_imports(copy)
    assert result.returncode == 1
    assert "parcours.planted -> evaluation.models" in result.stdout
    # Siblings never import each other.
    (copy / "parcours" / "planted.py").unlink()
    (copy / "sondages" / "planted.py").write_text("import presences.models  # noqa\n")
    result = _lint_imports(copy)
    assert result.returncode == 1
    assert "sondages.planted -> presences.models" in result.stdout
