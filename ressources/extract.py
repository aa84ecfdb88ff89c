"""The text of a stored file, for the search: PDF (pypdf), Word, PowerPoint, Excel and
OpenDocument files (their XML read from the ZIP with the standard library), plain text.

Bounded (the first ``MAX_PAGES`` pages, ``MAX_CHARS`` characters, ``MAX_XML_BYTES`` of
uncompressed XML per part, so a ZIP bomb stops early) and never raising: a broken file
gives an empty text and a log line, and the resource stays saved."""

import io
import logging
import re
import zipfile
from xml.etree.ElementTree import XMLPullParser

from sillon import uploads

logger = logging.getLogger(__name__)

MAX_CHARS = 200_000
MAX_PAGES = 200
MAX_XML_BYTES = 20 * 1024 * 1024
CHUNK = 64 * 1024
OFFICE_TYPES = {uploads.DOCX, uploads.PPTX, uploads.XLSX, uploads.ODT, uploads.ODS, uploads.ODP}

_SPACES = re.compile(r"[ \t\r\f\v]+")
_LINES = re.compile(r"\n{3,}")
# Elements closing a paragraph, a cell or a slide's text frame: a line break there.
_BREAKS = {"p", "h", "tr", "row", "si", "br", "tab", "table-row", "line-break"}


def _tidy(text: str) -> str:
    text = _SPACES.sub(" ", text.replace("\x00", ""))
    return _LINES.sub("\n\n", text).strip()[:MAX_CHARS]


def _xml_text(stream, budget: int) -> str:
    """The text nodes of an XML part, in order, read by chunks up to ``budget`` bytes."""
    parser = XMLPullParser(events=("end",))
    parts: list[str] = []
    size = 0
    read = 0
    while read < budget:
        chunk = stream.read(min(CHUNK, budget - read))
        if not chunk:
            break
        read += len(chunk)
        parser.feed(chunk)
        for _event, element in parser.read_events():
            if element.text:
                parts.append(element.text)
                size += len(element.text)
            local = element.tag.rsplit("}", 1)[-1]
            if local in _BREAKS:
                parts.append("\n")
            if element.tail:
                parts.append(element.tail)
            element.clear()
        if size > MAX_CHARS:
            break
    return "".join(parts)


def _zip_parts(archive: zipfile.ZipFile, mime: str) -> list[str]:
    names = archive.namelist()
    if mime == uploads.DOCX:
        return [name for name in names if name == "word/document.xml"]
    if mime == uploads.PPTX:
        slides = [n for n in names if re.fullmatch(r"ppt/slides/slide\d+\.xml", n)]
        return sorted(slides, key=lambda n: int(re.sub(r"\D", "", n) or 0))[:MAX_PAGES]
    if mime == uploads.XLSX:
        return [name for name in names if name == "xl/sharedStrings.xml"]
    return [name for name in names if name == "content.xml"]


def _office_text(data, mime: str) -> str:
    texts: list[str] = []
    total = 0
    with zipfile.ZipFile(data) as archive:
        for name in _zip_parts(archive, mime):
            with archive.open(name) as stream:
                text = _xml_text(stream, MAX_XML_BYTES)
            texts.append(text)
            total += len(text)
            if total > MAX_CHARS:
                break
    return "\n".join(texts)


def _pdf_text(data) -> str:
    from pypdf import PdfReader

    reader = PdfReader(data)
    texts: list[str] = []
    total = 0
    for page in reader.pages[:MAX_PAGES]:
        text = page.extract_text() or ""
        texts.append(text)
        total += len(text)
        if total > MAX_CHARS:
            break
    return "\n".join(texts)


def _plain_text(data) -> str:
    raw = data.read(MAX_CHARS * 4)
    try:
        return raw.decode("utf-8", errors="ignore")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def extract_text(data: bytes | io.IOBase, mime: str) -> str:
    """The searchable text of a file of type ``mime`` (``data``: its bytes or a binary
    file open for reading), or ``""`` for images, unknown types and broken files."""
    if isinstance(data, bytes):
        data = io.BytesIO(data)
    try:
        if mime == uploads.PDF:
            text = _pdf_text(data)
        elif mime in (
            uploads.DOCX,
            uploads.PPTX,
            uploads.XLSX,
            uploads.ODT,
            uploads.ODS,
            uploads.ODP,
        ):
            text = _office_text(data, mime)
        elif mime in (uploads.CSV, uploads.TXT):
            text = _plain_text(data)
        else:
            return ""
    except Exception:  # any broken file: keep the resource, log, no text
        logger.warning("text extraction failed", extra={"mime": mime}, exc_info=True)
        return ""
    return _tidy(text)


__all__ = ["MAX_CHARS", "extract_text"]
