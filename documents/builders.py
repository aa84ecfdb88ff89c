"""Builders: one function per document kind, turning a ``Document`` row into a file.

A builder is ``build(document, progress) -> Built``. ``progress(done, total)`` writes
the advancement to the row (the page's progress bar) and may be called as often as
wanted; the builder writes its output to ``Built.path`` (a temporary file the pipeline
then stores and removes), never to the row's ``file`` itself. Each kind's builder is
contributed to ``documents.extensions.document_builders``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Built:
    path: Path
    filename: str
    content_type: str


class BuildError(Exception):
    """A failure to show the user as it is (a French sentence), e.g. « Cette personne
    n'a assisté à aucune séance. »"""


Builder = Callable[..., Built]


def builders() -> dict[str, Builder]:
    """The builder of each kind, as contributed to
    ``documents.extensions.document_builders`` (a later contribution naming a kind
    replaces an earlier one)."""
    # Imported here: the point's module imports the builders, which import this module.
    from documents.extensions import document_builders

    found: dict[str, Builder] = {}
    for contributed in document_builders.collect():
        found.update(contributed)
    return found


def get_builder(kind: str) -> Builder:
    return builders()[kind]
