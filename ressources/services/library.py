"""Writes of the resources library: adding, changing and deleting a resource (a file or a
link), the tags, the text of a file for the search, and copying a programme's session
documents. Every write is atomic and audited; a refused input raises a French
``ValidationError`` tied to its field and saves nothing."""

import hashlib
import logging
import os
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from markdown_it import MarkdownIt

from organisations.models import Organisation, Role
from organisations.roles import role_in
from organisations.services import record
from sillon import limits
from sillon.mail import one_line
from sillon.uploads import validate_document

from ..access import can_attach_to_session, writable_team_ids
from ..actions import Audited
from ..extract import extract_text
from ..models import Resource, ResourceKind, Tag, Visibility
from ..search import refresh_vector

logger = logging.getLogger(__name__)

__all__ = [
    "copy_session_resources",
    "create_resource",
    "create_tag",
    "delete_resource",
    "delete_tag",
    "max_upload_bytes",
    "rename_tag",
    "store_extracted_text",
    "update_resource",
]

LINK_SCHEMES = {"http", "https"}
_markdown = MarkdownIt("commonmark", {"html": False}).enable("table")

# The fields a form may change (``update_resource``), besides the file and the tags.
FIELDS = (
    "title",
    "description",
    "url",
    "author",
    "date",
    "licence",
    "kind",
    "visibility",
    "programme",
    "phase",
    "session",
    "team",
    "call",
)
RELATIONS = ("programme", "phase", "session", "team", "call")


def max_upload_bytes() -> int:
    return int(getattr(settings, "RESOURCE_MAX_UPLOAD_MB", 20)) * 1024 * 1024


# --- Checks ----------------------------------------------------------------------------


def _has_image(text: str) -> bool:
    def walk(tokens) -> bool:
        return any(
            token.type == "image" or (token.children and walk(token.children)) for token in tokens
        )

    return walk(_markdown.parse(text or ""))


def _check_texts(resource: Resource, errors: dict) -> None:
    title = one_line(resource.title or "").strip()
    resource.title = title
    if not title:
        errors["title"] = _("Donnez un titre à la ressource.")
    elif len(title) > limits.TITLE:
        errors["title"] = _(
            "Le titre compte %(count)s caractères ; il ne peut en dépasser %(limit)s."
        ) % {"count": len(title), "limit": limits.TITLE}
    if len(resource.description or "") > limits.TEXT:
        errors["description"] = _(
            "La description compte %(count)s caractères ; elle ne peut en dépasser %(limit)s."
        ) % {"count": len(resource.description), "limit": limits.TEXT}
    elif _has_image(resource.description):
        errors["description"] = _(
            "Les images ne sont pas acceptées dans la description (elles seraient chargées "
            "depuis un autre site, y compris à l'impression) : ajoutez-les comme ressource."
        )
    resource.author = one_line(resource.author or "").strip()
    if len(resource.author) > limits.TITLE:
        errors["author"] = _("Le nom de l'auteur ne peut dépasser %(limit)s caractères.") % {
            "limit": limits.TITLE
        }


def _check_link(resource: Resource, errors: dict, has_file: bool) -> None:
    url = "".join(ch for ch in (resource.url or "") if ch.isprintable()).strip()
    resource.url = url
    if has_file and url:
        errors["url"] = _("Joignez un fichier ou donnez un lien, pas les deux.")
    elif not has_file and not url:
        errors["file"] = _("Joignez un fichier ou donnez un lien.")
    elif url:
        scheme = urlsplit(url).scheme.lower()
        if scheme not in LINK_SCHEMES or not urlsplit(url).netloc:
            errors["url"] = _(
                "Seuls les liens web commençant par http:// ou https:// sont acceptés."
            )
        elif len(url) > 2000:
            errors["url"] = _("Ce lien est trop long (2 000 caractères au plus).")


