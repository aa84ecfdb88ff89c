"""The syntheses demo: seed 000's programme synthesis draws every chart (attendance,
satisfaction, the T0 → T1 progression, plans, CODEV) and its PDF and a team's journey
report build, their text holding the demo's figures."""

import io
from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django_scopes import scope
from pypdf import PdfReader

from demo import syntheses
from demo.common import HDF_SLUG
from documents import services
from documents.models import Document
from documents.syntheses.charts import synthesis_charts
from organisations.models import Membership, Organisation

pytestmark = pytest.mark.django_db

TODAY = datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))


def text_of(document) -> str:
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_demo_synthesis_draws_every_chart_and_its_pdfs_build():
    with time_machine.travel(TODAY, tick=False):
        call_command("load_demo", stdout=StringIO())
        organisation = Organisation.objects.get(slug=HDF_SLUG)
        with scope(organisation=organisation.pk):
            synthesis = syntheses.demo_synthesis(organisation)
            charts = synthesis_charts(synthesis)
            for section in ("calendar", "attendance", "satisfaction", "progression", "plans"):
                assert charts[section], section
            assert "Synthèses :" in syntheses.load(organisation)
            coordinator = (
                Membership.objects.filter(organisation=organisation, role="coordinator")
                .first()
                .user
            )
            programme = synthesis.scope.programme
            team = synthesis.scope.teams[0]
            built = []
            for kind, extra in (
                (Document.Kind.PROGRAMME_SYNTHESIS, {}),
                (Document.Kind.TEAM_REPORT, {"team": team}),
            ):
                document = Document.objects.create(
                    organisation=organisation,
                    kind=kind,
                    title="Démo",
                    requested_by=coordinator,
                    programme=programme,
                    **extra,
                )
                built.append(services.build_document(document=document))
    assert all(document.status == Document.Status.READY for document in built)
    assert programme.name.split()[0] in text_of(built[0])
    assert team.name in text_of(built[1])
