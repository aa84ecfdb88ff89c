"""PDF rendering fetches our own static and media files only: another host, a local
file, a way out of the static root or a missing file is refused (WeasyPrint then renders
without it)."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from pypdf import PdfReader

from sillon import pdf

OWN = pdf.BASE_URL


def test_an_existing_static_file_is_served():
    path, body = pdf._own_file(f"{OWN}static/css/print.css")
    with body:
        assert path == "/static/css/print.css"
        assert b"@page" in body.read()


@pytest.mark.parametrize(
    "url",
    [
        "http://evil.example/pixel.png",
        "https://evil.example/static/css/print.css",
        "https://sillon.invalid.evil.example/static/css/print.css",
        "https://user@sillon.invalid/static/css/print.css",
        "file:///etc/passwd",
        "file://sillon.invalid/etc/passwd",
        "data:text/plain;base64,SGVsbG8=",
        "ftp://evil.example/x",
    ],
)
def test_another_place_is_refused(url):
    with pytest.raises(pdf.RefusedResource, match="outside"):
        pdf._own_file(url)


@pytest.mark.parametrize(
    "path",
    [
        "static/../../../../etc/passwd",
        "static/css/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "static//etc/passwd",
        "media//etc/passwd",
        "media/../sillon/settings.py",
        "static/css\\..\\..\\settings.py",
        "static/css/print.css%00.png",
        "etc/passwd",
        "sillon/settings.py",
    ],
)
def test_a_way_out_of_static_and_media_is_refused(path):
    with pytest.raises(pdf.RefusedResource):
        pdf._own_file(f"{OWN}{path}")


def test_a_missing_static_or_media_file_is_refused(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    with pytest.raises(pdf.RefusedResource, match="not found"):
        pdf._own_file(f"{OWN}static/css/no-such-file.css")
    with pytest.raises(pdf.RefusedResource, match="not found"):
        pdf._own_file(f"{OWN}static/css/")  # a directory is no file
    with pytest.raises(pdf.RefusedResource, match="not found"):
        pdf._own_file(f"{OWN}media/organisations/logos/none.png")


def test_a_media_file_is_served(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    svg = ContentFile(b"<svg xmlns='http://www.w3.org/2000/svg'/>")
    name = default_storage.save("logos/logo.svg", svg)
    path, body = pdf._own_file(f"{OWN}media/{name}")
    with body:
        assert path == f"/media/{name}"
        assert body.read().startswith(b"<svg")


def test_a_document_asking_for_outside_resources_renders_without_them(monkeypatch):
    asked, refused = [], []
    real = pdf._own_file

    def spy(url):
        asked.append(url)
        try:
            return real(url)
        except pdf.RefusedResource:
            refused.append(url)
            raise

    monkeypatch.setattr(pdf, "_own_file", spy)
    html = (
        '<html lang="fr"><head><link rel="stylesheet" href="/static/css/print.css"></head>'
        "<body><h1>Essai</h1>"
        '<img src="http://evil.example/pixel.png" alt="">'
        '<img src="file:///etc/passwd" alt="">'
        '<img src="../../../etc/passwd" alt="">'
        "<p>Texte conservé</p></body></html>"
    )
    content = pdf.html_to_pdf(html)
    text = PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert "Texte conservé" in text
    assert "https://sillon.invalid/static/css/print.css" in asked
    assert set(refused) == {
        "http://evil.example/pixel.png",
        "file:///etc/passwd",
        "https://sillon.invalid/etc/passwd",
    }
