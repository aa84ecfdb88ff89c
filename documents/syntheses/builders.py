"""The builders of the PDF syntheses, contributed to ``documents.extensions.
document_builders``."""

from documents.models import Document

from .bilan import build_training_bilan
from .programme_pdf import build_programme_synthesis
from .team_report import build_team_report, build_team_reports


def synthesis_builders() -> dict:
    return {
        Document.Kind.PROGRAMME_SYNTHESIS: build_programme_synthesis,
        Document.Kind.TEAM_REPORT: build_team_report,
        Document.Kind.TEAM_REPORTS: build_team_reports,
        Document.Kind.TRAINING_BILAN: build_training_bilan,
    }