def _check_relations(resource: Resource, tags, organisation: Organisation, errors: dict):
    for name in RELATIONS:
        related = getattr(resource, name)
        if related is not None and related.organisation_id != organisation.pk:
            errors[name] = _("Ce choix n'appartient pas à votre organisation.")
    if errors:
        return
    session, phase, team, call = resource.session, resource.phase, resource.team, resource.call
    if resource.programme is None:
        for related in (session, phase, call):
            if related is not None:
                resource.programme = related.programme
                break
        else:
            if team is not None:
                resource.programme = team.cohort.programme
    programme_id = resource.programme_id if resource.programme is not None else None
    if session is not None and session.programme_id != programme_id:
        errors["session"] = _("Cette séance n'appartient pas au programme choisi.")
    if phase is not None and phase.programme_id != programme_id:
        errors["phase"] = _("Cette phase n'appartient pas au programme choisi.")
    if call is not None and call.programme_id != programme_id:
        errors["call"] = _("Cet appel n'appartient pas au programme choisi.")
    if team is not None and team.cohort.programme_id != programme_id:
        errors["team"] = _("Cette équipe n'appartient pas au programme choisi.")
    if resource.visibility == Visibility.PROGRAMME and resource.programme is None:
        errors["visibility"] = _("Choisissez le programme dont les membres verront la ressource.")
    if resource.visibility == Visibility.TEAM and team is None:
        errors["visibility"] = _("Choisissez l'équipe qui verra la ressource.")
    foreign = [tag for tag in tags if tag.organisation_id != organisation.pk]
    if foreign:
        errors["tags"] = _("L'étiquette « %(name)s » n'appartient pas à votre organisation.") % {
            "name": foreign[0].name
        }


def _check_rights(resource: Resource, acting_user, organisation: Organisation, errors: dict):
    """A team member adds to their own team's space only; a session's documents are
    added by the staff and the session's facilitators."""
    role = role_in(acting_user, organisation)
    if resource.session is not None:
        if not can_attach_to_session(acting_user, organisation, resource.session):
            errors["session"] = _(
                "Seuls les coordinateurs et l'équipe d'animation joignent des documents "
                "à une séance."
            )
            return
        if role not in (Role.COORDINATOR, Role.TRAINER):
            return  # a facilitator of the session
    if role in (Role.COORDINATOR, Role.TRAINER):
        return
    teams = writable_team_ids(acting_user, organisation)
    if resource.team_id not in teams:
        errors["team"] = _("Choisissez votre équipe.")
    if resource.visibility not in (Visibility.TEAM, Visibility.PROGRAMME):
        errors["visibility"] = _(
            "Une ressource de votre équipe est visible de l'équipe ou du programme."
        )
    if resource.call is not None:
        errors["call"] = _("Seuls les coordinateurs joignent des documents à un appel.")


