"""External evaluations: creating one (coordinators), recording its figures and
report, and downloading the report (whoever sees the campaign: coordinators, and
trainers and observers as for results). Never sent, reminded nor answered."""

import os

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from evaluation.access import get_campaign_for_user_or_404, get_managed_campaign_or_404
from evaluation.external import figures_of
from evaluation.forms.external import ExternalCampaignForm, ExternalFiguresForm
from evaluation.services import external as services
from organisations.access import organisation_view
from parcours.access import get_programme_for_user_or_404
from parcours.forms import add_service_errors
from sillon.formatting import format_moment

VIEW = "evaluation.view_staff"
MANAGE = "evaluation.manage"


def external_context(request, organisation, campaign) -> dict:
    """What the campaign page shows of an external evaluation."""
    report_url = ""
    if campaign.external_report:
        report_url = reverse("evaluation:external_report", args=[organisation.slug, campaign.pk])
    figures = figures_of(
        [
            (
                campaign.external_invited,
                campaign.external_respondents,
                campaign.external_satisfaction,
            )
        ]
    )
    return {
        "external_figures": figures,
        "report_url": report_url,
        "report_name": os.path.basename(campaign.external_report.name or ""),
        "period": _("du %(start)s au %(end)s")
        % {
            "start": format_moment(campaign.opens_at, organisation),
            "end": format_moment(campaign.closes_at, organisation),
        },
    }


@organisation_view(MANAGE)
def external_create(request, organisation, programme_id):
    programme = get_programme_for_user_or_404(request.user, organisation, programme_id)
    form = ExternalCampaignForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.create_external_campaign(
                programme=programme, acting_user=request.user, **form.service_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Évaluation externe « %(title)s » créée : saisissez ses chiffres clés.")
                % {"title": campaign.title},
            )
            return redirect("evaluation:external_figures", organisation.slug, campaign.pk)
    return render(
        request,
        "evaluation/campaigns/external_form.html",
        {"programme": programme, "form": form, "campaign": None},
    )


@organisation_view(MANAGE)
def external_figures(request, organisation, campaign_id):
    campaign = get_managed_campaign_or_404(organisation, campaign_id)
    if not campaign.external:
        raise Http404
    form = ExternalFiguresForm(request.POST or None, request.FILES or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_external_figures(
                campaign=campaign, acting_user=request.user, **form.service_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Chiffres de l'évaluation externe enregistrés."))
            return redirect("evaluation:campaign_detail", organisation.slug, campaign.pk)
    return render(
        request,
        "evaluation/campaigns/external_form.html",
        {"programme": campaign.programme, "form": form, "campaign": campaign},
    )


@organisation_view(VIEW)
def external_report(request, organisation, campaign_id):
    campaign = get_campaign_for_user_or_404(request.user, organisation, campaign_id)
    if not campaign.external or not campaign.external_report:
        raise Http404
    name = os.path.basename(campaign.external_report.name)
    return FileResponse(campaign.external_report.open("rb"), as_attachment=True, filename=name)
