"""Forms of a programme's team roles and of renaming a team. They parse;
``parcours.services.roles`` and ``parcours.services.teams`` check and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from parcours.models import Programme, TeamRole
from parcours.services import TEAM_ROLE_PRESETS
from sillon import limits
from sillon.forms import Form, ModelForm

ONE = "one"
MANY = "many"


class TeamRoleForm(ModelForm):
    """A role: its name, description, whether it is required (« indispensable ») and how
    many people hold it in a team (exactly one, or one or more)."""

    maximums = {"order": limits.SMALL}

    capacity = forms.ChoiceField(
        label=_("Combien de personnes par équipe"),
        choices=[(ONE, _("Exactement une personne")), (MANY, _("Une ou plusieurs personnes"))],
        initial=ONE,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = TeamRole
        fields = ["name", "description", "required", "order"]
        labels = {"required": _("Rôle indispensable")}
        help_texts = {
            "required": _(
                "Une équipe n'est « engagée » que lorsque chaque rôle indispensable a signé "
                "l'engagement."
            ),
            "order": _("Les rôles s'affichent dans cet ordre (0 en premier)."),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    field_order = ["name", "description", "required", "capacity", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["capacity"].initial = ONE if self.instance.is_single else MANY

    def clean(self):
        cleaned = super().clean()
        if "capacity" in cleaned:
            self.instance.max_per_team = 1 if cleaned["capacity"] == ONE else None
        return cleaned


class TeamLabelForm(ModelForm):
    class Meta:
        model = Programme
        fields = ["team_label"]
        labels = {"team_label": _("Les équipes de ce programme s'appellent")}
        help_texts = {
            "team_label": _("Le mot s'affiche en tête de la page d'une équipe et du suivi.")
        }


class RolePresetForm(Form):
    preset = forms.ChoiceField(
        label=_("Modèle de rôles"),
        choices=[(key, preset.label) for key, preset in TEAM_ROLE_PRESETS.items()],
        widget=forms.RadioSelect,
        help_text=_(
            "Remplace tous les rôles du programme. Possible tant que personne n'a signé "
            "l'engagement et qu'aucun membre ni aucune invitation n'utilise les rôles."
        ),
    )


class TeamRenameForm(Form):
    name = forms.CharField(label=_("Nouveau nom de l'équipe"), max_length=200)
