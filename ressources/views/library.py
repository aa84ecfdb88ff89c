"""Pages of the resources library: the search, a resource, adding (the full form, a
team's production, a session's document), changing and deleting, the tags, a programme's
resources, a call's documents, and the public library of the organisation (no account
needed)."""

import os

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from candidatures.models import Call
from organisations.access import organisation_view
from organisations.models import Organisation, Role
from organisations.roles import role_in
from parcours.models import Team
from parcours.selectors import programmes_visible_to, sessions_visible_to
from parcours.views.calendar import programme_context

from .. import services
from ..access import (
    can_attach_to_session,
    can_change,
    get_changeable_resource_or_404,
    get_public_resource_or_404,
    get_resource_for_user_or_404,
    get_tag_or_404,
    is_coordinator,
    writable_team_ids,
)
from ..forms.library import (
    CallResourceForm,
    ResourceForm,
    SearchForm,
    SessionResourceForm,
    TagForm,
    TagRenameForm,
    TeamResourceForm,
    errors_to_form,
)
from ..models import Resource, ResourceKind, Tag, Visibility
from ..search import ordered, search
from ..selectors import public_resources, resources_visible_to

PER_PAGE = 20
# What a line of results shows (the extracted text and the vector stay in the database).
LISTED_FIELDS = (
    "organisation_id",
    "title",
    "description",
    "file",
    "url",
    "author",
    "date",
    "kind",
    "licence",
    "visibility",
    "size",
    "programme_id",
    "team_id",
    "session_id",
)
SUMMARY_CHARS = 220
INLINE_TYPES = {"application/pdf", "image/png", "image/jpeg", "image/webp"}


def _page(request, resources):
    paginator = Paginator(resources, PER_PAGE)
    return paginator.get_page(request.GET.get("page"))


def _listed(resources):
    return (
        resources.select_related("programme", "team", "session")
        .only(
            *LISTED_FIELDS,
            "programme__id",
            "programme__name",
            "team__id",
            "team__name",
            "session__id",
            "session__title",
        )
        .prefetch_related(
            Prefetch(
                "tags", queryset=Tag.objects.order_by("category", "name"), to_attr="listed_tags"
            )
        )
    )


def _search_results(request, organisation, resources, form: SearchForm):
    filters = form.filters()
    text = form.cleaned_data.get("q", "") if form.is_valid() else ""
    sort = (form.cleaned_data.get("tri") if form.is_valid() else "") or (
        "pertinence" if text else "date"
    )
    lookups = {
        "kind": "kind",
        "licence": "licence",
        "programme": "programme",
        "phase": "phase",
        "session": "session",
        "team": "team",
    }
    for name, lookup in lookups.items():
        if name in filters:
            resources = resources.filter(**{lookup: filters[name]})
    for name in ("theme", "work_stream"):
        if name in filters:
            resources = resources.filter(tags=filters[name])
    resources = ordered(search(resources, text), sort, searching=bool(text))
    return _with_labels(_page(request, _listed(resources)), organisation), text


def _with_labels(page, organisation):
    """The page's resources, each with what its line shows read once per page rather
    than once per line by the template: its address, the labels of its kind, of who sees
    it and of its tags, its date and the start of its description."""
    kinds = {value: str(label) for value, label in ResourceKind.choices}
    readers = {value: str(label).lower() for value, label in Visibility.choices}
    categories = {value: capfirst(str(label)) for value, label in Tag.Category.choices}
    # One ``reverse`` per page: the address of resource 0, cut around its id.
    before, _zero, after = reverse(
        "ressources:resource_detail", args=[organisation.slug, 0]
    ).rpartition("/0/")
    days: dict = {}
    page.object_list = list(page.object_list)
    for resource in page.object_list:
        resource.detail_url = f"{before}/{resource.pk}/{after}"
        resource.kind_label = kinds.get(resource.kind, resource.kind)
        resource.readers_label = readers.get(resource.visibility, resource.visibility)
        resource.tag_labels = [
            f"{categories.get(tag.category, tag.category)} : {tag.name}"
            for tag in resource.listed_tags
        ]
        if resource.date not in days:
            days[resource.date] = date_filter(resource.date, "j F Y")
        resource.date_label = days[resource.date]
        resource.summary = truncatechars(resource.description, SUMMARY_CHARS)
    return page


