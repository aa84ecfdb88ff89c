"""The data tables of a synthesis: what a page shows under each chart, what a PDF
prints, and what the CSV/XLSX export downloads — one ``Table`` for the three.

A cell is text, a whole number, ``None`` (written « — ») or a ``Percent`` (written
« 92,7 % » on a page, exported as the number 92.7).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sillon.figures import NONE
from sillon.figures import percent as format_percent


@dataclass(frozen=True)
class Percent:
    """A share of 0–1 (None: nothing to compute it on)."""

    share: float | None

    def __str__(self) -> str:
        return format_percent(self.share)

    @property
    def export(self) -> float | None:
        return None if self.share is None else round(self.share * 100, 1)


@dataclass
class Table:
    """``key`` names the table in the export URL (``?table=<key>``)."""

    key: str
    title: str
    headers: Sequence[str]
    rows: list[list] = field(default_factory=list)
    # Columns holding numbers (right-aligned on a page).
    numeric: frozenset[int] = frozenset()
    footer: list | None = None
    # What an empty table says instead of its rows.
    empty: str = ""

    @property
    def display_rows(self) -> list[list[tuple[str, bool]]]:
        """Each cell as (text, numeric) for the templates."""
        return [self._display(row) for row in self.rows]

    @property
    def display_footer(self) -> list[tuple[str, bool]] | None:
        return None if self.footer is None else self._display(self.footer)

    def _display(self, row) -> list[tuple[str, bool]]:
        return [
            (NONE if value is None else str(value), index in self.numeric)
            for index, value in enumerate(row)
        ]

    def export_rows(self) -> list[list]:
        rows = [*self.rows, *([self.footer] if self.footer is not None else [])]
        return [
            [value.export if isinstance(value, Percent) else value for value in row] for row in rows
        ]
