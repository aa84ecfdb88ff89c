"""The forms of open registration: a person (name, e-mail, structure, fonction and one
workshop per round), a collectif (its name and territory, then a formset of people,
that grows with « Ajouter une personne » without JavaScript), the coordinator's event
form and message form. Workshops are plain choices built from the rounds already
loaded: an id that is not a workshop of that round is refused like any unknown choice."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inscriptions.models import Event
from inscriptions.services import Person, check_choices
from parcours.models import Session
from sillon import fields as sillon_fields
from sillon.forms import Form, ModelForm
from territoires.forms import TerritoryField
from territoires.widgets import TerritoryAutocomplete

MAX_PEOPLE = 30
HONEYPOT = "site_web"


def workshop_label(workshop, taken: dict[int, int]) -> str:
    """« Atelier 2 — salle B (4 places restantes) » or « … complet : liste d'attente »."""
    label = workshop.title
    if workshop.room:
        label = f"{label} — {workshop.room}"
    if workshop.capacity is None:
        return label
    left = workshop.capacity - taken.get(workshop.pk, 0)
    if left <= 0:
        return _("%(label)s (complet : liste d'attente)") % {"label": label}
    return _("%(label)s (%(count)d place(s) restante(s))") % {"label": label, "count": left}


class WorkshopChoices:
    """One choice per round, built from the rounds (workshops prefetched)."""

    def add_rounds(self, rounds, taken):
        self.rounds = list(rounds)
        taken = taken or {}
        self.workshops = {}
        for item in self.rounds:
            options = list(item.workshops.all())
            self.workshops.update({str(w.pk): w for w in options})
            self.fields[f"round_{item.pk}"] = forms.ChoiceField(
                label=_("Atelier : %(round)s") % {"round": item.title},
                choices=[("", _("— Choisissez un atelier —"))]
                + [(str(w.pk), workshop_label(w, taken)) for w in options],
            )

    def round_fields(self):
        return [self[f"round_{item.pk}"] for item in self.rounds]

    def clean_workshops(self, data):
        chosen = {}
        for item in self.rounds:
            value = data.get(f"round_{item.pk}")
            if value:
                chosen[item.pk] = self.workshops[value]
        if len(chosen) == len(self.rounds):
            try:
                check_choices(self.rounds, chosen)
            except ValidationError as error:
                for key, messages in error.message_dict.items():
                    for message in messages:
                        self.add_error(key if key in self.fields else None, message)
        data["workshops"] = chosen
        return data


