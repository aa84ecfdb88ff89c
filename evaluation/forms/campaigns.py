"""Forms of the campaign tools: they parse what a coordinator typed (dates on the
organisation's wall clock); ``evaluation.services.campaigns`` checks and writes."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from evaluation.models import AutomaticCampaign, Campaign, Moment, Questionnaire
from evaluation.targets import default_sheet_wait
from organisations.models import Role
from parcours.models import Session, SessionKind, Team
from sillon import limits
from sillon.fields import ModelChoiceField, ModelMultipleChoiceField
from sillon.forms import Form

User = get_user_model()

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
SHEET_WAIT_HELP = _(
    "Pour « les participant·es d'une séance » : le questionnaire part aux personnes "
    "notées présentes dès que la feuille d'émargement est remplie ; sans feuille à cette "
    "échéance, il part aux inscrit·es. Vide : le lendemain de la séance à 9 h."
)


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=DATETIME_FORMAT)


class LocalDateTimeField(forms.Field):
    """A ``datetime-local`` input read and shown on the organisation's wall clock."""

    widget = LocalDateTimeInput
    default_error_messages = {
        "invalid": _("Indiquez une date et une heure (jj/mm/aaaa hh:mm)."),
    }

    def __init__(self, *, zone: ZoneInfo | None = None, **kwargs):
        self.zone = zone or ZoneInfo("Europe/Paris")
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, datetime) and value.tzinfo is not None:
            return value.astimezone(self.zone).replace(tzinfo=None)
        return value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value if value.tzinfo else value.replace(tzinfo=self.zone)
        text = str(value).strip()
        for pattern in (DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"):
            try:
                return datetime.strptime(text, pattern).replace(tzinfo=self.zone)
            except ValueError:
                continue
        raise ValidationError(self.error_messages["invalid"], code="invalid")


class PersonChoiceField(ModelMultipleChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.email


class SessionChoiceField(ModelChoiceField):
    def __init__(self, *args, zone, **kwargs):
        self.zone = zone
        super().__init__(*args, **kwargs)

    def label_from_instance(self, session):
        day = session.starts_at.astimezone(self.zone).strftime("%d/%m/%Y")
        return f"{day} — {session.title}"


def staff_choices(organisation):
    """Trainers and coordinators of the organisation (who may assess)."""
    return (
        User.objects.filter(
            memberships__organisation=organisation,
            memberships__role__in=[Role.TRAINER, Role.COORDINATOR],
        )
        .order_by("last_name", "first_name", "email")
        .distinct()
    )


def questionnaire_choices(programme):
    return Questionnaire.objects.filter(
        Q(programme__isnull=True) | Q(programme=programme),
        organisation=programme.organisation_id,
        archived=False,
    ).order_by("title", "pk")


class CampaignForm(Form):
    """Every setting of a campaign (before launch)."""

    title = forms.CharField(label=_("Titre"), max_length=200)
    questionnaire = ModelChoiceField(
        label=_("Questionnaire"),
        queryset=None,
        help_text=_(
            "Un questionnaire du programme ou de la bibliothèque. Sa dernière version "
            "publiée est figée au lancement."
        ),
    )
    moment = forms.ChoiceField(label=_("Moment"), choices=Moment.choices, initial=Moment.FREE)
    mode = forms.ChoiceField(
        label=_("Qui répond"),
        choices=Campaign.Mode.choices,
        initial=Campaign.Mode.PERSON,
        widget=forms.RadioSelect,
    )
    anonymous = forms.BooleanField(
        label=_("Réponses anonymes"),
        required=False,
        help_text=_(
            "Seulement pour « une réponse par personne » : les réponses ne peuvent pas être "
            "reliées à leur auteur·rice, même par les coordinateurs ; le fait d'avoir répondu "
            "est enregistré à part pour pouvoir relancer."
        ),
    )
    anonymity_threshold = forms.IntegerField(
        label=_("Seuil d'anonymat"),
        required=False,
        initial=5,
        min_value=3,
        max_value=1000,
        error_messages={"min_value": _("Le seuil d'anonymat est d'au moins 3 réponses.")},
        help_text=_(
            "Pour une campagne anonyme : aucun résultat n'est montré avant ce nombre de "
            "réponses (3 au minimum)."
        ),
    )
    audience = forms.ChoiceField(
        label=_("Public"),
        # A call's applicants are reached from the call's page only.
        choices=[c for c in Campaign.Audience.choices if c[0] != Campaign.Audience.APPLICANTS],
        initial=Campaign.Audience.COHORT,
        widget=forms.RadioSelect,
    )
    teams = ModelMultipleChoiceField(
        label=_("Équipes"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Pour « certaines équipes »."),
    )
    session = ModelChoiceField(
        label=_("Séance"),
        queryset=None,
        required=False,
        empty_label=_("(aucune)"),
        help_text=_(
            "Pour « les participant·es d'une séance » ; ses intervenant·es évaluent par défaut."
        ),
    )
    people = PersonChoiceField(
        label=_("Personnes"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Pour « des personnes nommément désignées »."),
    )
    assessors = PersonChoiceField(
        label=_("Évaluateur·rices"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Pour les évaluations par les intervenant·es."),
    )
    paired_with = ModelChoiceField(
        label=_("Mettre en regard de"),
        queryset=None,
        required=False,
        empty_label=_("(aucune campagne)"),
        help_text=_(
            "L'auto-évaluation correspondant à cette évaluation (ou l'inverse) : les "
            "résultats les montrent côte à côte."
        ),
    )
    opens_at = LocalDateTimeField(label=_("Ouverture"))
    closes_at = LocalDateTimeField(label=_("Clôture"))
    sheet_wait_until = LocalDateTimeField(
        label=_("Attendre la feuille d'émargement jusqu'au"),
        required=False,
        help_text=SHEET_WAIT_HELP,
    )
    message = forms.CharField(
        max_length=limits.NOTE,
        label=_("Message aux répondant·es"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Repris dans l'e-mail d'invitation et en tête du questionnaire."),
    )

    def __init__(self, *args, programme, campaign=None, **kwargs):
        self.programme = programme
        self.zone = ZoneInfo(programme.organisation.time_zone)
        if campaign is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(campaign)
        super().__init__(*args, **kwargs)
        organisation = programme.organisation
        for name in ("opens_at", "closes_at", "sheet_wait_until"):
            self.fields[name].zone = self.zone
        self.fields["questionnaire"].queryset = questionnaire_choices(programme)
        self.fields["teams"].queryset = Team.objects.filter(cohort__programme=programme).order_by(
            "name"
        )
        self.fields["session"] = SessionChoiceField(
            label=self.fields["session"].label,
            queryset=Session.objects.filter(programme=programme).active().order_by("starts_at"),
            required=False,
            empty_label=_("(aucune)"),
            help_text=self.fields["session"].help_text,
            zone=self.zone,
        )
        self.fields["people"].queryset = (
            User.objects.filter(
                Q(memberships__organisation=organisation)
                | Q(
                    team_memberships__team__cohort__programme=programme,
                    team_memberships__left_at__isnull=True,
                )
            )
            .filter(is_active=True)
            .order_by("last_name", "first_name", "email")
            .distinct()
        )
        self.fields["assessors"].queryset = staff_choices(organisation)
        pairs = Campaign.objects.filter(
            programme=programme, anonymous=False, call__isnull=True
        ).exclude(status=Campaign.Status.CANCELLED)
        if campaign is not None:
            pairs = pairs.exclude(pk=campaign.pk)
        self.fields["paired_with"].queryset = pairs.order_by("-opens_at", "pk")

    @staticmethod
    def initial_from(campaign: Campaign) -> dict:
        return {
            "title": campaign.title,
            "questionnaire": campaign.questionnaire_id,
            "moment": campaign.moment,
            "mode": campaign.mode,
            "anonymous": campaign.anonymous,
            "anonymity_threshold": campaign.anonymity_threshold,
            "audience": campaign.audience,
            "teams": [team.pk for team in campaign.teams.all()],
            "session": campaign.session_id,
            "people": [user.pk for user in campaign.people.all()],
            "assessors": [user.pk for user in campaign.assessors.all()],
            "paired_with": campaign.paired_with_id,
            "opens_at": campaign.opens_at,
            "closes_at": campaign.closes_at,
            "sheet_wait_until": campaign.sheet_wait_until,
            "message": campaign.message,
        }

    @staticmethod
    def initial_for_session(session: Session) -> dict:
        """A « à chaud » campaign for ``session``'s participants, from its end."""
        return {
            "title": _("Évaluation à chaud — %(title)s") % {"title": session.title},
            "moment": Moment.HOT,
            "audience": Campaign.Audience.SESSION,
            "mode": Campaign.Mode.PERSON,
            "anonymous": True,
            "session": session.pk,
            "opens_at": session.ends_at,
            "closes_at": session.ends_at + timedelta(days=14),
            "sheet_wait_until": default_sheet_wait(session, session.organisation.time_zone),
        }

    def clean_anonymity_threshold(self) -> int:
        # Left empty: the default threshold.
        value = self.cleaned_data.get("anonymity_threshold")
        return 5 if value is None else value

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {
            name: data[name]
            for name in (
                "questionnaire",
                "title",
                "moment",
                "audience",
                "mode",
                "anonymous",
                "anonymity_threshold",
                "opens_at",
                "closes_at",
                "message",
                "session",
                "paired_with",
                "sheet_wait_until",
            )
        } | {
            "teams": list(data["teams"]),
            "people": list(data["people"]),
            "assessors": list(data["assessors"]),
        }


class LaunchedCampaignForm(Form):
    """What may still change once a campaign is launched."""

    title = forms.CharField(label=_("Titre"), max_length=200)
    closes_at = LocalDateTimeField(
        label=_("Clôture"), help_text=_("Avancez-la ou repoussez-la, mais pas dans le passé.")
    )
    message = forms.CharField(
        max_length=limits.NOTE,
        label=_("Message aux répondant·es"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    assessors = PersonChoiceField(
        label=_("Évaluateur·rices"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sheet_wait_until = LocalDateTimeField(
        label=_("Attendre la feuille d'émargement jusqu'au"),
        required=False,
        help_text=SHEET_WAIT_HELP,
    )

    def __init__(self, *args, programme, campaign, **kwargs):
        self.zone = ZoneInfo(programme.organisation.time_zone)
        if "initial" not in kwargs:
            kwargs["initial"] = {
                "title": campaign.title,
                "closes_at": campaign.closes_at,
                "message": campaign.message,
                "assessors": [user.pk for user in campaign.assessors.all()],
                "sheet_wait_until": campaign.sheet_wait_until,
            }
        super().__init__(*args, **kwargs)
        self.fields["closes_at"].zone = self.zone
        self.fields["sheet_wait_until"].zone = self.zone
        if campaign.is_assessment:
            self.fields["assessors"].queryset = staff_choices(programme.organisation)
        else:
            del self.fields["assessors"]
        if campaign.audience != Campaign.Audience.SESSION or campaign.audience_fallback:
            del self.fields["sheet_wait_until"]

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        if "assessors" in data:
            data["assessors"] = list(data["assessors"])
        return data


class CancelCampaignForm(Form):
    confirm = forms.BooleanField(
        label=_("Je confirme l'annulation malgré les réponses déjà envoyées"), required=False
    )


class AutomaticCampaignForm(Form):
    session_kind = ModelChoiceField(label=_("Type de séance"), queryset=None)
    questionnaire = ModelChoiceField(label=_("Questionnaire"), queryset=None)
    open_days = forms.IntegerField(
        label=_("Durée d'ouverture (jours)"),
        min_value=1,
        max_value=90,
        initial=14,
        help_text=_("Le questionnaire ouvre à la fin de la séance, pour 1 à 90 jours."),
    )
    anonymous = forms.BooleanField(label=_("Réponses anonymes"), required=False, initial=True)
    enabled = forms.BooleanField(
        label=_("Active"),
        required=False,
        initial=True,
        help_text=_(
            "Désactivée : plus aucune campagne créée ; celles pas encore ouvertes sont retirées."
        ),
    )

    def __init__(self, *args, programme, automatic: AutomaticCampaign | None = None, **kwargs):
        if automatic is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "session_kind": automatic.session_kind_id,
                "questionnaire": automatic.questionnaire_id,
                "open_days": automatic.open_days,
                "anonymous": automatic.anonymous,
                "enabled": automatic.enabled,
            }
        super().__init__(*args, **kwargs)
        self.fields["session_kind"].queryset = SessionKind.objects.filter(programme=programme)
        self.fields["questionnaire"].queryset = questionnaire_choices(programme)

    def service_fields(self) -> dict:
        return dict(self.cleaned_data)


class CampaignFilterForm(Form):
    moment = forms.ChoiceField(
        label=_("Moment"), choices=[("", _("Tous les moments")), *Moment.choices], required=False
    )
    state = forms.ChoiceField(
        label=_("État"),
        required=False,
        choices=[
            ("", _("Tous les états")),
            ("draft", _("Brouillon")),
            ("upcoming", _("Programmée")),
            ("open", _("Ouverte")),
            ("closed", _("Clôturée")),
            ("cancelled", _("Annulée")),
        ],
    )
