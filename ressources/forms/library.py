"""Forms of the resources library: a resource (the staff's full form, a team member's
short one on a phone), the search and its filters, a tag. The services check everything
again and give their refusals back to the fields (``errors_to_form``)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from candidatures.models import Call
from organisations.models import Role
from organisations.roles import role_in
from parcours.models import Phase, Programme, Session, Team
from sillon import limits
from sillon.fields import ModelChoiceField, ModelMultipleChoiceField
from sillon.forms import Form

from ..models import Licence, ResourceKind, Tag, Visibility
from ..services.library import max_upload_bytes

ACCEPT = (
    ".pdf,.docx,.xlsx,.pptx,.odt,.ods,.odp,.png,.jpg,.jpeg,.webp,.csv,.txt,application/pdf,image/*"
)
TAG_ERRORS = {
    "invalid_choice": _("Cette étiquette n'existe pas dans votre organisation."),
    "invalid_pk_value": _("Cette étiquette n'existe pas dans votre organisation."),
}


def errors_to_form(form: forms.Form, error: ValidationError) -> None:
    """Put a service's refusal next to the form's fields (elsewhere: above the form)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        if field == "tags":
            field = "themes"
        form.add_error(field if field in form.fields else None, messages)


def _tags(category: str, label):
    return ModelMultipleChoiceField(
        queryset=Tag.objects.none(),
        required=False,
        label=label,
        widget=forms.CheckboxSelectMultiple,
        error_messages=TAG_ERRORS,
    )


def _set_tag_querysets(form, organisation, theme: str, work_stream: str) -> None:
    tags = Tag.objects.filter(organisation=organisation)
    form.fields[theme].queryset = tags.filter(category=Tag.Category.THEME)
    form.fields[work_stream].queryset = tags.filter(category=Tag.Category.WORK_STREAM)


