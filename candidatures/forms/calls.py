"""Forms of the call for applications, coordinator side. They parse what was typed; the
services (``parcours.services.calls``) check and write."""

from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from candidatures.models import Call, ScoringCriterion
from candidatures.services import CALL_FIELDS
from parcours.forms import LocalDateTimeMixin
from parcours.models import Cohort, Session
from sillon import limits
from sillon.fields import ModelChoiceField
from sillon.forms import ModelForm


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class LocalDateTimeField(forms.DateTimeField):
    """A ``datetime-local`` input read and shown on the organisation's clock (``zone``,
    set by the form), whatever the server's time zone."""

    widget = DateTimeLocalInput
    zone: ZoneInfo | None = None

    def to_python(self, value):
        with timezone.override(self.zone):
            return super().to_python(value)

    def prepare_value(self, value):
        with timezone.override(self.zone):
            return super().prepare_value(value)


def _textarea(rows: int):
    return forms.Textarea(attrs={"rows": rows})


MARKDOWN_HELP = _("Mise en forme Markdown : **gras**, listes à puces, [lien](https://…).")


class CallForm(LocalDateTimeMixin, ModelForm):
    """The call's text and window. Dates are typed on the organisation's clock."""

    opens_at = LocalDateTimeField(label=_("Ouverture des candidatures"))
    closes_at = LocalDateTimeField(label=_("Clôture des candidatures"))
    # Declared with their querysets set per programme: scoped models cannot be queried
    # when the class is built.
    cohort = ModelChoiceField(
        label=_("Promotion"),
        queryset=None,
        empty_label=None,
        help_text=_("Les candidatures retenues deviennent des équipes de cette promotion."),
    )
    webinar = ModelChoiceField(
        label=_("Webinaire de questions-réponses"),
        queryset=None,
        required=False,
        empty_label=_("(aucun)"),
        help_text=_("Une séance du programme ; son lien de visio n'est pas publié."),
    )

    class Meta:
        model = Call
        fields = [
            "title",
            "slug",
            "summary",
            "cohort",
            "opens_at",
            "closes_at",
            "body",
            "eligibility",
            "criteria",
            "faq",
            "webinar",
            "contact_email",
        ]
        labels = {
            "title": _("Titre"),
            "slug": _("Adresse de la page publique"),
            "summary": _("Résumé"),
            "body": _("Présentation"),
            "eligibility": _("Conditions d'éligibilité"),
            "criteria": _("Critères de sélection"),
            "faq": _("Questions fréquentes"),
            "contact_email": _("E-mail de contact"),
        }
        help_texts = {
            "summary": _("Une ou deux phrases, reprises dans la liste des appels."),
            "body": MARKDOWN_HELP,
            "eligibility": MARKDOWN_HELP,
            "criteria": MARKDOWN_HELP,
            "faq": MARKDOWN_HELP,
        }
        widgets = {
            "summary": _textarea(2),
            "body": _textarea(10),
            "eligibility": _textarea(5),
            "criteria": _textarea(5),
            "faq": _textarea(6),
        }

    def __init__(self, *args, programme, **kwargs):
        self.programme = programme
        self.zone = ZoneInfo(programme.organisation.time_zone)
        super().__init__(*args, **kwargs)
        for name in ("opens_at", "closes_at"):
            self.fields[name].zone = self.zone
            self.fields[name].help_text = _("Heure de %(zone)s.") % {"zone": self.zone.key}
        slug = self.fields["slug"]
        slug.required = False
        slug.help_text = _(
            "La fin de l'adresse publique, par exemple « ami-2026 ». Laissez vide pour la "
            "déduire du titre."
        )
        self.fields["cohort"].queryset = Cohort.objects.filter(programme=programme)
        self.fields["webinar"].queryset = (
            Session.objects.filter(programme=programme)
            .exclude(status=Session.Status.CANCELLED)
            .order_by("starts_at", "pk")
        )

    def _post_clean(self):
        # The service checks the whole call (dates, address, cohort) and writes it; the
        # instance is left as it was, so a refused change leaves nothing behind.
        pass

    def clean(self):
        cleaned = super().clean()
        opens_at, closes_at = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens_at and closes_at and closes_at <= opens_at:
            self.add_error(
                "closes_at", _("La clôture des candidatures doit suivre leur ouverture.")
            )
        return cleaned

    def call_fields(self) -> dict:
        """Keyword arguments for ``services.create_call`` / ``update_call``."""
        return {name: self.cleaned_data[name] for name in CALL_FIELDS}


class CriterionForm(ModelForm):
    # The service gives the real limits (weight, « entre 1 et 20 ») with its own words.
    maximums = {"weight": limits.SMALL, "max_score": limits.SMALL, "order": limits.SMALL}

    class Meta:
        model = ScoringCriterion
        fields = ["name", "description", "weight", "max_score", "order"]
        labels = {
            "name": _("Critère"),
            "weight": _("Poids"),
            "max_score": _("Note maximale"),
            "order": _("Ordre"),
        }
        help_texts = {
            "weight": _("Un critère de poids 2 compte double dans la moyenne."),
            "max_score": _("Entre 1 et 20."),
        }
        widgets = {"description": _textarea(2)}

    def _post_clean(self):
        # The service checks the limits (weight, maximum, scores already given).
        pass

    def criterion_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
