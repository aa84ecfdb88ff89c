"""Forms of the applicants' pages. They parse what a person typed; the services check
and write (see ``parcours.views.applications``)."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sillon.forms import Form
from territoires.forms import TerritoryField
from territoires.models import Project


def _choices_with_blank(choices):
    return [("", _("(non précisé)")), *choices]


class ProjectForm(Form):
    """The territory and the project of an application (the lead's)."""

    territory = TerritoryField(
        label=_("Territoire"),
        help_text=_(
            "Tapez le nom ou le code officiel (SIREN d'un EPCI, code INSEE d'une commune, "
            "numéro de département) et choisissez dans la liste."
        ),
    )
    confirm_duplicate = forms.BooleanField(
        label=_(
            "Je confirme : notre candidature est distincte de celle déjà présentée pour ce "
            "territoire."
        ),
        required=False,
    )
    structure = forms.CharField(
        label=_("Structure porteuse"),
        max_length=200,
        required=False,
        help_text=_("La collectivité ou la structure qui porte la candidature."),
    )
    project_name = forms.CharField(
        label=_("Nom du projet"),
        max_length=200,
        required=False,
        help_text=_("Par exemple : PAT du Pays de Bray."),
    )
    project_stage = forms.ChoiceField(
        label=_("Étape du projet"),
        choices=_choices_with_blank(Project.Stage.choices),
        required=False,
    )
    project_recognition = forms.ChoiceField(
        label=_("Niveau de reconnaissance"),
        choices=_choices_with_blank(Project.Recognition.choices),
        required=False,
    )
    project_website = forms.URLField(
        label=_("Site web du projet"),
        required=False,
        assume_scheme="https",
        help_text=_("Facultatif."),
    )

    PROJECT_FIELDS = (
        "territory",
        "structure",
        "project_name",
        "project_stage",
        "project_recognition",
        "project_website",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Shown only once the service warned about another application for the same
        # territory (or when the person already ticked it).
        self.ask_confirmation = bool(self.data.get(self.add_prefix("confirm_duplicate")))

    def project_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.PROJECT_FIELDS}
        data["confirm_duplicate"] = self.cleaned_data["confirm_duplicate"]
        return data


def role_choices(roles) -> list[tuple]:
    """(id, « Élu·e référent·e — indispensable ») for a radio group."""
    labels = []
    for role in roles:
        label = role.name
        if role.required:
            label = gettext("%(role)s — indispensable") % {"role": role.name}
        labels.append((role.pk, label))
    return labels


class RoleMixin:
    """A ``role`` radio group over the programme's roles, read once by the page."""

    def _set_roles(self, roles, *, required=True):
        self.roles = {role.pk: role for role in roles}
        if not roles:
            del self.fields["role"]
            return
        self.fields["role"].choices = role_choices(roles)
        self.fields["role"].required = required

    def clean_role(self):
        pk = self.cleaned_data.get("role")
        return self.roles.get(int(pk)) if pk not in (None, "") else None


class StartApplicationForm(RoleMixin, ProjectForm):
    """The first page: the territory, the project, and the lead's own line."""

    first_name = forms.CharField(label=_("Votre prénom"), max_length=150)
    last_name = forms.CharField(label=_("Votre nom"), max_length=150)
    role = forms.ChoiceField(label=_("Votre rôle dans l'équipe"), widget=forms.RadioSelect)
    function = forms.CharField(
        label=_("Votre fonction"),
        max_length=200,
        required=False,
        help_text=_("Par exemple : vice-présidente en charge de l'agriculture."),
    )
    phone = forms.CharField(label=_("Votre téléphone"), max_length=30, required=False)

    def __init__(self, *args, roles, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_roles(roles)
        # Names are asked only of an account that has none yet.
        self.asks_names = not (user.first_name and user.last_name)
        if not self.asks_names:
            del self.fields["first_name"]
            del self.fields["last_name"]
        if user.function:
            self.fields["function"].initial = user.function
        if user.phone:
            self.fields["phone"].initial = user.phone

    def lead_data(self) -> dict:
        data = self.cleaned_data
        return {
            "role": data.get("role"),
            "function": data["function"],
            "phone": data["phone"],
            "first_name": data.get("first_name", ""),
            "last_name": data.get("last_name", ""),
        }


class MemberForm(RoleMixin, Form):
    """A line of the team, as the lead writes it. Once the person joined, their address
    is theirs: it is shown, not editable."""

    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        help_text=_("L'invitation à compléter la candidature part à cette adresse."),
    )
    role = forms.ChoiceField(label=_("Rôle dans l'équipe"), widget=forms.RadioSelect)
    function = forms.CharField(label=_("Fonction"), max_length=200, required=False)
    phone = forms.CharField(label=_("Téléphone"), max_length=30, required=False)

    def __init__(self, *args, roles, lock_email=False, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_roles(roles)
        if lock_email:
            del self.fields["email"]


class OwnLineForm(Form):
    """A member's own details (their part of the application)."""

    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)
    function = forms.CharField(
        label=_("Fonction"),
        max_length=200,
        required=False,
        help_text=_("Par exemple : chargée de mission PAT."),
    )
    phone = forms.CharField(label=_("Téléphone"), max_length=30, required=False)


class WithdrawForm(Form):
    reason = forms.CharField(
        label=_("Motif du retrait"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Facultatif : il sera lu par l'équipe qui organise l'appel."),
    )
    confirm = forms.BooleanField(
        label=_("Je confirme le retrait de la candidature. Ce retrait est définitif."),
        error_messages={"required": _("Cochez la case pour confirmer le retrait.")},
    )
