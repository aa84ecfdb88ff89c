"""Builders: one function per document kind, turning a ``Document`` row into a file.

A builder is ``build(document, progress) -> Built``. ``progress(done, total)`` writes
the advancement to the row (the page's progress bar) and may be called as often as
wanted; the builder writes its output to ``Built.path`` (a temporary file the pipeline
then stores and removes), never to the row's ``file`` itself.
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
_builders: dict[str, Builder] = {}


def register(kind: str) -> Callable[[Builder], Builder]:
    def decorator(function: Builder) -> Builder:
        _builders[kind] = function
        return function

    return decorator


def get_builder(kind: str) -> Builder:
    return _builders[kind]


# The builders of the documents Sillon knows (each module registers its kinds).
from documents import attendance_sheets, attestations  # noqa: E402, F401
