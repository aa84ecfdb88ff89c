"""The call for applications (AMI) on the coordinator's side: writing and publishing the
call, its attachments and its scoring grid. The public reads it once published."""

import os
import zipfile
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from candidatures.actions import Action
from candidatures.models import Call, Review, ReviewScore, ScoringCriterion
from organisations.services import record
from parcours.models import Cohort, Programme
from sillon.uploads import validate_upload

# The fields a coordinator writes; the rest (status, dates of publication) belong to
# the services.
CALL_FIELDS = (
    "cohort",
    "slug",
    "title",
    "summary",
    "body",
    "eligibility",
    "criteria",
    "faq",
    "contact_email",
    "opens_at",
    "closes_at",
    "webinar",
)

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ATTACHMENT_TYPES = {
    PDF: "PDF",
    DOCX: "Word (.docx)",
    XLSX: "Excel (.xlsx)",
    ODT: "OpenDocument texte (.odt)",
    ODS: "OpenDocument tableur (.ods)",
}
# The extensions each type may carry: a file must be what its name says.
ATTACHMENT_EXTENSIONS = {
    PDF: {".pdf"},
    DOCX: {".docx"},
    XLSX: {".xlsx"},
    ODT: {".odt"},
    ODS: {".ods"},
}
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
MAX_SCORE_LIMIT = 20


# --- The call ------------------------------------------------------------------------


def _clean_fields(fields: dict) -> dict:
    unknown = set(fields) - set(CALL_FIELDS)
    if unknown:
        raise TypeError(f"unknown call fields: {sorted(unknown)}")
    cleaned = dict(fields)
    for name in ("slug", "title", "summary", "contact_email"):
        if isinstance(cleaned.get(name), str):
            cleaned[name] = cleaned[name].strip()
    return cleaned


def _validate_call(call: Call, values: dict) -> None:
    """Check the values ``call`` would have once ``values`` are applied; raise a
    ValidationError keyed by field, in French, before anything is written."""
    errors: dict[str, str] = {}
    programme = call.programme

    def value(name):
        return values[name] if name in values else getattr(call, name, None)

    cohort: Cohort | None = values["cohort"] if "cohort" in values else _cohort_of(call)
    if cohort is None:
        errors["cohort"] = _("Choisissez la promotion que rejoindront les candidatures retenues.")
    elif cohort.programme_id != programme.pk:
        errors["cohort"] = _("Cette promotion n'appartient pas au programme.")
    webinar = value("webinar")
    if webinar is not None and webinar.programme_id != programme.pk:
        errors["webinar"] = _("Cette séance n'appartient pas au programme.")
    if not value("title"):
        errors["title"] = _("Donnez un titre à l'appel.")
    opens_at: datetime | None = value("opens_at")
    closes_at: datetime | None = value("closes_at")
    if opens_at is None:
        errors["opens_at"] = _("Indiquez quand les candidatures ouvrent.")
    if closes_at is None:
        errors["closes_at"] = _("Indiquez quand les candidatures ferment.")
    if opens_at and closes_at and closes_at <= opens_at:
        errors["closes_at"] = _("La clôture des candidatures doit suivre leur ouverture.")
    slug = value("slug")
    if not slug:
        errors["slug"] = _("Indiquez l'adresse de l'appel (lettres, chiffres et tirets).")
    elif (
        Call.objects.filter(organisation=programme.organisation, slug=slug)
        .exclude(pk=call.pk)
        .exists()
    ):
        errors["slug"] = _(
            "Un autre appel de l'organisation utilise déjà l'adresse « %(slug)s » : "
            "choisissez-en une autre."
        ) % {"slug": slug}
    if errors:
        raise ValidationError(errors)


def _cohort_of(call: Call) -> Cohort | None:
    return call.cohort if call.cohort_id else None


def _with_default_slug(values: dict) -> dict:
    """An empty address becomes the title's (« AMI 2026 » → « ami-2026 »)."""
    if not values.get("slug") and values.get("title"):
        values["slug"] = slugify(values["title"])[:80].strip("-")
    return values


@transaction.atomic
def create_call(*, programme: Programme, acting_user, **fields) -> Call:
    """A draft call of ``programme``: only coordinators see it until it is published."""
    values = _with_default_slug(_clean_fields(fields))
    call = Call(organisation=programme.organisation, programme=programme)
    _validate_call(call, values)
    for name, value in values.items():
        setattr(call, name, value)
    call.save()
    record(
        organisation=call.organisation,
        actor=acting_user,
        action=Action.CALL_SAVED,
        target=call.title,
        created=True,
        fields=sorted(values),
    )
    return call


@transaction.atomic
def update_call(*, call: Call, acting_user, **fields) -> Call:
    """Save the fields that changed. A published call stays published: candidates read
    the new text at once."""
    values = _clean_fields(fields)
    if "slug" in values and not values["slug"]:
        values["slug"] = call.slug
    _validate_call(call, values)
    changed = [name for name, value in values.items() if getattr(call, name) != value]
    if not changed:
        return call
    for name in changed:
        setattr(call, name, values[name])
    call.save(update_fields=changed)
    record(
        organisation=call.organisation,
        actor=acting_user,
        action=Action.CALL_SAVED,
        target=call.title,
        fields=sorted(changed),
    )
    return call


def publication_problems(call: Call) -> dict[str, str]:
    """What keeps ``call`` from being published, by field (empty when it may be)."""
    problems = {}
    if _cohort_of(call) is None:
        problems["cohort"] = _("Choisissez la promotion que rejoindront les candidatures retenues.")
    if not (call.body or "").strip():
        problems["body"] = _("Rédigez la présentation de l'appel avant de le publier.")
    if not (call.opens_at and call.closes_at and call.closes_at > call.opens_at):
        problems["closes_at"] = _("La clôture des candidatures doit suivre leur ouverture.")
    return problems


