"""Forms of the group pages: a group, its members, a proposed composition, a move, a
séance for every group, attaching a séance, the roles of a CODEV séance."""

from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext_lazy as _

from codev.models import Group, GroupKind
from codev.services.groups import programme_people, programme_teams
from parcours.forms import (
    DateInput,
    LocalDateTimeMixin,
    PersonChoiceField,
    SessionForm,
    TimeInput,
)
from parcours.forms import facilitator_choices as staff_choices
from parcours.models import SessionKind
from sillon import limits
from sillon.fields import ModelChoiceField, ModelMultipleChoiceField
from sillon.forms import Form, ModelForm

MAX_GROUP_SIZE = 50
NO_GROUP = ""


class PersonField(ModelChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.email


class GroupForm(ModelForm):
    facilitators = PersonChoiceField(
        label=_("Animateur·ices"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Formateur·ices et coordinateur·ices de l'organisation."),
    )
    spokesperson = PersonField(
        label=_("Porte-parole"),
        queryset=None,
        required=False,
        empty_label=_("(aucun·e)"),
        help_text=_("Une personne d'une équipe du programme."),
    )

    class Meta:
        model = Group
        fields = ["name", "kind", "theme", "description", "spokesperson"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facilitators"].queryset = staff_choices(programme.organisation)
        self.fields["spokesperson"].queryset = programme_people(programme).order_by(
            "last_name", "first_name", "email"
        )
        if self.instance.pk:
            self.initial["facilitators"] = list(
                self.instance.facilitators.values_list("pk", flat=True)
            )


class TeamChoices(ModelMultipleChoiceField):
    def label_from_instance(self, team):
        return team.name


class MembersForm(Form):
    teams = TeamChoices(
        label=_("Équipes du groupe"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    people = PersonChoiceField(
        label=_("Personnes du groupe"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teams"].queryset = programme_teams(programme).order_by("name")
        self.fields["people"].queryset = programme_people(programme).order_by(
            "last_name", "first_name", "email"
        )


class MoveForm(Form):
    membership = forms.TypedChoiceField(label=_("Membre"), coerce=int, choices=())
    group = forms.TypedChoiceField(label=_("Vers le groupe"), coerce=int, choices=())

    def __init__(self, *args, memberships, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].choices = [(m.pk, m.label) for m in memberships]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"
        self.fields["group"].choices = [(g.pk, g.name) for g in groups]


class ProposeForm(Form):
    METHODS = [
        ("balanced", _("Groupes équilibrés de N équipes (départements et types de territoire)")),
        ("by_role", _("Un groupe par rôle d'équipe ou catégorie d'acteurs")),
    ]
    method = forms.ChoiceField(
        label=_("Méthode"), choices=METHODS, initial="balanced", widget=forms.RadioSelect
    )
    kind = forms.ChoiceField(label=_("Type de groupe"), choices=GroupKind.choices)
    size = forms.IntegerField(
        label=_("Équipes par groupe"),
        min_value=2,
        initial=4,
        required=False,
        help_text=_("Pour les groupes équilibrés."),
    )
    prefix = forms.CharField(
        label=_("Nom des groupes"),
        max_length=limits.TITLE - 5,
        initial=_("Groupe"),
        required=False,
        help_text=_("Suivi d'un numéro : « Groupe 1 », « Groupe 2 »…"),
    )
    maximums = {"size": MAX_GROUP_SIZE}

    def clean(self):
        data = super().clean()
        if data.get("method") == "balanced" and not data.get("size"):
            self.add_error("size", _("Indiquez le nombre d'équipes par groupe."))
        return data


class ProposalForm(Form):
    """The proposal as the coordinator adjusts it: the groups' names, and for each team
    or person a select of its group (or none)."""

    kind = forms.ChoiceField(choices=GroupKind.choices, widget=forms.HiddenInput)
    count = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    maximums = {"count": 100}

    def __init__(self, *args, teams, people, count, **kwargs):
        super().__init__(*args, **kwargs)
        self.teams, self.people, self.count = list(teams), list(people), count
        choices = [(NO_GROUP, _("(aucun groupe)"))] + [
            (str(index), name) for index, name in enumerate(self.group_names())
        ]
        for index in range(count):
            self.fields[f"name_{index}"] = forms.CharField(
                label=_("Nom du groupe n° %(n)s") % {"n": index + 1}, max_length=limits.TITLE
            )
        for team in self.teams:
            self.fields[f"team_{team.pk}"] = forms.ChoiceField(
                label=team.name,
                choices=choices,
                required=False,
                widget=forms.Select(attrs={"class": "form-select"}),
            )
        for user in self.people:
            self.fields[f"person_{user.pk}"] = forms.ChoiceField(
                label=user.get_full_name() or user.email,
                choices=choices,
                required=False,
                widget=forms.Select(attrs={"class": "form-select"}),
            )

    def group_names(self) -> list[str]:
        """The groups' names as the selects show them: as typed (a form sent back with
        an error), else as proposed, else « Groupe n° N » while a name is empty."""
        names = []
        for index in range(self.count):
            key = f"name_{index}"
            if self.is_bound:
                name = self.data.get(self.add_prefix(key), "")
            else:
                name = self.initial.get(key, "")
            name = " ".join(str(name).split())[: limits.TITLE]
            names.append(name or _("Groupe n° %(n)s") % {"n": index + 1})
        return names

    def team_fields(self):
        return [(team, self[f"team_{team.pk}"]) for team in self.teams]

    def person_fields(self):
        return [(user, self[f"person_{user.pk}"]) for user in self.people]

    def name_fields(self):
        return [self[f"name_{index}"] for index in range(self.count)]

    def clean(self):
        data = super().clean()
        names = [data.get(f"name_{index}", "").strip() for index in range(self.count)]
        seen = set()
        for index, name in enumerate(names):
            if name and name.lower() in seen:
                self.add_error(f"name_{index}", _("Deux groupes portent ce nom."))
            seen.add(name.lower())
        return data

    def proposed(self):
        """The groups as ``ProposedGroup``s, in order."""
        from codev.services.groups import ProposedGroup

        groups = [
            ProposedGroup(name=self.cleaned_data[f"name_{index}"].strip())
            for index in range(self.count)
        ]
        for team in self.teams:
            choice = self.cleaned_data.get(f"team_{team.pk}")
            if choice != NO_GROUP:
                groups[int(choice)].teams.append(team)
        for user in self.people:
            choice = self.cleaned_data.get(f"person_{user.pk}")
            if choice != NO_GROUP:
                groups[int(choice)].people.append(user)
        return groups


class GroupChoices(ModelMultipleChoiceField):
    def label_from_instance(self, group):
        return group.name


class SeriesForm(LocalDateTimeMixin, Form):
    """One séance for every chosen group. The session's own fields are those of
    parcours' session form (each form instance copies them); only the day and the
    times differ: a series is dated, on one day, with its hours."""

    groups = GroupChoices(label=_("Groupes"), queryset=None, widget=forms.CheckboxSelectMultiple)
    # Shorter than a session's title: the group's name is added to it.
    title = forms.CharField(label=_("Titre"), max_length=150)
    kind = SessionForm.base_fields["kind"]
    format = SessionForm.base_fields["format"]
    day = forms.DateField(label=_("Date"), widget=DateInput())
    start_time = forms.TimeField(label=_("Heure de début"), widget=TimeInput())
    end_time = forms.TimeField(label=_("Heure de fin"), widget=TimeInput())
    place = SessionForm.base_fields["place"]
    visio_url = SessionForm.base_fields["visio_url"]
    purpose = forms.CharField(
        label=_("Objet de la réunion"),
        max_length=300,
        required=False,
        help_text=_("Pour un groupe de travail : « tour de table et problèmes »…"),
    )
    expected_output = forms.CharField(
        label=_("Production attendue"),
        max_length=300,
        required=False,
        help_text=_("Pour un groupe de travail : « un premier plan d'action »…"),
    )

    def __init__(self, *args, programme, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = ZoneInfo(programme.organisation.time_zone)
        self.fields["groups"].queryset = groups
        self.fields["kind"].queryset = SessionKind.objects.filter(programme=programme)

    def clean(self):
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("La fin vient après le début."))
        return data

    def session_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "kind": data["kind"],
            "format": data["format"],
            "starts_at": self.moment(data["day"], data["start_time"]),
            "ends_at": self.moment(data["day"], data["end_time"]),
            "place": data["place"],
            "visio_url": data["visio_url"],
        }


class SessionChoice(ModelChoiceField):
    def label_from_instance(self, session):
        return session.title


class AttachForm(Form):
    session = SessionChoice(label=_("Séance du programme"), queryset=None)
    purpose = forms.CharField(label=_("Objet de la réunion"), max_length=300, required=False)
    expected_output = forms.CharField(
        label=_("Production attendue"), max_length=300, required=False
    )

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions


class MembershipChoice(ModelChoiceField):
    def label_from_instance(self, membership):
        return membership.label


class RolesForm(Form):
    client = MembershipChoice(
        label=_("Client"), queryset=None, required=False, empty_label=_("(à désigner)")
    )
    facilitator = PersonField(
        label=_("Animateur·ice"), queryset=None, required=False, empty_label=_("(à désigner)")
    )
    timekeeper = PersonField(
        label=_("Gardien·ne du temps"),
        queryset=None,
        required=False,
        empty_label=_("(à désigner)"),
    )

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = group.memberships.current().select_related("team", "user")
        staff = staff_choices(group.organisation)
        people = programme_people(group.programme)
        self.fields["facilitator"].queryset = staff
        self.fields["timekeeper"].queryset = (
            (staff | people).distinct().order_by("last_name", "first_name", "email")
        )
