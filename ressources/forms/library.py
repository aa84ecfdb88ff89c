"""Forms of the resources library: a resource (the staff's full form, a team member's
short one on a phone), the search and its filters, a tag. The services check everything
again and give their refusals back to the fields (``errors_to_form``)."""

from html import escape

from django import forms
from django.core.exceptions import ValidationError
from django.utils.safestring import mark_safe
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


NO_SUCH_CHOICE = _("Select a valid choice. That choice is not one of the available choices.")


class QuickSelect(forms.Select):
    """Django's ``<select>`` (the same attributes, the chosen option ``selected``, every
    value and label escaped) written in Python rather than through the widget templates,
    which made the library's ten filters cost more than the rest of its page."""

    def render(self, name, value, attrs=None, renderer=None):
        final = {"name": name, **self.build_attrs(self.attrs, attrs)}
        attributes = "".join(
            f" {key}" if given is True else f' {key}="{escape(str(given))}"'
            for key, given in final.items()
            if given is not False and given is not None
        )
        chosen = self.format_value(value)
        options = []
        for option, label in self.choices:
            option = "" if option is None else str(option)
            selected = " selected" if option in chosen else ""
            if selected:
                chosen = ()  # one option selected at most, as Django's widget
            options.append(
                f'<option value="{escape(option)}"{selected}>{escape(str(label))}</option>'
            )
        # Every value and label escaped above.
        return mark_safe(f"<select{attributes}>\n" + "\n".join(options) + "\n</select>")


def _choice(label, empty_label):
    """A filter among an organisation's rows: ids checked against the choices the form
    was given (``filter_choices``), no query."""
    return forms.TypedChoiceField(
        label=label,
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", empty_label)],
        widget=QuickSelect,
        error_messages={"invalid_choice": NO_SUCH_CHOICE},
    )


class SearchForm(Form):
    """The library's search and filters (GET): every field optional. The choices come
    from the cache (``selectors.filter_choices``), kept to those the person may see."""

    q = forms.CharField(
        label=_("Rechercher"),
        required=False,
        max_length=limits.TITLE,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    kind = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[("", _("Tous")), *ResourceKind.choices],
        widget=QuickSelect,
    )
    theme = _choice(_("Thème"), _("Tous"))
    work_stream = _choice(_("Chantier"), _("Tous"))
    programme = _choice(_("Programme"), _("Tous"))
    phase = _choice(_("Phase"), _("Toutes"))
    session = _choice(_("Séance"), _("Toutes"))
    team = _choice(_("Équipe"), _("Toutes"))
    licence = forms.ChoiceField(
        label=_("Licence"),
        required=False,
        choices=[("", _("Toutes")), *Licence.choices],
        widget=QuickSelect,
    )
    tri = forms.ChoiceField(
        label=_("Trier par"), required=False, choices=SORT_CHOICES, widget=QuickSelect
    )

    FILTERS = ("kind", "theme", "work_stream", "programme", "phase", "session", "team", "licence")

    def __init__(self, *args, organisation, user, **kwargs):
        super().__init__(*args, **kwargs)
        from ..selectors import filter_choices, member_team_rows

        choices = filter_choices(organisation)
        programmes, sessions, teams = choices["programmes"], choices["sessions"], choices["teams"]
        if role_in(user, organisation) not in Role.values:
            rows = member_team_rows(user, organisation)
            programme_ids = {programme for _team, programme in rows}
            team_ids = {team for team, _programme in rows}
            programmes = [row for row in programmes if row[0] in programme_ids]
            sessions = [row for row in sessions if row[1] in programme_ids and row[2] != "internal"]
            teams = [row for row in teams if row[0] in team_ids]
        shown = {row[0] for row in programmes}
        for field_name, rows in (
            ("theme", choices["themes"]),
            ("work_stream", choices["work_streams"]),
            ("programme", programmes),
            ("phase", [(pk, label) for pk, of, label in choices["phases"] if of in shown]),
            ("session", [(row[0], row[3]) for row in sessions]),
            ("team", [(row[0], row[2]) for row in teams]),
        ):
            field = self.fields[field_name]
            field.choices = [*field.choices[:1], *rows]
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "form-control" if name == "q" else "form-select"

    def filter_fields(self):
        return [self[name] for name in self.FILTERS]

    def filters(self) -> dict:
        """The chosen filters: a value (a kind, a licence) or an id (a theme, a
        programme…)."""
        data = self.cleaned_data if self.is_valid() else {}
        return {name: data.get(name) for name in self.FILTERS if data.get(name)}


class TagForm(Form):
    category = forms.ChoiceField(label=_("Catégorie"), choices=Tag.Category.choices)
    name = forms.CharField(label=_("Nom"), max_length=100)


class TagRenameForm(Form):
    name = forms.CharField(label=_("Nouveau nom"), max_length=100)
