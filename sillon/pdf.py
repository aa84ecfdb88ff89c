"""Rendering Django templates to PDF with WeasyPrint, fetching nothing from outside.

The URL fetcher serves only our own static files (through the staticfiles finders, so it
works before ``collectstatic``) and media files (through the default storage: the file
system or the S3 bucket alike). Any other URL — another host, ``file://``, ``data:``
pointing nowhere useful — is refused: WeasyPrint logs the refusal and renders the
document without that resource. A name or a title that contains HTML is escaped by the
template like anywhere else.

An uploaded file goes in a PDF by ``media_src(file)`` (the filter ``pdf_src``), never by
its storage URL, which with S3 is a signed address on another host that the fetcher
refuses.
"""

import mimetypes
import os
import warnings
from urllib.parse import quote, unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation, SuspiciousOperation
from django.core.files.storage import default_storage
from django.template.loader import render_to_string

# A base that can never be fetched: relative URLs in templates resolve under it, and
# the fetcher maps its paths to our files.
BASE_URL = "https://sillon.invalid/"


class RefusedResource(ValueError):
    """A PDF asked for something outside our static and media files."""


def _open_static(path: str):
    try:
        found = finders.find(path)
    except SuspiciousFileOperation as error:
        raise RefusedResource(f"refused static path: {path}") from error
    if not found or not os.path.isfile(found):
        raise RefusedResource(f"static file not found: {path}")
    return open(found, "rb")


def _open_media(path: str):
    try:
        exists = default_storage.exists(path)
    except SuspiciousOperation as error:
        raise RefusedResource(f"refused media path: {path}") from error
    if not exists:
        raise RefusedResource(f"media file not found: {path}")
    return default_storage.open(path, "rb")


def media_src(file) -> str:
    """Where a PDF finds an uploaded file (a ``FieldFile`` of the default storage): under
    ``MEDIA_URL``, which the fetcher reads back through the storage API."""
    return settings.MEDIA_URL + quote(file.name)


def _own_file(url: str):
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}/" != BASE_URL:
        raise RefusedResource(f"refused outside resource: {url}")
    path = unquote(parts.path)
    # No way out of the static and media roots: no "..", no absolute path after the
    # prefix ("/static//etc/passwd"), no backslash or NUL that a file system might read.
    if ".." in path.split("/") or "//" in path or "\\" in path or "\x00" in path:
        raise RefusedResource(f"refused path: {url}")
    if path.startswith(settings.STATIC_URL):
        return path, _open_static(path.removeprefix(settings.STATIC_URL))
    if path.startswith(settings.MEDIA_URL):
        return path, _open_media(path.removeprefix(settings.MEDIA_URL))
    raise RefusedResource(f"refused path: {url}")


def _weasyprint():
    """WeasyPrint, imported on first use (it loads Pango). Without the system's
    libharfbuzz-subset it warns, at import, that a future version will need it; fonts
    are then subset with fontTools and the PDF is the same, so that is no error."""
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", message="HarfBuzz-Subset will be required", category=DeprecationWarning
        )
        import weasyprint
        import weasyprint.urls
    return weasyprint


def own_files_fetcher():
    """A WeasyPrint URL fetcher that serves our static and media files only."""
    urls = _weasyprint().urls

    class OwnFilesFetcher(urls.URLFetcher):
        def fetch(self, url, headers=None):
            path, body = _own_file(url)
            mime_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
            return urls.URLFetcherResponse(url, body=body, headers={"Content-Type": mime_type})

    return OwnFilesFetcher(fail_on_errors=False)


def html_to_pdf(html: str, *, variant: str | None = None) -> bytes:
    """A tagged (accessible), text-extractable PDF of ``html``; ``variant`` asks WeasyPrint
    for a PDF profile (``"pdf/ua-1"``: the syntheses declare their accessibility)."""
    document = _weasyprint().HTML(string=html, base_url=BASE_URL, url_fetcher=own_files_fetcher())
    if variant:
        return document.write_pdf(pdf_tags=True, pdf_variant=variant)
    return document.write_pdf(pdf_tags=True)


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render ``template_name`` (which should extend ``pdf/base.html``) to PDF bytes."""
    return html_to_pdf(render_to_string(template_name, context))
