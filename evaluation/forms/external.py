"""Forms of external evaluations: creating one, recording its figures and report."""

from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext_lazy as _

from evaluation.forms.campaigns import LocalDateTimeField
from evaluation.models import Moment
from sillon.forms import Form


class ExternalCampaignForm(Form):
    title = forms.CharField(label=_("Titre"), max_length=200)
    moment = forms.ChoiceField(label=_("Moment"), choices=Moment.choices, initial=Moment.COLD)
    description = forms.CharField(
        label=_("Public visé"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Qui a été sollicité, et comment (outil, entretien téléphonique…)."),
    )
    opens_at = LocalDateTimeField(label=_("Début de l'évaluation"))
    closes_at = LocalDateTimeField(label=_("Fin de l'évaluation"))

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        zone = ZoneInfo(programme.organisation.time_zone)
        for name in ("opens_at", "closes_at"):
            self.fields[name].zone = zone

    def service_fields(self) -> dict:
        return dict(self.cleaned_data)


class ExternalFiguresForm(Form):
    external_invited = forms.IntegerField(
        label=_("Personnes sollicitées"), required=False, min_value=0, max_value=1_000_000
    )
    external_respondents = forms.IntegerField(
        label=_("Répondant·es"), required=False, min_value=0, max_value=1_000_000
    )
    external_satisfaction = forms.DecimalField(
        label=_("Taux de satisfaction (%)"),
        required=False,
        min_value=0,
        max_value=100,
        max_digits=4,
        decimal_places=1,
        help_text=_("Un pourcentage, avec au plus une décimale (92,7)."),
        localize=True,
    )
    external_summary = forms.CharField(
        label=_("Synthèse"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    external_report = forms.FileField(
        label=_("Rapport"),
        required=False,
        help_text=_("PDF, Word, Excel ou OpenDocument, 10 Mo au plus."),
    )
    remove_report = forms.BooleanField(label=_("Retirer le rapport joint"), required=False)

    def __init__(self, *args, campaign, **kwargs):
        if "initial" not in kwargs:
            kwargs["initial"] = {
                "external_invited": campaign.external_invited,
                "external_respondents": campaign.external_respondents,
                "external_satisfaction": campaign.external_satisfaction,
                "external_summary": campaign.external_summary,
            }
        super().__init__(*args, **kwargs)
        if not campaign.external_report:
            del self.fields["remove_report"]

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "invited": data["external_invited"],
            "respondents": data["external_respondents"],
            "satisfaction": data["external_satisfaction"],
            "summary": data["external_summary"],
            "report": data["external_report"] or None,
            "remove_report": data.get("remove_report", False),
        }