def _read_file(resource: Resource, uploaded, errors: dict) -> None:
    cap = max_upload_bytes()
    if uploaded.size > cap:
        errors["file"] = _(
            "Ce fichier pèse %(size)s ; la limite est de %(limit)s Mo par fichier."
        ) % {"size": filesizeformat(uploaded.size), "limit": cap // (1024 * 1024)}
        return
    try:
        mime = validate_document(uploaded, max_bytes=max_upload_bytes())
    except ValidationError as error:
        errors["file"] = " ".join(error.messages)
        return
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    resource.mime_type = mime
    resource.size = uploaded.size
    resource.sha256 = digest.hexdigest()
    resource.original_name = one_line(os.path.basename(uploaded.name or ""))[:255]
    resource.search_text = ""


def _after_commit(resource: Resource, *, file_changed: bool) -> None:
    if file_changed and resource.file:
        from ..tasks import extract_resource_text

        organisation_id, resource_id = resource.organisation_id, resource.pk
        transaction.on_commit(lambda: extract_resource_text.delay(organisation_id, resource_id))
    refresh_vector(resource.pk)


def _author_of(user) -> str:
    if not getattr(user, "is_authenticated", False):
        return ""
    return (user.get_full_name() or user.email or "")[: limits.TITLE]


# --- Resources -------------------------------------------------------------------------


@transaction.atomic
def create_resource(
    *,
    organisation: Organisation,
    acting_user,
    title: str,
    file=None,
    url: str = "",
    description: str = "",
    author: str = "",
    date=None,
    licence: str = "",
    kind: str = ResourceKind.OTHER,
    visibility: str = Visibility.ORGANISATION,
    tags=(),
    programme=None,
    phase=None,
    session=None,
    team=None,
    call=None,
) -> Resource:
    resource = Resource(
        organisation=organisation,
        title=title or "",
        description=description or "",
        url=url or "",
        author=author or _author_of(acting_user),
        uploaded_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        date=date or timezone.localdate(),
        kind=kind or ResourceKind.OTHER,
        visibility=visibility or Visibility.ORGANISATION,
        programme=programme,
        phase=phase,
        session=session,
        team=team,
        call=call,
    )
    if licence:
        resource.licence = licence
    tags = list(tags)
    errors: dict = {}
    _check_texts(resource, errors)
    _check_link(resource, errors, has_file=bool(file))
    _check_relations(resource, tags, organisation, errors)
    if not errors:
        _check_rights(resource, acting_user, organisation, errors)
    if file and "file" not in errors:
        _read_file(resource, file, errors)
    if errors:
        raise ValidationError(errors)
    if file:
        resource.file.save(resource.original_name or "fichier", file, save=False)
    resource.save()
    resource.tags.set(tags)
    record(
        organisation=organisation,
        actor=acting_user,
        action=Audited.RESOURCE_ADDED,
        target=resource.title,
        kind=resource.get_kind_display(),
        visibility=resource.get_visibility_display(),
        size=filesizeformat(resource.size) if file else "",
    )
    _after_commit(resource, file_changed=bool(file))
    return resource


@transaction.atomic
def update_resource(
    *, resource: Resource, acting_user, file=None, tags=None, **changes
) -> Resource:
    """Change the fields in ``changes`` (names of ``FIELDS``); a new ``file`` replaces the
    stored one (deleted after commit), a link replaces a file when ``url`` is given."""
    organisation = resource.organisation
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    old_file = resource.file.name if resource.file else ""
    for name, value in changes.items():
        if name not in FIELDS:
            raise TypeError(name)
        if value is None and name not in RELATIONS:
            value = ""
        setattr(resource, name, value)
    tags = list(resource.tags.all()) if tags is None else list(tags)
    keeps_file = bool(old_file) and not resource.url and file is None
    errors: dict = {}
    _check_texts(resource, errors)
    _check_link(resource, errors, has_file=bool(file) or keeps_file)
    _check_relations(resource, tags, organisation, errors)
    if not errors:
        _check_rights(resource, acting_user, organisation, errors)
    if file and "file" not in errors:
        _read_file(resource, file, errors)
    if errors:
        raise ValidationError(errors)
    if file:
        resource.file.save(resource.original_name or "fichier", file, save=False)
    elif not keeps_file and old_file:
        resource.file = ""
        resource.mime_type = resource.sha256 = resource.original_name = resource.search_text = ""
        resource.size = 0
    resource.save()
    resource.tags.set(tags)
    if old_file and resource.file.name != old_file:
        storage = resource.file.storage
        transaction.on_commit(lambda: _delete_stored(storage, old_file, organisation.pk))
    record(
        organisation=organisation,
        actor=acting_user,
        action=Audited.RESOURCE_CHANGED,
        target=resource.title,
        file_replaced=bool(file),
    )
    _after_commit(resource, file_changed=bool(file))
    return resource


def _delete_stored(storage, name: str, organisation_id: int) -> None:
    """Delete a stored file no other resource points to (a copied session document
    shares nothing, but a migrated one may)."""
    from django_scopes import scope

    with scope(organisation=organisation_id):
        if Resource.objects.filter(organisation_id=organisation_id, file=name).exists():
            return
    try:
        storage.delete(name)
    except OSError:
        logger.warning("stored file not deleted", extra={"file": name}, exc_info=True)


@transaction.atomic
def delete_resource(*, resource: Resource, acting_user) -> None:
    organisation = resource.organisation
    name = resource.file.name if resource.file else ""
    storage = resource.file.storage
    record(
        organisation=organisation,
        actor=acting_user,
        action=Audited.RESOURCE_DELETED,
        target=resource.title,
    )
    resource.delete()
    if name:
        transaction.on_commit(lambda: _delete_stored(storage, name, organisation.pk))


def store_extracted_text(*, organisation: Organisation, resource_id: int) -> None:
    """Read the stored file's text (bounded) into ``search_text`` and refresh the search
    vector. A broken file leaves the text empty (logged by ``extract_text``)."""
    resource = Resource.objects.filter(organisation=organisation, pk=resource_id).first()
    if resource is None or not resource.file:
        return
    try:
        with resource.file.open("rb") as stored:
            text = extract_text(stored, resource.mime_type)
    except OSError:
        logger.warning("stored file unreadable", extra={"resource": resource_id}, exc_info=True)
        text = ""
    with transaction.atomic():
        Resource.objects.filter(pk=resource_id).update(search_text=text)
        refresh_vector(resource_id)


# --- Tags ------------------------------------------------------------------------------


def _tag_name(name: str) -> str:
    name = one_line(name or "").strip()
    if not name:
        raise ValidationError({"name": _("Donnez un nom à l'étiquette.")})
    if len(name) > 100:
        raise ValidationError({"name": _("Le nom d'une étiquette ne dépasse pas 100 caractères.")})
    return name


@transaction.atomic
def create_tag(*, organisation: Organisation, acting_user, category: str, name: str) -> Tag:
    name = _tag_name(name)
    if category not in Tag.Category.values:
        raise ValidationError({"category": _("Choisissez thème ou chantier.")})
    if Tag.objects.filter(organisation=organisation, category=category, name__iexact=name).exists():
        raise ValidationError({"name": _("Cette étiquette existe déjà.")})
    try:
        with transaction.atomic():
            tag = Tag.objects.create(organisation=organisation, category=category, name=name)
    except IntegrityError as error:
        raise ValidationError({"name": _("Cette étiquette existe déjà.")}) from error
    record(organisation=organisation, actor=acting_user, action=Audited.TAG_CREATED, target=name)
    return tag


@transaction.atomic
def rename_tag(*, tag: Tag, acting_user, name: str) -> Tag:
    name = _tag_name(name)
    clash = Tag.objects.filter(
        organisation=tag.organisation_id, category=tag.category, name__iexact=name
    ).exclude(pk=tag.pk)
    if clash.exists():
        raise ValidationError({"name": _("Cette étiquette existe déjà.")})
    old = tag.name
    tag.name = name
    tag.save(update_fields=["name"])
    record(
        organisation=tag.organisation,
        actor=acting_user,
        action=Audited.TAG_CHANGED,
        target=name,
        before=old,
    )
    return tag


@transaction.atomic
def delete_tag(*, tag: Tag, acting_user) -> None:
    record(
        organisation=tag.organisation,
        actor=acting_user,
        action=Audited.TAG_DELETED,
        target=tag.name,
        resources=tag.resources.count(),
    )
    tag.delete()


# --- Copying a programme ---------------------------------------------------------------


@transaction.atomic
def copy_session_resources(session_map: dict, by) -> int:
    """Copy the resources of the old sessions (``{old session id: new session}``) onto
    the new ones: new rows, and new stored files written through the storage API.
    Returns the number copied."""
    if not session_map:
        return 0
    sources = (
        Resource.objects.filter(session_id__in=list(session_map))
        .prefetch_related("tags")
        .order_by("pk")
    )
    copied = 0
    organisation = None
    for source in sources:
        new_session = session_map[source.session_id]
        organisation = new_session.organisation
        copy = Resource(
            organisation=new_session.organisation,
            title=source.title,
            description=source.description,
            url=source.url,
            author=source.author,
            uploaded_by=by if getattr(by, "is_authenticated", False) else source.uploaded_by,
            date=source.date,
            licence=source.licence,
            kind=source.kind,
            visibility=source.visibility,
            programme_id=new_session.programme_id,
            phase_id=new_session.phase_id,
            session=new_session,
            team=None,
            original_name=source.original_name,
            mime_type=source.mime_type,
            size=source.size,
            sha256=source.sha256,
            search_text=source.search_text,
        )
        if copy.visibility == Visibility.TEAM:
            copy.visibility = Visibility.PROGRAMME
        if source.file:
            with source.file.open("rb") as stored:
                copy.file.save(
                    source.original_name or os.path.basename(source.file.name),
                    ContentFile(stored.read()),
                    save=False,
                )
        copy.save()
        copy.tags.set(source.tags.all())
        refresh_vector(copy.pk)
        copied += 1
    if copied:
        record(
            organisation=organisation,
            actor=by,
            action=Audited.RESOURCES_COPIED,
            target=str(copied),
            count=copied,
        )
    return copied
