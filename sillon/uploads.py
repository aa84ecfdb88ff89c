"""Checking uploaded files by their content, not by the name or type the browser claims."""

import os
import zipfile

import puremagic
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

IMAGE_TYPES = {"image/png": "PNG", "image/jpeg": "JPEG", "image/webp": "WebP"}


def sniff_mime_type(uploaded) -> str | None:
    head = uploaded.read(2048)
    uploaded.seek(0)
    if not head:
        return None
    try:
        return puremagic.from_string(head, mime=True) or None
    except puremagic.PureError:
        return None


def validate_upload(uploaded, *, allowed: dict[str, str], max_bytes: int) -> None:
    """Refuse a file that is too large or whose content is not one of ``allowed``
    ({mime type: name shown to the user})."""
    if uploaded.size > max_bytes:
        raise ValidationError(
            _("Ce fichier pèse %(size)s ; la limite est de %(limit)s.")
            % {"size": filesizeformat(uploaded.size), "limit": filesizeformat(max_bytes)}
        )
    if sniff_mime_type(uploaded) not in allowed:
        raise ValidationError(
            _("Ce fichier n'est pas au bon format. Formats acceptés : %(formats)s.")
            % {"formats": ", ".join(allowed.values())}
        )


# --- Documents: the type read from the content, agreeing with the extension -----------

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODP = "application/vnd.oasis.opendocument.presentation"
CSV = "text/csv"
TXT = "text/plain"

# {mime type: (name shown to the user, extensions it may carry)}
DOCUMENT_TYPES = {
    PDF: ("PDF", {".pdf"}),
    DOCX: ("Word (.docx)", {".docx"}),
    XLSX: ("Excel (.xlsx)", {".xlsx"}),
    PPTX: ("PowerPoint (.pptx)", {".pptx"}),
    ODT: ("OpenDocument texte (.odt)", {".odt"}),
    ODS: ("OpenDocument tableur (.ods)", {".ods"}),
    ODP: ("OpenDocument présentation (.odp)", {".odp"}),
    "image/png": ("PNG", {".png"}),
    "image/jpeg": ("JPEG", {".jpg", ".jpeg"}),
    "image/webp": ("WebP", {".webp"}),
    CSV: ("CSV", {".csv"}),
    TXT: ("texte (.txt)", {".txt"}),
}
_OOXML_PARTS = {"word/document.xml": DOCX, "xl/workbook.xml": XLSX, "ppt/presentation.xml": PPTX}
_ODF_TYPES = {ODT, ODS, ODP}


def _zip_document_type(uploaded) -> str | None:
    try:
        with zipfile.ZipFile(uploaded) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                declared = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                return declared if declared in _ODF_TYPES else None
            if "[Content_Types].xml" in names:
                for part, mime in _OOXML_PARTS.items():
                    if part in names:
                        return mime
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, RuntimeError):
        return None
    finally:
        uploaded.seek(0)
    return None


def _text_type(head: bytes, extension: str) -> str | None:
    """Plain text only under its own name: anything may decode as text."""
    if extension not in (".csv", ".txt") or b"\x00" in head:
        return None
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut by the 8 KiB window is still text.
        if error.start < len(head) - 4:
            try:
                head.decode("cp1252")
            except UnicodeDecodeError:
                return None
    return CSV if extension == ".csv" else TXT


def sniff_document(uploaded) -> str | None:
    """The document's type read from its content (PDF, office files by the parts of
    their ZIP, images by their signature, plain text), or ``None``."""
    head = uploaded.read(8192)
    uploaded.seek(0)
    if not head:
        return None
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"PK\x03\x04"):
        return _zip_document_type(uploaded)
    return _text_type(head, os.path.splitext(uploaded.name or "")[1].lower())


def validate_document(uploaded, *, max_bytes: int) -> str:
    """The mime type of an uploaded document under ``max_bytes``, read from its content
    and agreeing with its extension; a French ``ValidationError`` otherwise."""
    if uploaded.size > max_bytes:
        raise ValidationError(
            _("Ce fichier pèse %(size)s ; la limite est de %(limit)s.")
            % {"size": filesizeformat(uploaded.size), "limit": filesizeformat(max_bytes)}
        )
    mime = sniff_document(uploaded)
    if mime is None:
        raise ValidationError(
            _("Ce fichier n'est pas au bon format. Formats acceptés : %(formats)s.")
            % {"formats": ", ".join(name for name, _extensions in DOCUMENT_TYPES.values())}
        )
    extension = os.path.splitext(uploaded.name or "")[1].lower()
    name, extensions = DOCUMENT_TYPES[mime]
    if extension not in extensions:
        raise ValidationError(
            _(
                "Le contenu de ce fichier (%(kind)s) ne correspond pas à son extension "
                "« %(extension)s »."
            )
            % {"kind": name, "extension": extension or "—"}
        )
    return mime