def file_response(resource: Resource):
    """The stored file with its own name (non-ASCII kept, RFC 6266 through Django), its
    type read at upload, never sniffed by the browser; a link's target for a link."""
    if resource.is_link:
        return HttpResponseRedirect(resource.url)
    if not resource.file:
        raise Http404
    try:
        stored = resource.file.open("rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404 from error
    content_type = resource.mime_type or "application/octet-stream"
    response = FileResponse(
        stored,
        as_attachment=content_type not in INLINE_TYPES,
        filename=resource.original_name or os.path.basename(resource.file.name),
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- The library -----------------------------------------------------------------------


@organisation_view()
def library(request, organisation: Organisation):
    form = SearchForm(request.GET or None, organisation=organisation, user=request.user)
    if request.GET:
        form.is_valid()
    resources = resources_visible_to(request.user, organisation)
    page, text = _search_results(request, organisation, resources, form)
    return render(
        request,
        "ressources/library/list.html",
        {
            "form": form,
            "page": page,
            "text": text,
            "can_add": role_in(request.user, organisation) in (Role.COORDINATOR, Role.TRAINER),
            "can_manage_tags": is_coordinator(request.user, organisation),
        },
    )


@organisation_view()
def programme_resources(request, organisation: Organisation, programme_id: int):
    """The programme's « Ressources » tab: its resources the person may see."""
    programme = get_object_or_404(
        programmes_visible_to(request.user, organisation), pk=programme_id
    )
    form = SearchForm(request.GET or None, organisation=organisation, user=request.user)
    if request.GET:
        form.is_valid()
    resources = resources_visible_to(request.user, organisation).filter(programme=programme)
    page, text = _search_results(request, organisation, resources, form)
    return render(
        request,
        "ressources/library/programme.html",
        {
            **programme_context(request, organisation, programme, "ressources"),
            "form": form,
            "page": page,
            "text": text,
        },
    )


@organisation_view()
def resource_detail(request, organisation: Organisation, resource_id: int):
    resource = get_resource_for_user_or_404(request.user, organisation, resource_id)
    return render(
        request,
        "ressources/library/detail.html",
        {
            "resource": resource,
            "tags": list(resource.tags.order_by("category", "name")),
            "can_change": can_change(request.user, organisation, resource),
        },
    )


@organisation_view()
def resource_download(request, organisation: Organisation, resource_id: int):
    resource = get_resource_for_user_or_404(request.user, organisation, resource_id)
    return file_response(resource)


def _initial_for(request, organisation) -> dict:
    initial = {"visibility": Visibility.ORGANISATION, "kind": ResourceKind.OTHER}
    for name in ("programme", "session", "team", "call"):
        value = request.GET.get(name, "")
        if value.isdigit() and len(value) < 12:
            initial[name] = int(value)
    return initial


def _save_full_form(request, organisation, form, resource=None):
    data = form.cleaned_data
    fields = {
        "title": data["title"],
        "url": data.get("url", ""),
        "description": data.get("description", ""),
        "author": data.get("author", ""),
        "date": data.get("date"),
        "licence": data["licence"],
        "kind": data["kind"],
        "visibility": data["visibility"],
        "programme": data.get("programme"),
        "phase": data.get("phase"),
        "session": data.get("session"),
        "team": data.get("team"),
        "call": data.get("call"),
    }
    if resource is None:
        return services.create_resource(
            organisation=organisation,
            acting_user=request.user,
            file=data.get("file"),
            tags=form.tags(),
            **fields,
        )
    if not fields["author"]:
        fields["author"] = resource.author
    if fields["date"] is None:
        fields["date"] = resource.date
    return services.update_resource(
        resource=resource,
        acting_user=request.user,
        file=data.get("file") or None,
        tags=form.tags(),
        **fields,
    )


@organisation_view()
def resource_add(request, organisation: Organisation):
    if role_in(request.user, organisation) not in (Role.COORDINATOR, Role.TRAINER):
        raise Http404
    form = ResourceForm(
        request.POST or None,
        request.FILES or None,
        organisation=organisation,
        initial=_initial_for(request, organisation),
    )
    if request.method == "POST" and form.is_valid():
        try:
            resource = _save_full_form(request, organisation, form)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Ressource ajoutée."))
            return redirect("ressources:resource_detail", organisation.slug, resource.pk)
    return render(request, "ressources/library/form.html", {"form": form, "resource": None})


@organisation_view()
def resource_edit(request, organisation: Organisation, resource_id: int):
    resource = get_changeable_resource_or_404(request.user, organisation, resource_id)
    initial = {
        "title": resource.title,
        "url": resource.url,
        "description": resource.description,
        "author": resource.author,
        "date": resource.date,
        "licence": resource.licence,
        "kind": resource.kind,
        "visibility": resource.visibility,
        "programme": resource.programme_id,
        "phase": resource.phase_id,
        "session": resource.session_id,
        "team": resource.team_id,
        "call": resource.call_id,
        "themes": [t.pk for t in resource.tags.all() if t.category == Tag.Category.THEME],
        "work_streams": [
            t.pk for t in resource.tags.all() if t.category == Tag.Category.WORK_STREAM
        ],
    }
    form = ResourceForm(
        request.POST or None, request.FILES or None, organisation=organisation, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            _save_full_form(request, organisation, form, resource)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Ressource enregistrée."))
            return redirect("ressources:resource_detail", organisation.slug, resource.pk)
    return render(request, "ressources/library/form.html", {"form": form, "resource": resource})


@organisation_view()
def resource_delete(request, organisation: Organisation, resource_id: int):
    resource = get_changeable_resource_or_404(request.user, organisation, resource_id)
    if request.method == "POST":
        back = _back_url(organisation, resource)
        services.delete_resource(resource=resource, acting_user=request.user)
        messages.success(request, _("Ressource supprimée."))
        return redirect(back)
    return render(request, "ressources/library/delete.html", {"resource": resource})


def _back_url(organisation, resource) -> str:
    if resource.call_id:
        return reverse(
            "candidatures:call_manage",
            args=[organisation.slug, resource.call.programme_id, resource.call_id],
        )
    if resource.session_id:
        return reverse("parcours:session_detail", args=[organisation.slug, resource.session_id])
    return reverse("ressources:library", args=[organisation.slug])


# --- A team's production, a session's document -----------------------------------------


def _attach(request, organisation, form, *, done: str, from_form=(), **fields) -> bool:
    """Save ``form``'s resource when posted and valid: its title, file or link, the
    form's fields named in ``from_form``, and the ``fields`` of where it belongs. True
    once saved, with ``done`` as the message; the service's refusals go next to the
    form's fields."""
    if request.method != "POST" or not form.is_valid():
        return False
    data = form.cleaned_data
    try:
        services.create_resource(
            organisation=organisation,
            acting_user=request.user,
            title=data["title"],
            file=data.get("file"),
            url=data.get("url", ""),
            **{name: data[name] for name in from_form},
            **fields,
        )
    except ValidationError as error:
        errors_to_form(form, error)
        return False
    messages.success(request, done)
    return True


@organisation_view()
def team_add(request, organisation: Organisation, team_id: int):
    """A team member (or the staff) adds a production to the team's space; made for a
    phone: one column, big targets, the camera allowed."""
    role = role_in(request.user, organisation)
    if role not in (Role.COORDINATOR, Role.TRAINER) and team_id not in writable_team_ids(
        request.user, organisation
    ):
        raise Http404
    team = get_object_or_404(
        Team.objects.select_related("cohort__programme"), organisation=organisation, pk=team_id
    )
    form = TeamResourceForm(request.POST or None, request.FILES or None)
    if _attach(
        request,
        organisation,
        form,
        done=_("Production ajoutée à l'espace de l'équipe."),
        from_form=("description", "visibility"),
        kind=ResourceKind.TEAM_OUTPUT,
        team=team,
        programme=team.cohort.programme,
    ):
        return redirect(
            "parcours:team_detail", organisation.slug, team.cohort.programme_id, team.pk
        )
    return render(request, "ressources/library/team_form.html", {"form": form, "team": team})


@organisation_view()
def session_add(request, organisation: Organisation, session_id: int):
    """A coordinator, a trainer or one of the session's facilitators attaches a document
    or an output to the session."""
    session = get_object_or_404(
        sessions_visible_to(request.user, organisation).select_related("programme"),
        pk=session_id,
    )
    if not can_attach_to_session(request.user, organisation, session):
        raise Http404
    form = SessionResourceForm(request.POST or None, request.FILES or None)
    if _attach(
        request,
        organisation,
        form,
        done=_("Document joint à la séance."),
        from_form=("kind",),
        visibility=Visibility.PROGRAMME,
        session=session,
        programme=session.programme,
        phase=session.phase,
    ):
        return redirect("parcours:session_detail", organisation.slug, session.pk)
    return render(
        request, "ressources/library/session_form.html", {"form": form, "session": session}
    )


@organisation_view("parcours.manage_programme")
def call_add(request, organisation: Organisation, call_id: int):
    """A coordinator adds a document to a call for applications: public, so that anyone
    reading the published call downloads it (its rules, a letter template)."""
    call = get_object_or_404(
        Call.objects.select_related("programme"), organisation=organisation, pk=call_id
    )
    form = CallResourceForm(request.POST or None, request.FILES or None)
    if _attach(
        request,
        organisation,
        form,
        done=_("Document ajouté à l'appel."),
        kind=ResourceKind.OTHER,
        visibility=Visibility.PUBLIC,
        call=call,
        programme=call.programme,
    ):
        return redirect("candidatures:call_manage", organisation.slug, call.programme_id, call.pk)
    return render(request, "ressources/library/call_form.html", {"form": form, "call": call})


# --- Tags ------------------------------------------------------------------------------


@organisation_view("parcours.manage_programme")
def tags(request, organisation: Organisation):
    form = TagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_tag(
                organisation=organisation,
                acting_user=request.user,
                category=form.cleaned_data["category"],
                name=form.cleaned_data["name"],
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Étiquette créée."))
            return redirect("ressources:tags", organisation.slug)
    all_tags = list(
        Tag.objects.filter(organisation=organisation)
        .annotate(used=Count("resources"))
        .order_by("category", "name")
    )
    return render(request, "ressources/library/tags.html", {"form": form, "tags": all_tags})


@organisation_view("parcours.manage_programme")
def tag_edit(request, organisation: Organisation, tag_id: int):
    tag = get_tag_or_404(organisation, tag_id)
    form = TagRenameForm(request.POST or None, initial={"name": tag.name})
    if request.method == "POST" and form.is_valid():
        try:
            services.rename_tag(tag=tag, acting_user=request.user, name=form.cleaned_data["name"])
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Étiquette renommée."))
            return redirect("ressources:tags", organisation.slug)
    return render(request, "ressources/library/tag_edit.html", {"form": form, "tag": tag})


@organisation_view("parcours.manage_programme")
@require_POST
def tag_delete(request, organisation: Organisation, tag_id: int):
    tag = get_tag_or_404(organisation, tag_id)
    services.delete_tag(tag=tag, acting_user=request.user)
    messages.success(request, _("Étiquette supprimée."))
    return redirect("ressources:tags", organisation.slug)


# --- The public library ----------------------------------------------------------------


@organisation_view(public=True)
def public_library(request, organisation: Organisation):
    text = (request.GET.get("q") or "")[:200]
    found = search(public_resources(organisation), text)
    resources = ordered(found, "pertinence", searching=bool(text))
    page = _page(request, resources.defer("search_text", "search_vector"))
    return render(request, "ressources/library/public_list.html", {"page": page, "text": text})


@organisation_view(public=True)
def public_detail(request, organisation: Organisation, resource_id: int):
    resource = get_public_resource_or_404(organisation, resource_id)
    return render(request, "ressources/library/public_detail.html", {"resource": resource})


@organisation_view(public=True)
def public_download(request, organisation: Organisation, resource_id: int):
    return file_response(get_public_resource_or_404(organisation, resource_id))
