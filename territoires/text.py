"""How names are compared: lower case, no accents, hyphens and apostrophes as spaces, so
« Saint-Étienne-d'Orthe », « saint etienne d orthe » and « ST ETIENNE D'ORTHE » meet."""

import re
import unicodedata

_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss"})
_PUNCTUATION = re.compile(r"[\W_]+")
_NOT_WORD = re.compile(r"[^a-z0-9]+")
# Abbreviations people type for the words official names spell out (and the reverse
# for EPCI, whose official names use the abbreviations).
_QUERY_WORDS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
_QUERY_PHRASES = [
    ("communaute de communes", "cc"),
    ("communaute d agglomeration", "ca"),
    ("communaute urbaine", "cu"),
]


def normalise(name: str) -> str:
    """The searchable form of a name: « Métropole Européenne de Lille » →
    « metropole europeenne de lille », « L'Haÿ-les-Roses » → « l hay les roses »."""
    # Punctuation (’, -, …) becomes spaces first, then accents (combining marks after
    # NFKD) go with anything else outside ASCII.
    text = _PUNCTUATION.sub(" ", name.casefold().translate(_LIGATURES))
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NOT_WORD.sub(" ", text).strip()


def normalise_query(query: str) -> str:
    """``normalise`` plus what a person types for short: « st », « ste » for « saint »,
    « sainte »; « communauté de communes » for the « CC » of official EPCI names."""
    words = [_QUERY_WORDS.get(word, word) for word in normalise(query).split()]
    text = " ".join(words)
    for phrase, short in _QUERY_PHRASES:
        text = re.sub(rf"\b{phrase}\b", short, text)
    return text