@transaction.atomic
def publish_call(*, call: Call, acting_user) -> Call:
    """Make the call's public page readable by anyone."""
    locked = Call.objects.select_for_update().select_related("cohort").get(pk=call.pk)
    if locked.is_published:
        raise ValidationError(_("Cet appel est déjà publié."))
    problems = publication_problems(locked)
    if problems:
        raise ValidationError(problems)
    locked.status = Call.Status.PUBLISHED
    locked.published_at = timezone.now()
    locked.save(update_fields=["status", "published_at"])
    call.status, call.published_at = locked.status, locked.published_at
    record(
        organisation=call.organisation,
        actor=acting_user,
        action=Action.CALL_PUBLISHED,
        target=call.title,
    )
    return call


# --- The type of an uploaded office file (evaluation's external reports) --------------


def _office_type(uploaded) -> str | None:
    """The exact type of a ZIP-based office file (puremagic only sees « a ZIP »): the
    ``mimetype`` entry of an OpenDocument, the main part of an Office Open XML file."""
    try:
        with zipfile.ZipFile(uploaded) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                declared = archive.read("mimetype").decode("ascii", "replace").strip()
                return declared if declared in (ODT, ODS) else None
            if "[Content_Types].xml" in names:
                if "word/document.xml" in names:
                    return DOCX
                if "xl/workbook.xml" in names:
                    return XLSX
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        uploaded.seek(0)
    return None


def attachment_type(uploaded) -> str:
    """The content type of an uploaded attachment, read from its content and matching
    its extension; a ValidationError in French otherwise."""
    refused = ValidationError(
        _("Ce fichier n'est pas au bon format. Formats acceptés : %(formats)s.")
        % {"formats": ", ".join(ATTACHMENT_TYPES.values())}
    )
    # Any ZIP passes as « .docx » at this step; its content is read just below.
    validate_upload(uploaded, allowed=ATTACHMENT_TYPES, max_bytes=ATTACHMENT_MAX_BYTES)
    head = uploaded.read(5)
    uploaded.seek(0)
    content_type = PDF if head == b"%PDF-" else _office_type(uploaded)
    if content_type is None:
        raise refused
    extension = os.path.splitext(uploaded.name or "")[1].lower()
    if extension not in ATTACHMENT_EXTENSIONS[content_type]:
        raise ValidationError(
            _(
                "Le contenu de ce fichier (%(kind)s) ne correspond pas à son extension "
                "« %(extension)s »."
            )
            % {"kind": ATTACHMENT_TYPES[content_type], "extension": extension or "—"}
        )
    return content_type


# --- Scoring grid --------------------------------------------------------------------


@transaction.atomic
def save_scoring_criterion(
    *,
    call: Call,
    acting_user,
    criterion: ScoringCriterion | None = None,
    name: str,
    description: str = "",
    weight: int,
    max_score: int,
    order: int = 0,
) -> ScoringCriterion:
    """Add a criterion to the call's grid, or change one. Its maximum may not drop below
    a score a reviewer already gave."""
    if criterion is not None and criterion.call_id != call.pk:
        raise ValueError("the criterion belongs to another call")
    errors: dict[str, str] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = _("Nommez le critère.")
    if weight is None or weight < 1:
        errors["weight"] = _("Le poids d'un critère est un nombre entier d'au moins 1.")
    if max_score is None or not 1 <= max_score <= MAX_SCORE_LIMIT:
        errors["max_score"] = _("La note maximale est comprise entre 1 et %(limit)s.") % {
            "limit": MAX_SCORE_LIMIT
        }
    elif criterion is not None and max_score < criterion.max_score:
        highest = ReviewScore.objects.filter(criterion=criterion).aggregate(top=Max("score"))["top"]
        if highest is not None and highest > max_score:
            errors["max_score"] = _(
                "Une évaluation a déjà donné %(score)s à ce critère : la note maximale ne "
                "peut pas descendre en dessous."
            ) % {"score": highest}
    if order is None or order < 0:
        errors["order"] = _("L'ordre est un nombre positif.")
    if errors:
        raise ValidationError(errors)
    created = criterion is None
    if created:
        criterion = ScoringCriterion(organisation=call.organisation, call=call)
    criterion.name = name
    criterion.description = (description or "").strip()
    criterion.weight = weight
    criterion.max_score = max_score
    criterion.order = order
    criterion.save()
    record(
        organisation=call.organisation,
        actor=acting_user,
        action=Action.SCORING_GRID_CHANGED,
        target=call.title,
        criterion=name,
        change="added" if created else "changed",
        weight=weight,
        max_score=max_score,
    )
    return criterion


def grid_is_locked(call: Call) -> bool:
    """Once a reviewer scored an application of the call, its criteria stay."""
    return Review.objects.filter(application__call=call).exists()


@transaction.atomic
def delete_scoring_criterion(*, criterion: ScoringCriterion, acting_user) -> None:
    call = criterion.call
    if grid_is_locked(call):
        raise ValidationError(
            _(
                "Des candidatures ont déjà été évaluées : ce critère ne peut plus être "
                "supprimé (vous pouvez encore le renommer ou changer son poids)."
            )
        )
    record(
        organisation=criterion.organisation,
        actor=acting_user,
        action=Action.SCORING_GRID_CHANGED,
        target=call.title,
        criterion=criterion.name,
        change="deleted",
    )
    criterion.delete()
