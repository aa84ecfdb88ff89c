"""The hostile-input walk: every form of every tenant page, found by reading the page
itself, posted back with hostile values (numbers past any integer column, very long
texts, control characters and line breaks, HTML, impossible dates, unknown choices, the
wrong types). Each answer must be a page (200/400 with errors, 403/404/405/409/429) or
a redirect: never a 500.

Forms are read from the HTML with the standard library's parser: ``<form method=post>``
and its ``input``, ``select`` and ``textarea`` fields. Hidden fields keep their value
(the CSRF token, the half-day being recorded…), a file field gets a text file posing
as a PDF.
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.core.files.uploadedfile import SimpleUploadedFile

HUGE_NUMBER = "99999999999999999999999"
LONG_TEXT = "Zéphyr " * 40_000  # 280 000 characters
CONTROL = "Titre\r\nBcc: pirate@exemple.fr\x00\x1b[31m"
HTML = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@dataclass
class FoundForm:
    action: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (name, kind, value)


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[FoundForm] = []
        self._current: FoundForm | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            if (attributes.get("method") or "get").lower() == "post":
                self._current = FoundForm(action=attributes.get("action") or "")
                self.forms.append(self._current)
            else:
                self._current = None
            return
        if self._current is None or not attributes.get("name"):
            return
        name = attributes["name"]
        if tag == "input":
            kind = (attributes.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset"):
                if kind == "submit" and attributes.get("value"):
                    self._current.fields.append((name, "submit", attributes["value"]))
                return
            self._current.fields.append((name, kind, attributes.get("value") or ""))
        elif tag == "select":
            self._current.fields.append((name, "select", ""))
        elif tag == "textarea":
            self._current.fields.append((name, "textarea", ""))
        elif tag == "button" and attributes.get("value"):
            self._current.fields.append((name, "submit", attributes["value"]))

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def post_forms(html: str) -> list[FoundForm]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


def hostile_values(form: FoundForm, round_: int) -> dict:
    """One of several hostile fillings of ``form`` (``round_`` picks which)."""
    data: dict = {}
    for name, kind, value in form.fields:
        if kind in ("hidden", "submit"):
            data.setdefault(name, value)
        elif kind == "file":
            data[name] = SimpleUploadedFile(
                "rapport.pdf", b"<html><script>alert(1)</script></html>", "application/pdf"
            )
        elif kind == "number":
            data[name] = [HUGE_NUMBER, "-1", "douze", "1e400"][round_ % 4]
        elif kind in ("date", "datetime-local", "time", "month"):
            data[name] = ["2027-13-45", "31/02/2027", "9999-99-99T99:99", "x"][round_ % 4]
        elif kind == "email":
            data[name] = ["pas une adresse", "a@b.c\r\nBcc: x@y.z", LONG_TEXT, HTML][round_ % 4]
        elif kind in ("checkbox", "radio"):
            data[name] = ["on", "999999999", HTML, HUGE_NUMBER][round_ % 4]
        elif kind == "select":
            data[name] = ["999999999", HUGE_NUMBER, HTML, "-1"][round_ % 4]
        else:  # text, textarea, url, search, tel, password, color…
            data[name] = [LONG_TEXT, CONTROL, HTML, HUGE_NUMBER][round_ % 4]
    return data
