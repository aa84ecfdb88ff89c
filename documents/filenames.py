"""File names of generated documents: ASCII only (every mail client, every ZIP tool and
every file system reads them alike), no path separator nor character a system refuses,
and unique within one archive."""

import re
import unicodedata

_UNSAFE = re.compile(r"[^A-Za-z0-9 ._\'(),&+-]+")
_SPACES = re.compile(r"\s+")
MAX_STEM = 120
# Punctuation that has an ASCII look-alike (the rest of what is not ASCII is dropped).
_LOOK_ALIKES = str.maketrans(
    {
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u2018": "'",
        "\u2019": "'",
        "\u00a0": " ",
        "\u202f": " ",
        "\u00b7": "",  # « élu·e » → « elue »
    }
)


def ascii_filename(stem: str, extension: str, *, fallback: str = "document") -> str:
    """« Attestation - Lea Muller.pdf » from « Attestation - Léa Müller » and « pdf »."""
    text = (
        unicodedata.normalize("NFKD", stem.translate(_LOOK_ALIKES))
        .encode("ascii", "ignore")
        .decode()
    )
    text = _SPACES.sub(" ", _UNSAFE.sub(" ", text)).strip(" .-")
    text = text[:MAX_STEM].rstrip(" .-") or fallback
    return f"{text}.{extension}"


class UniqueNames:
    """Hands out each file name once: a second « X.pdf » becomes « X (2).pdf »."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def __call__(self, filename: str) -> str:
        stem, dot, extension = filename.rpartition(".")
        if not dot:
            stem, extension = filename, ""
        candidate, number = filename, 1
        while candidate.casefold() in self._taken:
            number += 1
            candidate = f"{stem} ({number}){dot}{extension}"
        self._taken.add(candidate.casefold())
        return candidate
