"""The catalogue sheet of a programme: its content, the hints computed from the
sessions, its dated versions and its publication."""

from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from organisations.services import record
from parcours.actions import Action
from parcours.days import session_slots
from parcours.models import CatalogueSheet, CatalogueVersion, Programme, Session
from sillon.formatting import format_day, format_days, format_hours

# The fields of the sheet a coordinator types (``trainers`` apart).
SHEET_FIELDS = (
    "slug",
    "audience",
    "prerequisites",
    "duration_hours",
    "duration_days",
    "modality",
    "dates",
    "place",
    "free",
    "price",
    "accessibility",
    "accessibility_contact_name",
    "accessibility_contact_email",
    "evaluation_methods",
)


def _number(value: Decimal | None) -> str:
    """« 14 », « 3,5 »: a typed duration the French way."""
    if value is None:
        return ""
    text = f"{value.normalize():f}"
    return text.replace(".", ",")


def computed_duration(programme: Programme) -> tuple[float, int]:
    """(hours, half-days) of the programme's sessions to come or past, cancelled and
    internal ones left out: the hint beside the typed duration."""
    sessions = (
        Session.objects.active()
        .filter(programme=programme, starts_at__isnull=False)
        .exclude(audience=Session.Audience.INTERNAL)
        .select_related("organisation")
        .prefetch_related("days")
    )
    hours = 0.0
    half_days = 0
    for session in sessions:
        slots = session_slots(session)
        hours += sum(slot.hours for slot in slots)
        half_days += len(slots)
    return hours, half_days


def duration_hint(programme: Programme) -> str:
    """« 14 h sur 2 jours, d'après les séances », or "" without a dated session."""
    hours, half_days = computed_duration(programme)
    if not half_days:
        return ""
    return _("%(hours)s sur %(days)s, d'après les séances") % {
        "hours": format_hours(hours),
        "days": format_days(half_days),
    }


def default_dates(programme: Programme) -> str:
    return _("du %(start)s au %(end)s") % {
        "start": format_day(programme.start_date, weekday=False),
        "end": format_day(programme.end_date, weekday=False),
    }


def sheet_content(sheet: CatalogueSheet, trainers=None) -> dict:
    """The sheet as it reads, each value a text (what a version keeps)."""
    programme = sheet.programme
    trainers = sheet.trainers.all() if trainers is None else trainers
    duration = []
    if sheet.duration_hours is not None:
        duration.append(_("%(hours)s h") % {"hours": _number(sheet.duration_hours)})
    if sheet.duration_days is not None:
        days = _number(sheet.duration_days)
        duration.append(
            _("%(days)s jour") % {"days": days}
            if sheet.duration_days <= 1
            else _("%(days)s jours") % {"days": days}
        )
    return {
        "name": programme.name,
        "description": programme.description,
        "objectives": programme.objectives,
        "audience": sheet.audience,
        "prerequisites": sheet.prerequisites,
        "duration": " · ".join(duration),
        "modality": str(CatalogueSheet.Modality(sheet.modality).label),
        "dates": sheet.dates or default_dates(programme),
        "place": sheet.place,
        "price": _("Gratuit") if sheet.free else sheet.price,
        "accessibility": sheet.accessibility,
        "accessibility_contact_name": sheet.accessibility_contact_name,
        "accessibility_contact_email": sheet.accessibility_contact_email,
        "trainers": sorted(
            (user.get_full_name() or user.email for user in trainers), key=str.lower
        ),
        "evaluation_methods": sheet.evaluation_methods,
    }


def free_slug(programme: Programme, exclude_pk=None) -> str:
    """The programme's name as an address not yet taken in its organisation."""
    base = slugify(programme.name)[:70] or "programme"
    taken = set(
        CatalogueSheet.objects.filter(organisation=programme.organisation, slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def new_sheet(programme: Programme) -> CatalogueSheet:
    """An unsaved sheet for ``programme``, its trainers to be proposed from the
    sessions' facilitators (``proposed_trainers``)."""
    return CatalogueSheet(
        organisation=programme.organisation, programme=programme, slug=free_slug(programme)
    )


def proposed_trainers(programme: Programme):
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(facilitated_sessions__programme=programme)
        .distinct()
        .order_by("last_name", "first_name")
    )


@transaction.atomic
def save_catalogue_sheet(
    *,
    sheet: CatalogueSheet,
    acting_user,
    trainers,
    description: str,
    objectives: str,
) -> CatalogueVersion | None:
    """Save the sheet (and the programme's description and objectives); a change of
    content adds a dated version, returned (None when nothing changed)."""
    programme = Programme.objects.select_for_update().get(pk=sheet.programme_id)
    programme_changed = [
        name
        for name, value in (("description", description), ("objectives", objectives))
        if getattr(programme, name) != value
    ]
    if programme_changed:
        programme.description, programme.objectives = description, objectives
        programme.save(update_fields=programme_changed)
    sheet.programme = programme
    sheet.organisation = programme.organisation
    sheet.save()
    sheet.trainers.set(trainers)
    content = sheet_content(sheet, trainers=list(trainers))
    last = sheet.versions.order_by("-number").first()
    if last is not None and last.content == content:
        return None
    number = (sheet.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    version = CatalogueVersion.objects.create(
        organisation=sheet.organisation,
        sheet=sheet,
        number=number,
        content=content,
        created_by=acting_user,
    )
    sheet.updated_at = version.created_at
    sheet.save(update_fields=["updated_at"])
    record(
        organisation=sheet.organisation,
        actor=acting_user,
        action=Action.CATALOGUE_SAVED,
        target=programme.name,
        version=number,
    )
    return version


@transaction.atomic
def publish_catalogue_sheet(*, sheet: CatalogueSheet, acting_user, published: bool) -> None:
    """Show the sheet to everyone at /<organisation>/catalogue/<slug>/, or withdraw it."""
    if sheet.published == published:
        return
    if published and not sheet.versions.exists():
        raise ValueError("a sheet is saved before it is published")
    sheet.published = published
    sheet.save(update_fields=["published"])
    record(
        organisation=sheet.organisation,
        actor=acting_user,
        action=Action.CATALOGUE_PUBLISHED if published else Action.CATALOGUE_UNPUBLISHED,
        target=sheet.programme.name,
        at=timezone.now().isoformat(timespec="minutes"),
    )
