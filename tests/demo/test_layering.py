"""The demo data sit above every app: no domain app imports them."""

import ast
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parent.parent.parent


def test_no_domain_app_imports_the_demo():
    ours = [
        config
        for config in apps.get_app_configs()
        if Path(config.path).parent == ROOT and config.name != "demo"
    ]
    assert {"organisations", "parcours", "evaluation", "sillon"} <= {c.name for c in ours}
    offenders = []
    for config in ours:
        for path in Path(config.path).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0:
                    names = [node.module or ""]
                else:
                    continue
                if any(name == "demo" or name.startswith("demo.") for name in names):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_the_demo_is_the_last_app_and_no_module_is_too_long():
    assert list(apps.get_app_configs())[-1].name == "demo"
    for path in (ROOT / "demo").rglob("*.py"):
        assert len(path.read_text().splitlines()) <= 800, path
