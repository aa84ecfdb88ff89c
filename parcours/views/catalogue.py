"""The catalogue sheet of a programme: its page for the programme's people, its editing,
its versions, and, once published, its public page and PDF."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organisations.access import organisation_view
from parcours.access import get_programme_for_user_or_404
from parcours.catalogue_forms import CatalogueSheetForm
from parcours.extensions import catalogue_figures
from parcours.forms import add_service_errors
from parcours.models import CatalogueSheet, CatalogueVersion
from parcours.services.catalogue import (
    duration_hint,
    new_sheet,
    proposed_trainers,
    publish_catalogue_sheet,
    save_catalogue_sheet,
)
from parcours.views.calendar import programme_context
from parcours.views.receipts import pdf_response
from sillon.formatting import format_moment
from sillon.pdf import render_pdf

VIEW = "parcours.view_calendar"
MANAGE = "parcours.manage_programme"


def sheet_of(programme) -> CatalogueSheet | None:
    return CatalogueSheet.objects.filter(programme=programme).first()


def _latest(sheet: CatalogueSheet | None) -> CatalogueVersion | None:
    if sheet is None:
        return None
    return sheet.versions.order_by("-number").first()


def _sheet_context(organisation, programme, sheet, version) -> dict:
    """What ``parcours/catalogue/_sheet.html`` shows: a version's content, the figures
    of the apps above (the satisfaction rate and its n), the date of last update."""
    return {
        "content": version.content if version else None,
        "figures": catalogue_figures.collect(programme=programme) if version else [],
        "updated": format_moment(version.created_at, organisation) if version else "",
        "version": version,
    }


@organisation_view(VIEW)
def catalogue_detail(request, organisation, programme_id: int):
    """« Fiche catalogue »: the sheet as it reads, its versions, and for coordinators
    its editing and publication."""
    programme = get_programme_for_user_or_404(request.user, organisation, programme_id)
    sheet = sheet_of(programme)
    version = _latest(sheet)
    context = programme_context(request, organisation, programme, "catalogue")
    context.update(_sheet_context(organisation, programme, sheet, version))
    context.update(
        {
            "sheet": sheet,
            "versions": list(
                sheet.versions.select_related("created_by").order_by("-number") if sheet else []
            ),
            "public_url": (
                reverse("parcours:catalogue_public", args=[organisation.slug, sheet.slug])
                if sheet and sheet.published
                else ""
            ),
        }
    )
    return render(request, "parcours/catalogue/detail.html", context)


@organisation_view(MANAGE)
def catalogue_edit(request, organisation, programme_id: int):
    programme = get_programme_for_user_or_404(request.user, organisation, programme_id)
    sheet = sheet_of(programme)
    creating = sheet is None
    if creating:
        sheet = new_sheet(programme)
    initial = {"description": programme.description, "objectives": programme.objectives}
    initial["trainers"] = (
        list(proposed_trainers(programme)) if creating else list(sheet.trainers.all())
    )
    form = CatalogueSheetForm(
        request.POST or None,
        instance=sheet,
        initial=initial,
        programme=programme,
        duration_hint=duration_hint(programme),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            version = save_catalogue_sheet(
                sheet=form.instance,
                acting_user=request.user,
                trainers=data["trainers"],
                description=data["description"],
                objectives=data["objectives"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if version is None:
                messages.info(request, _("Rien n'a changé : la fiche reste à sa version."))
            else:
                messages.success(
                    request,
                    _("Fiche catalogue enregistrée (version %(number)s).")
                    % {"number": version.number},
                )
            return redirect("parcours:catalogue", organisation.slug, programme.pk)
    context = programme_context(request, organisation, programme, "catalogue")
    context.update({"form": form, "creating": creating})
    return render(request, "parcours/catalogue/edit.html", context)


@organisation_view(MANAGE)
@require_POST
def catalogue_publish(request, organisation, programme_id: int):
    programme = get_programme_for_user_or_404(request.user, organisation, programme_id)
    sheet = sheet_of(programme)
    if sheet is None or not sheet.versions.exists():
        raise Http404
    publish = request.POST.get("publish") == "1"
    publish_catalogue_sheet(sheet=sheet, acting_user=request.user, published=publish)
    messages.success(
        request,
        _("La fiche catalogue est publiée.")
        if publish
        else _("La fiche catalogue n'est plus publique."),
    )
    return redirect("parcours:catalogue", organisation.slug, programme.pk)


@organisation_view(VIEW)
def catalogue_version(request, organisation, programme_id: int, version_number: int):
    programme = get_programme_for_user_or_404(request.user, organisation, programme_id)
    sheet = sheet_of(programme)
    if sheet is None:
        raise Http404
    version = get_object_or_404(CatalogueVersion, sheet=sheet, number=version_number)
    context = programme_context(request, organisation, programme, "catalogue")
    context.update(
        {
            "sheet": sheet,
            "content": version.content,
            "figures": [],
            "updated": format_moment(version.created_at, organisation),
            "version": version,
            "is_latest": not sheet.versions.filter(number__gt=version_number).exists(),
        }
    )
    return render(request, "parcours/catalogue/version.html", context)


# --- The public sheet ------------------------------------------------------------------


def _public_sheet(organisation, slug: str):
    sheet = get_object_or_404(
        CatalogueSheet.objects.select_related("programme"),
        organisation=organisation,
        slug=slug,
        published=True,
    )
    version = _latest(sheet)
    if version is None:
        raise Http404
    return sheet, version


@organisation_view(public=True)
def catalogue_public(request, organisation, catalogue_slug: str):
    """The published sheet, readable by anyone (no other data of the programme)."""
    sheet, version = _public_sheet(organisation, catalogue_slug)
    context = _sheet_context(organisation, sheet.programme, sheet, version)
    context.update({"sheet": sheet, "organisation": organisation})
    return render(request, "parcours/catalogue/public.html", context)


@organisation_view(public=True)
def catalogue_pdf(request, organisation, catalogue_slug: str):
    sheet, version = _public_sheet(organisation, catalogue_slug)
    context = _sheet_context(organisation, sheet.programme, sheet, version)
    context.update({"sheet": sheet, "organisation": organisation})
    content = render_pdf("parcours/catalogue/sheet.pdf.html", context)
    return pdf_response(content, f"fiche-{sheet.slug}.pdf")