class ResourceForm(Form):
    """The staff's form: a file or a link, its description and every tag."""

    title = forms.CharField(label=_("Titre"), max_length=limits.TITLE)
    file = forms.FileField(
        label=_("Fichier"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    url = forms.CharField(
        label=_("… ou un lien"),
        required=False,
        max_length=2000,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
        help_text=_("Un lien web (http:// ou https://), si la ressource n'est pas un fichier."),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=limits.TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Markdown accepté (titres, listes, liens) ; pas d'images."),
    )
    author = forms.CharField(
        label=_("Auteur ou autrice"),
        required=False,
        max_length=limits.TITLE,
        help_text=_("Par défaut, votre nom."),
    )
    date = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    kind = forms.ChoiceField(label=_("Type"), choices=ResourceKind.choices)
    licence = forms.ChoiceField(label=_("Licence"), choices=Licence.choices)
    visibility = forms.ChoiceField(
        label=_("Visible par"),
        choices=Visibility.choices,
        help_text=_(
            "L'organisation : tous ses membres. Le programme : son équipe d'animation et ses "
            "équipes. L'équipe : l'équipe, les coordinateurs et les formateurs. Public : "
            "tout le monde, sans compte."
        ),
    )
    themes = _tags(Tag.Category.THEME, _("Thèmes"))
    work_streams = _tags(Tag.Category.WORK_STREAM, _("Chantiers"))
    programme = ModelChoiceField(queryset=Programme.objects.none(), required=False)
    phase = ModelChoiceField(queryset=Phase.objects.none(), required=False)
    session = ModelChoiceField(queryset=Session.objects.none(), required=False)
    team = ModelChoiceField(queryset=Team.objects.none(), required=False)
    call = ModelChoiceField(
        queryset=Call.objects.none(),
        required=False,
        label=_("Appel à candidatures"),
        help_text=_("Un document de l'appel : publié avec lui s'il est public."),
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.filter(
            organisation=organisation
        ).order_by("name")
        self.fields["phase"].queryset = (
            Phase.objects.filter(organisation=organisation)
            .select_related("programme")
            .order_by("programme__name", "order", "pk")
        )
        self.fields["session"].queryset = (
            Session.objects.filter(organisation=organisation)
            .select_related("programme")
            .order_by("-starts_at", "pk")
        )
        self.fields["team"].queryset = (
            Team.objects.filter(organisation=organisation)
            .select_related("cohort__programme")
            .order_by("name", "pk")
        )
        _set_tag_querysets(self, organisation, "themes", "work_streams")
        self.fields["call"].queryset = Call.objects.filter(organisation=organisation).order_by(
            "-pk"
        )
        for name, label in (
            ("programme", _("Programme")),
            ("phase", _("Phase")),
            ("session", _("Séance")),
            ("team", _("Équipe")),
        ):
            self.fields[name].label = label
        self.fields["file"].help_text = _(
            "PDF, Word, Excel, PowerPoint, OpenDocument, image, CSV ou texte ; "
            "%(limit)s Mo au plus."
        ) % {"limit": max_upload_bytes() // (1024 * 1024)}

    def tags(self) -> list[Tag]:
        return [*self.cleaned_data.get("themes", []), *self.cleaned_data.get("work_streams", [])]


class TeamResourceForm(Form):
    """A team member's production, from a phone: a file (the camera allowed) or a link."""

    title = forms.CharField(label=_("Titre"), max_length=limits.TITLE)
    file = forms.FileField(
        label=_("Fichier ou photo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT, "capture": "environment"}),
    )
    url = forms.CharField(
        label=_("… ou un lien"),
        required=False,
        max_length=2000,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=limits.TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    visibility = forms.ChoiceField(
        label=_("Visible par"),
        choices=[
            (Visibility.TEAM, _("Notre équipe et l'équipe d'animation")),
            (Visibility.PROGRAMME, _("Tout le programme")),
        ],
        widget=forms.RadioSelect,
        initial=Visibility.TEAM,
    )


class SessionResourceForm(Form):
    """A document or an output attached to a session by its coordinator or trainer."""

    title = forms.CharField(label=_("Titre"), max_length=limits.TITLE)
    file = forms.FileField(
        label=_("Fichier"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    url = forms.CharField(
        label=_("… ou un lien"),
        required=False,
        max_length=2000,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    kind = forms.ChoiceField(
        label=_("Type"), choices=ResourceKind.choices, initial=ResourceKind.TRAINING
    )


class CallResourceForm(Form):
    """A document of a call for applications (its rules, a letter template), public with
    the call."""

    title = forms.CharField(label=_("Titre"), max_length=limits.TITLE)
    file = forms.FileField(
        label=_("Fichier"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    url = forms.CharField(
        label=_("… ou un lien"),
        required=False,
        max_length=2000,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )


SORT_CHOICES = [("pertinence", _("Pertinence")), ("date", _("Date")), ("titre", _("Titre"))]


class SearchForm(Form):
    """The library's search and filters (GET): every field optional."""

    q = forms.CharField(
        label=_("Rechercher"),
        required=False,
        max_length=limits.TITLE,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    kind = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("Tous")), *ResourceKind.choices]
    )
    theme = ModelChoiceField(
        label=_("Thème"),
        required=False,
        queryset=Tag.objects.none(),
        empty_label=_("Tous"),
    )
    work_stream = ModelChoiceField(
        label=_("Chantier"),
        required=False,
        queryset=Tag.objects.none(),
        empty_label=_("Tous"),
    )
    programme = ModelChoiceField(
        label=_("Programme"),
        required=False,
        queryset=Programme.objects.none(),
        empty_label=_("Tous"),
    )
    phase = ModelChoiceField(
        label=_("Phase"), required=False, queryset=Phase.objects.none(), empty_label=_("Toutes")
    )
    session = ModelChoiceField(
        label=_("Séance"), required=False, queryset=Session.objects.none(), empty_label=_("Toutes")
    )
    team = ModelChoiceField(
        label=_("Équipe"), required=False, queryset=Team.objects.none(), empty_label=_("Toutes")
    )
    licence = forms.ChoiceField(
        label=_("Licence"), required=False, choices=[("", _("Toutes")), *Licence.choices]
    )
    tri = forms.ChoiceField(label=_("Trier par"), required=False, choices=SORT_CHOICES)

    FILTERS = ("kind", "theme", "work_stream", "programme", "phase", "session", "team", "licence")

    def __init__(self, *args, organisation, user, **kwargs):
        super().__init__(*args, **kwargs)
        _set_tag_querysets(self, organisation, "theme", "work_stream")
        role = role_in(user, organisation)
        staff = role in Role.values
        programmes = Programme.objects.filter(organisation=organisation)
        teams = Team.objects.filter(organisation=organisation)
        sessions = Session.objects.filter(organisation=organisation)
        if not staff:
            from ..selectors import member_team_rows

            rows = member_team_rows(user, organisation)
            programme_ids = {programme for _team, programme in rows}
            programmes = programmes.filter(pk__in=programme_ids)
            teams = teams.filter(pk__in={team for team, _programme in rows})
            sessions = sessions.filter(programme__in=programme_ids).exclude(audience="internal")
        self.fields["programme"].queryset = programmes.order_by("name")
        self.fields["phase"].queryset = (
            Phase.objects.filter(organisation=organisation, programme__in=programmes)
            .select_related("programme")
            .order_by("programme__name", "order", "pk")
        )
        self.fields["session"].queryset = sessions.order_by("-starts_at", "pk")
        self.fields["team"].queryset = teams.order_by("name", "pk")
        for name, field in self.fields.items():
            css = "form-control" if name == "q" else "form-select"
            field.widget.attrs["class"] = css

    def filter_fields(self):
        return [self[name] for name in self.FILTERS]

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {name: data.get(name) for name in self.FILTERS if data.get(name)}


class TagForm(Form):
    category = forms.ChoiceField(label=_("Catégorie"), choices=Tag.Category.choices)
    name = forms.CharField(label=_("Nom"), max_length=100)


class TagRenameForm(Form):
    name = forms.CharField(label=_("Nouveau nom"), max_length=100)
