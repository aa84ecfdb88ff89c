"""Seed 000's resources library (the Hauts-de-France PAT programme): the training
supports of J1 and J2, the engagement text, the AMI's document, a team's fiche
d'intention, and two public resources for capitalisation (shown on the organisation's
home page and at ``/<slug>/ressources/publiques/``).

Each file is a real small PDF rendered at load time (``sillon.pdf.html_to_pdf``) with the
seed's words (``/work/shared/seeds/000_*.txt`` when present, else the same words kept
here), so the search finds what the PDFs say. Every write goes through
``ressources.services`` (the text is extracted as for any upload). Idempotent: nothing is
added when the library already has its first resource.

Called by ``demo.loader`` inside the organisation's scope::

    result.summary.append(ressources.load_library(hauts_de_france))
"""

from html import escape

from django.core.files.uploadedfile import SimpleUploadedFile

from candidatures.models import Call
from demo.common import HDF_PROGRAMME, HDF_SLUG
from demo.organisations import member
from organisations.models import Organisation, Role
from parcours.models import Programme, Session
from ressources import services
from ressources.models import Resource, Tag
from sillon.pdf import html_to_pdf

FIRST_TITLE = "Support de formation J1 — TOB : connaissance des organisations"

J1 = [
    "Formation J1 — TOB : connaissance des organisations.",
    "Construction d'une culture commune : enjeux, pour quoi ? Schéma de gouvernance actuel connu.",
    "S'inspirer, faire groupe, coopérer : identifier les problèmes et besoins pour "
    "construire une gouvernance ouverte et robuste.",
]
J2 = [
    "Formation J2 — TOB : connaissance de son organisation.",
    "Positionnement individuel de sa gouvernance ; trinôme souhaitable (élu·e, chargé·e "
    "de mission, responsable de service).",
    "Montée en compétences : input expert, méthode et posture, animation de collectif.",
]
ENGAGEMENT = [
    "Engagement en connaissance de cause : une aventure commune.",
    "Le trinôme s'engage à suivre le parcours 2026-2028 : formations J1 et J2, COPIL, "
    "voyage apprenant, webinaires « Mobiliser mon trinôme » et « Mobiliser les acteurs et "
    "la société civile ».",
]
AMI = [
    "Appel à manifestation d'intérêt : dispositif d'accompagnement et de montée en "
    "compétences sur la gouvernance des PAT en Hauts-de-France, 2026-2028.",
    "Lancement de l'AMI et autodiagnostic ; sélection des participants ; webinaire "
    "questions-réponses de l'AMI.",
]
INTENTION = [
    "Fiche d'intention : contexte et enjeux du territoire, ce que nous voulons changer.",
    "Repartir de la réponse à l'AMI ; autodiagnostics, besoins ; affiner sa fiche "
    "d'intention et sa feuille de route.",
]
SYNTHESIS = [
    "Capitalisation : synthèse des contenus, outils-ressources issus de cet accompagnement.",
    "Accompagner l'amélioration de la gouvernance, puis sa mise en œuvre : une "
    "gouvernance ouverte et robuste des projets alimentaires territoriaux.",
]
GRID = [
    "Outil de suivi et d'autopositionnement de la gouvernance d'un PAT.",
    "Pour chaque critère, situez votre gouvernance : qui décide, qui est associé, comment "
    "la société civile participe, comment les services de la collectivité coopèrent.",
]


def _pdf(title: str, paragraphs: list[str], name: str) -> SimpleUploadedFile:
    body = "".join(f"<p>{escape(text)}</p>" for text in paragraphs)
    html = (
        f"<html lang='fr'><head><title>{escape(title)}</title></head><body>"
        f"<h1>{escape(title)}</h1>{body}<p>Gouvernance des PAT en Hauts-de-France, "
        f"2026-2028.</p></body></html>"
    )
    return SimpleUploadedFile(name, html_to_pdf(html), content_type="application/pdf")


def _session(programme, word: str):
    return (
        Session.objects.filter(programme=programme, title__icontains=word)
        .order_by("starts_at", "pk")
        .first()
    )


def _tag(organisation, coordinator, category: str, name: str) -> Tag:
    existing = Tag.objects.filter(organisation=organisation, category=category, name=name).first()
    return existing or services.create_tag(
        organisation=organisation, acting_user=coordinator, category=category, name=name
    )


def load_library(organisation: Organisation) -> str:
    programme = Programme.objects.get(name=HDF_PROGRAMME)
    if not Resource.objects.filter(organisation=organisation, title=FIRST_TITLE).exists():
        _load(organisation, programme)
    count = Resource.objects.filter(organisation=organisation).count()
    public = Resource.objects.filter(organisation=organisation, visibility="public").count()
    return f"Bibliothèque de ressources : {count} ressources, dont {public} publiques"


def _load(organisation: Organisation, programme) -> None:
    coordinator = member(HDF_SLUG, Role.COORDINATOR)
    trainer = member(HDF_SLUG, Role.TRAINER)
    governance = _tag(organisation, coordinator, "theme", "Gouvernance alimentaire")
    culture = _tag(organisation, coordinator, "theme", "Culture commune")
    capitalisation = _tag(organisation, coordinator, "chantier", "Capitalisation")
    call = Call.objects.filter(programme=programme).order_by("pk").first()
    team = programme.cohorts.get().teams.order_by("pk").first()

    def add(title, paragraphs, name, user=coordinator, **fields):
        services.create_resource(
            organisation=organisation,
            acting_user=user,
            title=title,
            file=_pdf(title, paragraphs, name),
            programme=fields.pop("programme", programme),
            **fields,
        )

    add(
        FIRST_TITLE,
        J1,
        "support-J1.pdf",
        user=trainer,
        kind="training",
        visibility="programme",
        session=_session(programme, "J1"),
        tags=[culture, governance],
        licence="cc_by",
    )
    add(
        "Support de formation J2 — TOB : connaissance de son organisation",
        J2,
        "support-J2.pdf",
        user=trainer,
        kind="training",
        visibility="programme",
        session=_session(programme, "J2"),
        tags=[governance],
        licence="cc_by",
    )
    add(
        "Texte d'engagement du parcours",
        ENGAGEMENT,
        "engagement.pdf",
        kind="sheet",
        visibility="programme",
        tags=[culture],
    )
    add(
        "Appel à manifestation d'intérêt — présentation du dispositif",
        AMI,
        "AMI-presentation.pdf",
        kind="other",
        visibility="public" if call is not None else "organisation",
        call=call,
        licence="etalab",
    )
    if team is not None:
        add(
            f"Fiche d'intention — {team.name}",
            INTENTION,
            "fiche-intention.pdf",
            kind="team_output",
            visibility="team",
            team=team,
        )
    add(
        "Synthèse : la gouvernance des PAT en Hauts-de-France",
        SYNTHESIS,
        "synthese-gouvernance.pdf",
        kind="sheet",
        visibility="public",
        tags=[governance, capitalisation],
        licence="cc_by_sa",
    )
    add(
        "Grille d'autopositionnement de la gouvernance d'un PAT",
        GRID,
        "grille-autopositionnement.pdf",
        kind="tool",
        visibility="public",
        tags=[governance, capitalisation],
        licence="etalab",
    )
