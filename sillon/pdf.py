"""Rendering Django templates to PDF with WeasyPrint, fetching nothing from outside.

The URL fetcher serves only our own static files (through the staticfiles finders, so it
works before ``collectstatic``) and media files (through the default storage). Any other
URL — another host, ``file://``, ``data:`` pointing nowhere useful — is refused: WeasyPrint
logs the refusal and renders the document without that resource. A name or a title that
contains HTML is escaped by the template like anywhere else.
"""

import mimetypes
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.template.loader import render_to_string

# A base that can never be fetched: relative URLs in templates resolve under it, and
# the fetcher maps its paths to our files.
BASE_URL = "https://sillon.invalid/"


class RefusedResource(ValueError):
    """A PDF asked for something outside our static and media files."""


def _open_static(path: str):
    found = finders.find(path)
    if not found:
        raise RefusedResource(f"static file not found: {path}")
    return open(found, "rb")


def _open_media(path: str):
    if not default_storage.exists(path):
        raise RefusedResource(f"media file not found: {path}")
    return default_storage.open(path, "rb")


def _own_file(url: str):
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}/" != BASE_URL:
        raise RefusedResource(f"refused outside resource: {url}")
    path = unquote(parts.path)
    if ".." in path.split("/"):
        raise RefusedResource(f"refused path: {url}")
    if path.startswith(settings.STATIC_URL):
        return path, _open_static(path.removeprefix(settings.STATIC_URL))
    if path.startswith(settings.MEDIA_URL):
        return path, _open_media(path.removeprefix(settings.MEDIA_URL))
    raise RefusedResource(f"refused path: {url}")


def own_files_fetcher():
    """A WeasyPrint URL fetcher that serves our static and media files only."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class OwnFilesFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            path, body = _own_file(url)
            mime_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body=body, headers={"Content-Type": mime_type})

    return OwnFilesFetcher(fail_on_errors=False)


def html_to_pdf(html: str) -> bytes:
    """A tagged (accessible), text-extractable PDF of ``html``."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=BASE_URL, url_fetcher=own_files_fetcher())
    return document.write_pdf(pdf_tags=True)


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render ``template_name`` (which should extend ``pdf/base.html``) to PDF bytes."""
    return html_to_pdf(render_to_string(template_name, context))
