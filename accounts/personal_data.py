"""Registries through which each app describes the personal data it holds about a user.

Accounts is the lowest app and must not import the others; they register here in their
``AppConfig.ready()``:

* an **exporter** returns a JSON-serialisable section of "download my data";
* a **deletion blocker** returns the French reasons why an account cannot be deleted yet
  (for instance: the person is the last coordinator of an organisation).
"""

from collections.abc import Callable
from typing import Any

Exporter = Callable[[Any], Any]
Blocker = Callable[[Any], list[str]]

_exporters: dict[str, Exporter] = {}
_blockers: list[Blocker] = []


def register_exporter(section: str, exporter: Exporter) -> None:
    _exporters[section] = exporter


def register_deletion_blocker(blocker: Blocker) -> None:
    if blocker not in _blockers:
        _blockers.append(blocker)


def exporters() -> dict[str, Exporter]:
    return dict(_exporters)


def deletion_blockers(user) -> list[str]:
    reasons: list[str] = []
    for blocker in _blockers:
        reasons.extend(blocker(user))
    return reasons
