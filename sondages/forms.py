"""Forms of the date polls: the slots proposed (rows of date, start, end, format), the
closing moment and message, the sessions of a launch for every team, and a voter's
answers. They parse what was typed; ``services.polls`` decides."""

from datetime import time
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parcours.forms import DateInput, LocalDateTimeMixin, TimeInput
from parcours.models import SessionFormat
from sillon.fields import ModelMultipleChoiceField
from sillon.forms import Form
from sondages.models import Vote

SLOT_ROWS = 6
MORE_ROWS = 3
MAX_ROWS = 40


class SlotForm(LocalDateTimeMixin, Form):
    """One row of proposed slot; a blank row is skipped."""

    day = forms.DateField(label=_("Jour"), required=False, widget=DateInput())
    start_time = forms.TimeField(label=_("Début"), required=False, widget=TimeInput())
    end_time = forms.TimeField(label=_("Fin"), required=False, widget=TimeInput())
    format = forms.ChoiceField(label=_("Format"), choices=SessionFormat.choices)

    def __init__(self, *args, zone: ZoneInfo, default_format: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = zone
        self.fields["format"].initial = default_format

    def clean(self):
        cleaned = super().clean()
        day, start, end = (cleaned.get(name) for name in ("day", "start_time", "end_time"))
        if self.errors:
            return cleaned
        if day is None and start is None and end is None:
            return {}
        if day is None:
            self.add_error("day", _("Indiquez le jour du créneau."))
        if start is None:
            self.add_error("start_time", _("Indiquez l'heure de début."))
        if end is None:
            self.add_error("end_time", _("Indiquez l'heure de fin."))
        if self.errors:
            return cleaned
        starts_at, ends_at = self.moment(day, start), self.moment(day, end)
        if ends_at <= starts_at:
            self.add_error("end_time", _("La fin doit suivre le début."))
        elif starts_at <= timezone.now():
            self.add_error("day", _("Ce créneau est déjà passé."))
        else:
            cleaned["spec"] = (starts_at, ends_at, cleaned["format"])
        return cleaned


class BaseSlotFormSet(forms.BaseFormSet):
    def __init__(self, *args, required=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.required = required

    def clean(self):
        if any(self.errors):
            return
        if self.required and not self.specs():
            raise forms.ValidationError(_("Proposez au moins un créneau."))

    def specs(self) -> list[tuple]:
        return [form.cleaned_data["spec"] for form in self.forms if "spec" in form.cleaned_data]


SlotFormSet = forms.formset_factory(
    SlotForm, formset=BaseSlotFormSet, extra=SLOT_ROWS, max_num=MAX_ROWS, absolute_max=MAX_ROWS
)


def slot_formset(request, *, zone: ZoneInfo, default_format: str, required=True):
    """The slot rows; « Ajouter des lignes » (a plain submit button, no JavaScript)
    posts the form back with three more blank rows."""
    data = request.POST if request.method == "POST" else None
    if data is not None and "more_rows" in data:
        data = data.copy()
        try:
            total = int(data.get("slots-TOTAL_FORMS", SLOT_ROWS))
        except ValueError:
            total = SLOT_ROWS
        data["slots-TOTAL_FORMS"] = str(min(total + MORE_ROWS, MAX_ROWS))
    return SlotFormSet(
        data,
        prefix="slots",
        required=required,
        form_kwargs={"zone": zone, "default_format": default_format},
    )


class ClosingForm(LocalDateTimeMixin, Form):
    """When answers close, and a message to the people asked."""

    closes_day = forms.DateField(label=_("Réponses attendues avant le"), widget=DateInput())
    closes_time = forms.TimeField(label=_("Heure de clôture"), initial=time(18), widget=TimeInput())
    message = forms.CharField(
        label=_("Message aux participant·es"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Quelques mots pour expliquer les créneaux proposés (facultatif)."),
    )

    def __init__(self, *args, zone: ZoneInfo, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = zone

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("closes_day") and cleaned.get("closes_time"):
            cleaned["closes_at"] = self.moment(cleaned["closes_day"], cleaned["closes_time"])
        return cleaned

    def field_for_error(self, key: str) -> str | None:
        return {"closes_at": "closes_day"}.get(key, key if key in self.fields else None)


class LaunchForm(ClosingForm):
    """« Lancer les sondages pour toutes les équipes »: which sessions."""

    sessions = ModelMultipleChoiceField(
        label=_("Séances à dater"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choisissez au moins une séance.")},
    )
    field_order = ["sessions", "closes_day", "closes_time", "message"]

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sessions"].queryset = sessions
        self.fields["sessions"].label_from_instance = lambda session: session.title


class MoreSlotsForm(LocalDateTimeMixin, Form):
    """Adding slots: optionally a new closing moment."""

    closes_day = forms.DateField(
        label=_("Nouvelle clôture des réponses (facultatif)"), required=False, widget=DateInput()
    )
    closes_time = forms.TimeField(label=_("Heure de clôture"), required=False, widget=TimeInput())

    def __init__(self, *args, zone: ZoneInfo, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = zone

    def clean(self):
        cleaned = super().clean()
        day, at = cleaned.get("closes_day"), cleaned.get("closes_time")
        if day and not at:
            self.add_error("closes_time", _("Indiquez l'heure de clôture."))
        elif at and not day:
            self.add_error("closes_day", _("Indiquez le jour de clôture."))
        elif day and at:
            cleaned["closes_at"] = self.moment(day, at)
        return cleaned

    def field_for_error(self, key: str) -> str | None:
        return {"closes_at": "closes_day"}.get(key, key if key in self.fields else None)


class AnswerForm(Form):
    """A voter's answers: oui / si nécessaire / non for every slot, and a comment."""

    comment = forms.CharField(
        label=_("Un commentaire ? (facultatif)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Par exemple : « je peux me libérer l'après-midi »."),
    )

    def __init__(self, *args, slots, **kwargs):
        super().__init__(*args, **kwargs)
        self.slots = list(slots)
        for slot in self.slots:
            self.fields[self.key(slot)] = forms.ChoiceField(
                choices=Vote.Answer.choices,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choisissez oui, si nécessaire ou non.")},
            )

    @staticmethod
    def key(slot) -> str:
        return f"slot_{slot.pk}"

    def answers(self) -> dict[int, str]:
        return {slot.pk: self.cleaned_data[self.key(slot)] for slot in self.slots}

    def field_for_error(self, key: str) -> str | None:
        return key if key in self.fields else None
