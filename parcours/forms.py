"""Forms of the coordinator tools. They parse and check what a person typed; the
services decide and write (see ``parcours.views.manage``)."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from organisations.models import Role
from parcours.models import (
    AgendaItem,
    Cohort,
    Phase,
    Programme,
    Session,
    SessionFormat,
    SessionKind,
    Team,
    TeamRole,
    Workshop,
)
from parcours.services import SESSION_FIELDS, TEAM_ROLE_PRESETS
from sillon import limits
from sillon.fields import ModelChoiceField, ModelMultipleChoiceField
from sillon.forms import Form, ModelForm
from territoires.forms import TerritoryField

User = get_user_model()


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m")


def month_field(**kwargs) -> forms.DateField:
    """A month (« 2027-03 »), kept as its first day."""
    return forms.DateField(
        input_formats=["%Y-%m", "%Y-%m-%d"],
        widget=MonthInput(),
        required=False,
        **kwargs,
    )


class ColourInput(forms.TextInput):
    input_type = "color"


# Bounds of free input: a session's capacity, a long text (objectives, content).
MAX_CAPACITY = 100_000
MAX_TEXT = 20_000


def _textarea(rows=3):
    return forms.Textarea(attrs={"rows": rows})


class PersonChoiceField(ModelMultipleChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.email


def facilitator_choices(organisation):
    """Trainers and coordinators of the organisation, who may run a session."""
    return (
        User.objects.filter(
            memberships__organisation=organisation,
            memberships__role__in=[Role.TRAINER, Role.COORDINATOR],
        )
        .order_by("last_name", "first_name", "email")
        .distinct()
    )


# --- Programmes ----------------------------------------------------------------------


class ProgrammeForm(ModelForm):
    class Meta:
        model = Programme
        fields = ["name", "description", "objectives", "start_date", "end_date"]
        labels = {
            "name": _("Nom du programme"),
            "start_date": _("Date de début"),
            "end_date": _("Date de fin"),
        }
        widgets = {
            "description": _textarea(4),
            "objectives": _textarea(4),
            "start_date": DateInput(),
            "end_date": DateInput(),
        }

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("La fin du programme doit suivre son début."))
        return cleaned


class ProgrammeEditForm(ProgrammeForm):
    """The programme's settings once created, with who sees names."""

    class Meta(ProgrammeForm.Meta):
        fields = [*ProgrammeForm.Meta.fields, "observers_see_names"]


class ProgrammeCreateForm(ProgrammeForm):
    cohort_name = forms.CharField(
        label=_("Nom de la promotion"),
        max_length=200,
        required=False,
        help_text=_("Par exemple « Promotion 2026–2028 » (proposé par défaut)."),
    )
    team_roles = forms.ChoiceField(
        label=_("Rôles dans les équipes"),
        choices=[(key, preset.label) for key, preset in TEAM_ROLE_PRESETS.items()],
        initial="pat",
        help_text=_("Un point de départ : les rôles se modifient ensuite, page « Rôles »."),
        widget=forms.RadioSelect,
    )


class ProgrammeCopyForm(Form):
    name = forms.CharField(label=_("Nom du nouveau programme"), max_length=200)
    start_date = forms.DateField(label=_("Nouvelle date de début"), widget=DateInput())
    cohort_name = forms.CharField(
        label=_("Nom de la promotion"),
        max_length=200,
        required=False,
        help_text=_("Laissez vide pour « Promotion <année de début>–<année de fin> »."),
    )
    shift_days = forms.IntegerField(
        required=False, min_value=-3660, max_value=3660, widget=forms.HiddenInput
    )


# --- Phases, session kinds -----------------------------------------------------------