class PersonForm(WorkshopChoices, Form):
    first_name = forms.CharField(label=gettext_lazy("Prénom"), max_length=150)
    last_name = forms.CharField(label=gettext_lazy("Nom"), max_length=150)
    email = forms.EmailField(label=gettext_lazy("Adresse e-mail"), max_length=254)
    structure = forms.CharField(
        label=gettext_lazy("Structure"),
        max_length=200,
        help_text=gettext_lazy("Commune, CCAS, intercommunalité, association…"),
    )
    function = forms.CharField(label=gettext_lazy("Fonction"), max_length=200)

    def __init__(self, *args, rounds=(), taken=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_rounds(rounds, taken)

    def clean(self):
        return self.clean_workshops(super().clean())

    def person(self) -> Person:
        data = self.cleaned_data
        return Person(
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            structure=data["structure"],
            function=data["function"],
            workshops=data["workshops"],
        )


class WorkshopsForm(WorkshopChoices, Form):
    """The personal page: one workshop per round, nothing else."""

    def __init__(self, *args, rounds=(), taken=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_rounds(rounds, taken)

    def clean(self):
        return self.clean_workshops(super().clean())


class HoneypotMixin(Form):
    site_web = forms.CharField(
        label=gettext_lazy("Ne remplissez pas ce champ"), required=False, max_length=200
    )

    def clean_site_web(self):
        if self.cleaned_data.get(HONEYPOT):
            raise ValidationError(_("Inscription refusée."))
        return ""


class SingleForm(HoneypotMixin, PersonForm):
    pass


class PublicTerritoryAutocomplete(TerritoryAutocomplete):
    """The autocomplete of the public page: its suggestions come from the event's own
    search (anonymous visitors are not signed in)."""

    def __init__(self, attrs=None, kinds=None, search_path=""):
        super().__init__(attrs, kinds)
        self.search_path = search_path

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if self.search_path:
            widget = context["widget"]
            widget["search_url"] = self.search_path + "?" + widget["search_url"].split("?", 1)[1]
        return context


class CollectiveForm(HoneypotMixin, Form):
    collective_name = forms.CharField(label=gettext_lazy("Nom du collectif"), max_length=200)
    territory = TerritoryField(label=gettext_lazy("Territoire du collectif"))

    def __init__(self, *args, search_path="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territory"].widget = PublicTerritoryAutocomplete(search_path=search_path)


class BasePeopleFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        seen = set()
        people = 0
        for form in self.forms:
            email = (form.cleaned_data.get("email") or "").strip().lower()
            if not email:
                continue
            people += 1
            if email in seen:
                form.add_error(
                    "email", _("Cette adresse est déjà indiquée pour une autre personne.")
                )
            seen.add(email)
        if not people:
            raise ValidationError(_("Indiquez au moins une personne."))


PeopleFormSet = formset_factory(
    PersonForm,
    formset=BasePeopleFormSet,
    extra=0,
    min_num=1,
    max_num=MAX_PEOPLE,
    validate_max=True,
    absolute_max=MAX_PEOPLE,
)


class EventForm(ModelForm):
    session = sillon_fields.ModelChoiceField(label=gettext_lazy("Séance"), queryset=None)
    deadline = forms.DateTimeField(
        label=gettext_lazy("Date limite d'inscription"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    class Meta:
        model = Event
        fields = [
            "session",
            "slug",
            "deadline",
            "capacity",
            "audience_text",
            "contact",
            "action_code",
            "published",
        ]
        widgets = {
            "audience_text": forms.Textarea(attrs={"rows": 2}),
            "contact": forms.Textarea(attrs={"rows": 2}),
        }

    maximums = {"capacity": 100_000}

    def __init__(self, *args, programme=None, zone=None, **kwargs):
        self.zone = zone
        super().__init__(*args, **kwargs)
        if zone is not None and self.instance.deadline and not self.is_bound:
            self.initial["deadline"] = self.instance.deadline.astimezone(zone)
        sessions = Session.objects.filter(programme=programme, audience=Session.Audience.OPEN)
        self.fields["session"].queryset = sessions.order_by("starts_at", "pk")
        self.fields["session"].help_text = _("Les séances du programme en « Inscription libre ».")

    def clean_deadline(self):
        value = self.cleaned_data["deadline"]
        if self.zone is not None and value is not None:
            value = value.replace(tzinfo=None).replace(tzinfo=self.zone)
        return value


class MessageForm(Form):
    subject = forms.CharField(label=gettext_lazy("Objet"), max_length=200)
    body = forms.CharField(label=gettext_lazy("Message"), max_length=5000, widget=forms.Textarea)
    workshop = forms.ChoiceField(label=gettext_lazy("À qui"), required=False)

    def __init__(self, *args, rounds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.workshops = {str(w.pk): w for item in rounds for w in item.workshops.all()}
        self.fields["workshop"].choices = [("", _("Toutes les personnes inscrites"))] + [
            (key, _("L'atelier « %(title)s »") % {"title": w.title})
            for key, w in self.workshops.items()
        ]

    def chosen_workshop(self):
        return self.workshops.get(self.cleaned_data.get("workshop") or "")


class DetailsForm(Form):
    structure = forms.CharField(label=gettext_lazy("Structure"), max_length=200)
    function = forms.CharField(label=gettext_lazy("Fonction"), max_length=200)


class ResendForm(Form):
    email = forms.EmailField(label=gettext_lazy("Adresse e-mail"), max_length=254)
