"""Shared world and helpers of the calls tests: one module per group of behaviours."""

import io
import zipfile
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from candidatures.models import Call
from tests.factories import (
    CallFactory,
    MembershipFactory,
    build_programme,
)

PARIS = ZoneInfo("Europe/Paris")
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


def office_file(*entries: tuple[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries:
            stored = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(name, content, compress_type=stored)
    return buffer.getvalue()


XLSX = office_file(("[Content_Types].xml", "<Types/>"), ("xl/workbook.xml", "<workbook/>"))
DOCX = office_file(("[Content_Types].xml", "<Types/>"), ("word/document.xml", "<document/>"))
ODS = office_file(
    ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"), ("content.xml", "<x/>")
)


@pytest.fixture
def world():
    """A published PAT programme with one team, its coordinator, and a published call
    open since yesterday for three weeks."""
    with scopes_disabled():
        built = build_programme(teams=1)
        built.coordinator = MembershipFactory(
            organisation=built.organisation, coordinator=True
        ).user
        built.call = CallFactory(
            cohort=built.cohort,
            published=True,
            slug="ami-2026",
            title="AMI Alimentation 2026",
            summary="Rejoindre le parcours des PAT.",
            contact_email="ami@exemple.fr",
        )
        built.member = built.teams[0].members.select_related("user").first().user
    return built


@pytest.fixture
def coordinator_client(client, world):
    client.force_login(world.coordinator)
    return client


def public_url(world, call=None):
    call = call or world.call
    return reverse("candidatures:call_public", args=[world.organisation.slug, call.slug])


def manage_url(world, name, call=None, **extra):
    call = call or world.call
    args = [world.organisation.slug, world.programme.pk, call.pk, *extra.values()]
    return reverse(f"candidatures:{name}", args=args)


def make_call(world, **kwargs) -> Call:
    with scopes_disabled():
        return CallFactory(cohort=world.cohort, **kwargs)