class PhaseForm(ModelForm):
    maximums = {"order": limits.SMALL, "start_month": 240, "end_month": 240}

    MONTHS = "months"
    DATES = "dates"

    period = forms.ChoiceField(
        label=_("Période"),
        choices=[
            (MONTHS, _("Période exprimée en mois du parcours")),
            (DATES, _("Période exprimée en dates")),
        ],
        initial=MONTHS,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Phase
        fields = [
            "name",
            "order",
            "colour",
            "period",
            "start_month",
            "end_month",
            "start_date",
            "end_date",
            "description",
        ]
        labels = {
            "start_month": _("Mois de début"),
            "end_month": _("Mois de fin"),
            "start_date": _("Date de début"),
            "end_date": _("Date de fin"),
        }
        help_texts = {
            "start_month": _("Mois 0 : le mois où le programme commence."),
            "end_month": _("Inclus : « mois 4 à 9 » finit à la fin du mois 9."),
        }
        widgets = {
            "colour": ColourInput(),
            "start_date": DateInput(),
            "end_date": DateInput(),
            "description": _textarea(3),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.instance.uses_months:
            self.fields["period"].initial = self.DATES

    def clean(self):
        cleaned = super().clean()
        required = _("Ce champ est obligatoire.")
        if cleaned.get("period") == self.DATES:
            cleaned["start_month"] = cleaned["end_month"] = None
            for name in ("start_date", "end_date"):
                if cleaned.get(name) is None and name not in self.errors:
                    self.add_error(name, required)
            start, end = cleaned.get("start_date"), cleaned.get("end_date")
            if start and end and end < start:
                self.add_error("end_date", _("La fin de la phase doit suivre son début."))
        else:
            cleaned["start_date"] = cleaned["end_date"] = None
            for name in ("start_month", "end_month"):
                if cleaned.get(name) is None and name not in self.errors:
                    self.add_error(name, required)
            start, end = cleaned.get("start_month"), cleaned.get("end_month")
            if start is not None and end is not None and end < start:
                self.add_error("end_month", _("Le mois de fin doit suivre le mois de début."))
        return cleaned


class SessionKindForm(ModelForm):
    maximums = {"order": limits.SMALL}

    class Meta:
        model = SessionKind
        fields = ["name", "colour", "is_individual", "order"]
        widgets = {"colour": ColourInput()}


# --- Teams ---------------------------------------------------------------------------


class TeamForm(Form):
    name = forms.CharField(label=_("Nom de l'équipe"), max_length=200)
    cohort = ModelChoiceField(label=_("Promotion"), queryset=None, empty_label=None)
    territory = TerritoryField(
        label=_("Territoire"),
        required=False,
        help_text=_(
            "Facultatif. Tapez le nom ou le code officiel (SIREN d'un EPCI, code INSEE "
            "d'une commune) et choisissez dans la liste."
        ),
    )

    def __init__(self, *args, programme, cohorts, **kwargs):
        """``cohorts``: the programme's cohorts, already fetched by the page."""
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = Cohort.objects.filter(programme=programme)
        if len(cohorts) == 1:
            self.fields["cohort"].initial = cohorts[0].pk
            self.fields["cohort"].widget = forms.HiddenInput()


# --- Sessions ------------------------------------------------------------------------


class LocalDateTimeMixin:
    """Turns separate date and time fields into aware datetimes in the organisation's
    time zone."""

    zone: ZoneInfo

    def moment(self, day, at=None):
        return datetime.combine(day, at or time(0), tzinfo=self.zone)


class SessionForm(LocalDateTimeMixin, Form):
    title = forms.CharField(label=_("Titre"), max_length=200)
    kind = ModelChoiceField(label=_("Type de séance"), queryset=None)
    phase = ModelChoiceField(
        label=_("Phase"), queryset=None, required=False, empty_label=_("(aucune)")
    )
    format = forms.ChoiceField(
        label=_("Format"), choices=SessionFormat.choices, widget=forms.RadioSelect
    )
    all_day = forms.BooleanField(
        label=_("Journée(s) entière(s)"),
        required=False,
        help_text=_("Sans heures : du premier au dernier jour inclus."),
    )
    start_date = forms.DateField(
        label=_("Date de début"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "Laissez vide si la date reste à confirmer : choisissez alors « À confirmer » et "
            "une phase ou un mois visé."
        ),
    )
    start_time = forms.TimeField(label=_("Heure de début"), required=False, widget=TimeInput())
    end_date = forms.DateField(
        label=_("Date de fin"),
        required=False,
        widget=DateInput(),
        help_text=_("Laissez vide pour une séance sur un seul jour."),
    )
    end_time = forms.TimeField(label=_("Heure de fin"), required=False, widget=TimeInput())
    target_month = month_field(
        label=_("Mois visé"),
        help_text=_("Pour une séance dont la date reste à confirmer (« mars 2027 »)."),
    )
    date_note = forms.CharField(
        label=_("Précision sur la date"),
        max_length=200,
        required=False,
        help_text=_("Par exemple « options : 9-10 ou 10-11 décembre »."),
    )
    status = forms.ChoiceField(
        label=_("Statut"),
        choices=[
            (Session.Status.SCHEDULED, _("Programmée : les personnes attendues sont convoquées")),
            (Session.Status.TENTATIVE, _("À confirmer : date annoncée sous réserve")),
        ],
        initial=Session.Status.SCHEDULED,
        widget=forms.RadioSelect,
    )
    place = forms.CharField(
        max_length=limits.NOTE,
        label=_("Lieu (adresse)"),
        required=False,
        widget=_textarea(2),
        help_text=_("Obligatoire en présentiel et en hybride."),
    )
    visio_url = forms.CharField(
        label=_("Lien de visio"),
        max_length=500,
        required=False,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
        help_text=_("Montré seulement aux personnes attendues."),
    )
    capacity = forms.IntegerField(
        label=_("Capacité"), min_value=1, max_value=MAX_CAPACITY, required=False
    )
    objectives = forms.CharField(
        label=_("Objectifs"), required=False, max_length=MAX_TEXT, widget=_textarea(3)
    )
    content = forms.CharField(
        label=_("Contenu"), required=False, max_length=MAX_TEXT, widget=_textarea(4)
    )
    facilitators = PersonChoiceField(
        label=_("Intervenant·es"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    audience = forms.ChoiceField(
        label=_("Public"),
        choices=Session.Audience.choices,
        initial=Session.Audience.COHORT,
        widget=forms.RadioSelect,
    )
    teams = ModelMultipleChoiceField(
        label=_("Équipes concernées"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Pour « certaines équipes » ou « une équipe »."),
    )
    expected_presence = forms.ChoiceField(
        label=_("Présence attendue"),
        choices=Session.Presence.choices,
        initial=Session.Presence.WHOLE_TEAM_WISHED,
    )
    expected_role = ModelChoiceField(
        label=_("Rôle attendu"),
        queryset=None,
        required=False,
        empty_label=_("(aucun en particulier)"),
        help_text=_("Pour « un rôle en particulier »."),
    )
    confirm_overlap = forms.BooleanField(
        label=_("Enregistrer malgré le chevauchement"), required=False
    )

    def __init__(self, *args, programme, session=None, **kwargs):
        self.programme = programme
        self.zone = ZoneInfo(programme.organisation.time_zone)
        self.is_past = bool(
            session and session.ends_at and session.ends_at < datetime.now(self.zone)
        )
        if session is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(session)
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = SessionKind.objects.filter(programme=programme)
        self.fields["phase"].queryset = Phase.objects.filter(programme=programme)
        self.fields["facilitators"].queryset = facilitator_choices(programme.organisation)
        self.fields["teams"].queryset = Team.objects.filter(cohort__programme=programme)
        self.fields["expected_role"].queryset = TeamRole.objects.filter(programme=programme)
        if session is not None and session.audience == Session.Audience.GROUP:
            # A group's session: its public follows the group (« Groupes »).
            for name in ("audience", "teams"):
                self.fields[name].disabled = True
            self.fields["audience"].help_text = _(
                "Le public suit le groupe : modifiez ses membres depuis l'onglet « Groupes »."
            )
        else:
            self.fields["audience"].choices = [
                choice for choice in Session.Audience.choices if choice[0] != "group"
            ]
        if self.is_past:
            self.fields["confirm_past"] = forms.BooleanField(
                label=_("Je confirme la modification d'une séance passée"),
                error_messages={
                    "required": _("Cochez cette case pour modifier une séance déjà passée.")
                },
            )

    def initial_from(self, session: Session) -> dict:
        initial = {
            "title": session.title,
            "kind": session.kind_id,
            "phase": session.phase_id,
            "format": session.format,
            "all_day": session.all_day,
            "target_month": session.target_month,
            "date_note": session.date_note,
            "status": session.status,
            "place": session.place,
            "visio_url": session.visio_url,
            "capacity": session.capacity,
            "objectives": session.objectives,
            "content": session.content,
            "facilitators": [user.pk for user in session.facilitators.all()],
            "audience": session.audience,
            "teams": [team.pk for team in session.teams.all()],
            "expected_presence": session.expected_presence,
            "expected_role": session.expected_role_id,
        }
        if not session.is_dated:
            return initial
        start = session.starts_at.astimezone(self.zone)
        end = session.ends_at.astimezone(self.zone)
        if session.all_day:
            last = (end - timedelta(microseconds=1)).date()
            start_time = end_time = None
        else:
            last = end.date()
            start_time, end_time = start.time(), end.time()
        return {
            **initial,
            "start_date": start.date(),
            "start_time": start_time,
            "end_date": last if last != start.date() else None,
            "end_time": end_time,
        }

    def clean(self):
        cleaned = super().clean()
        start_date = cleaned.get("start_date")
        if start_date is None:
            if "start_date" in self.errors:
                return cleaned
            cleaned["starts_at"] = cleaned["ends_at"] = None
            if cleaned.get("status") != Session.Status.TENTATIVE:
                self.add_error(
                    "start_date",
                    _(
                        "Indiquez la date de début, ou choisissez « À confirmer » avec une "
                        "phase ou un mois visé."
                    ),
                )
            elif not (cleaned.get("phase") or cleaned.get("target_month")):
                self.add_error(
                    "start_date",
                    _(
                        "Indiquez la date de début, ou au moins une phase ou un mois visé "
                        "pour une séance à confirmer."
                    ),
                )
            return cleaned
        end_date = cleaned.get("end_date") or start_date
        if cleaned.get("all_day"):
            cleaned["starts_at"] = self.moment(start_date)
            cleaned["ends_at"] = self.moment(end_date + timedelta(days=1))
            if end_date < start_date:
                self.add_error("end_date", _("La fin doit suivre le début."))
            return cleaned
        for name, message in (
            ("start_time", _("Indiquez l'heure de début, ou cochez « journée(s) entière(s) ».")),
            ("end_time", _("Indiquez l'heure de fin, ou cochez « journée(s) entière(s) ».")),
        ):
            if cleaned.get(name) is None and name not in self.errors:
                self.add_error(name, message)
        if cleaned.get("start_time") and cleaned.get("end_time"):
            cleaned["starts_at"] = self.moment(start_date, cleaned["start_time"])
            cleaned["ends_at"] = self.moment(end_date, cleaned["end_time"])
        return cleaned

    def session_fields(self) -> dict:
        """Keyword arguments for ``services.create_session`` / ``update_session``."""
        data = self.cleaned_data
        fields = {name: data[name] for name in SESSION_FIELDS}
        fields["visio_url"] = fields["visio_url"].strip()
        return fields

    def field_for_error(self, key: str) -> str | None:
        """The form field a service error about ``key`` belongs next to."""
        if key == "starts_at":
            return "start_date"
        if key == "ends_at":
            data = self.cleaned_data
            if data.get("all_day") or (data.get("end_date") not in (None, data.get("start_date"))):
                return "end_date"
            return "end_time"
        return key if key in self.fields else None


class IndividualSessionsForm(LocalDateTimeMixin, Form):
    DURATIONS = [
        (60, _("1 h")),
        (90, _("1 h 30")),
        (120, _("2 h")),
        (150, _("2 h 30")),
        (180, _("3 h")),
        (210, _("Demi-journée (3 h 30)")),
        (420, _("Journée (7 h)")),
        (480, _("Journée (8 h)")),
    ]

    kind = ModelChoiceField(label=_("Type de séance"), queryset=None, empty_label=None)
    title = forms.CharField(
        label=_("Titre"),
        max_length=150,
        initial=_("Accompagnement individuel n°1"),
        help_text=_("Le nom de chaque équipe est ajouté au titre."),
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=SessionFormat.choices,
        initial=SessionFormat.REMOTE,
        widget=forms.RadioSelect,
    )
    date = forms.DateField(
        label=_("Date prévue"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "Chaque séance reste « à confirmer » jusqu'à l'accord de l'équipe. Laissez vide "
            "si la date est à fixer avec chaque équipe (indiquez alors une phase ou un mois "
            "visé) : un sondage de dates la fixera."
        ),
    )
    end_date = forms.DateField(
        label=_("Dernier jour"),
        required=False,
        widget=DateInput(),
        help_text=_("Pour une séance sur plusieurs jours, aux mêmes heures chaque jour."),
    )
    target_month = month_field(label=_("Mois visé"))
    start_time = forms.TimeField(label=_("Heure de début"), required=False, widget=TimeInput())
    duration = forms.TypedChoiceField(label=_("Durée"), choices=DURATIONS, coerce=int, initial=120)
    place = forms.CharField(
        max_length=limits.NOTE,
        label=_("Lieu (adresse)"),
        required=False,
        widget=_textarea(2),
        help_text=_("En présentiel, laissé vide : « sur le territoire de l'équipe »."),
    )
    visio_url = forms.CharField(
        label=_("Lien de visio"),
        max_length=500,
        required=False,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    objectives = forms.CharField(
        label=_("Objectifs"), required=False, max_length=MAX_TEXT, widget=_textarea(3)
    )
    phase = ModelChoiceField(
        label=_("Phase"), queryset=None, required=False, empty_label=_("(aucune)")
    )
    facilitators = PersonChoiceField(
        label=_("Intervenant·es"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    expected_presence = forms.ChoiceField(
        label=_("Présence attendue"),
        choices=Session.Presence.choices,
        initial=Session.Presence.WHOLE_TEAM_WISHED,
    )
    expected_role = ModelChoiceField(
        label=_("Rôle attendu"),
        queryset=None,
        required=False,
        empty_label=_("(aucun en particulier)"),
    )

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = ZoneInfo(programme.organisation.time_zone)
        self.fields["kind"].queryset = SessionKind.objects.filter(programme=programme).order_by(
            "-is_individual", "order", "name"
        )
        self.fields["phase"].queryset = Phase.objects.filter(programme=programme)
        self.fields["facilitators"].queryset = facilitator_choices(programme.organisation)
        self.fields["expected_role"].queryset = TeamRole.objects.filter(programme=programme)

    def clean(self):
        cleaned = super().clean()
        day = cleaned.get("date")
        if day is None:
            cleaned["starts_at"] = cleaned["ends_at"] = None
            if "date" not in self.errors and not (
                cleaned.get("phase") or cleaned.get("target_month")
            ):
                self.add_error(
                    "date",
                    _("Indiquez une date, ou au moins une phase ou un mois visé."),
                )
            return cleaned
        if cleaned.get("start_time") is None:
            if "start_time" not in self.errors:
                self.add_error("start_time", _("Indiquez l'heure de début."))
            return cleaned
        if cleaned.get("duration"):
            starts_at = self.moment(day, cleaned["start_time"])
            last = cleaned.get("end_date") or day
            if last < day:
                self.add_error("end_date", _("Le dernier jour doit suivre le premier."))
                return cleaned
            cleaned["starts_at"] = starts_at
            cleaned["ends_at"] = self.moment(last, cleaned["start_time"]) + timedelta(
                minutes=cleaned["duration"]
            )
        return cleaned

    def field_for_error(self, key: str) -> str | None:
        return {"starts_at": "date", "ends_at": "duration", "teams": None}.get(
            key, key if key in self.fields else None
        )


class CancelSessionForm(Form):
    reason = forms.CharField(
        label=_("Motif (facultatif)"),
        max_length=300,
        required=False,
        help_text=_("Repris dans le message envoyé aux personnes attendues."),
    )


class PhaseDeleteForm(Form):
    """What becomes of a phase's sessions when it is deleted: a conscious choice."""

    KEEP, DELETE = "keep", "delete"
    sessions = forms.ChoiceField(
        label=_("Ses séances"),
        widget=forms.RadioSelect,
        choices=[
            (KEEP, _("Les garder dans le programme, sans phase")),
            (DELETE, _("Les supprimer avec la phase")),
        ],
    )

    def __init__(self, *args, refusal: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.refusal = refusal

    def clean_sessions(self):
        value = self.cleaned_data["sessions"]
        if value == self.DELETE and self.refusal:
            raise ValidationError(self.refusal)
        return value


# --- Agenda, workshops ------------------------------------------------------------


class AgendaItemForm(ModelForm):
    maximums = {"day": 366}

    class Meta:
        model = AgendaItem
        fields = [
            "day",
            "all_day",
            "start_time",
            "end_time",
            "kind",
            "title",
            "description",
            "speakers",
            "room",
        ]
        labels = {"start_time": _("Heure de début"), "end_time": _("Heure de fin")}
        widgets = {
            "start_time": TimeInput(),
            "end_time": TimeInput(),
            "description": _textarea(2),
        }

    def clean(self):
        """No time is ever filled in: an item without a start is « toute la journée »
        when ticked, else refused."""
        cleaned = super().clean()
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if cleaned.get("all_day"):
            if start or end:
                self.add_error(
                    "all_day", _("Un temps « toute la journée » n'a pas d'heures : videz-les.")
                )
            if cleaned.get("kind") == AgendaItem.Kind.WORKSHOPS:
                self.add_error(
                    "all_day", _("Un temps d'ateliers en parallèle a une heure de début.")
                )
            return cleaned
        if start is None and "start_time" not in self.errors:
            self.add_error(
                "start_time", _("Indiquez l'heure de début, ou cochez « Toute la journée ».")
            )
        if start and end and end <= start:
            self.add_error("end_time", _("La fin doit suivre le début."))
        return cleaned


class WorkshopForm(ModelForm):
    maximums = {"capacity": limits.COUNT}

    class Meta:
        model = Workshop
        fields = ["title", "room", "speakers", "description", "capacity"]
        widgets = {"description": _textarea(2)}


class TeamInvitationForm(Form):
    """Someone to invite to a team, with a role of the programme."""

    email = forms.EmailField(label=_("Adresse e-mail"))
    first_name = forms.CharField(label=_("Prénom"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Nom"), max_length=150, required=False)
    role = forms.TypedChoiceField(label=_("Rôle"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.roles = {role.pk: role for role in roles}
        self.fields["role"].choices = [("", gettext("Sans rôle")), *[(r.pk, r.name) for r in roles]]

    def clean_role(self):
        pk = self.cleaned_data["role"]
        return self.roles.get(pk) if pk is not None else None


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's field-keyed errors next to the form's fields (through the form's
    ``field_for_error`` when it names fields differently); the rest on top of the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    mapper = getattr(form, "field_for_error", None)
    for key, messages in error.message_dict.items():
        field = mapper(key) if mapper else key
        if field not in form.fields:
            field = None
        for message in messages:
            form.add_error(field, message)
