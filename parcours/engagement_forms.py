"""Forms of the engagement pages: the coordinator's text editor and a member's signature.
They parse; ``parcours.services.engagement`` validates what matters and writes."""

from django import forms
from django.utils.translation import gettext_lazy as _

from parcours.models import EngagementText, Programme, Session
from sillon import limits
from sillon.fields import ModelMultipleChoiceField
from sillon.formatting import format_session_when
from sillon.forms import Form

RESIGN_YES = "yes"
RESIGN_NO = "no"


class KeySessionsField(ModelMultipleChoiceField):
    def label_from_instance(self, session: Session) -> str:
        label = f"{session.title} — {format_session_when(session)}"
        if session.is_cancelled:
            label += " " + str(_("(annulée)"))
        return label


class EngagementTextForm(Form):
    body = forms.CharField(
        max_length=limits.TEXT,
        label=_("Texte de l'engagement"),
        widget=forms.Textarea(attrs={"rows": 10}),
        required=False,
        help_text=_(
            "Texte simple : les retours à la ligne sont conservés. Les dates clés cochées "
            "ci-dessous s'affichent à la suite, telles qu'elles sont au calendrier."
        ),
    )
    key_sessions = KeySessionsField(
        label=_("Dates clés à bloquer dans l'agenda"),
        queryset=Session.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    requires_resignature = forms.ChoiceField(
        label=_("Les personnes qui ont déjà signé doivent-elles signer à nouveau ?"),
        choices=[
            (
                RESIGN_YES,
                _(
                    "Oui, le changement est important : les signatures déjà recueillies ne "
                    "comptent plus et chaque membre signe la nouvelle version."
                ),
            ),
            (
                RESIGN_NO,
                _(
                    "Non, c'est une correction mineure : les signatures déjà recueillies "
                    "restent valables ; les nouveaux signataires signent la nouvelle version."
                ),
            ),
        ],
        widget=forms.RadioSelect,
        initial=RESIGN_YES,
    )

    def __init__(
        self,
        *args,
        programme: Programme,
        current: EngagementText | None,
        has_signatures: bool,
        **kwargs,
    ):
        if current is not None:
            kwargs.setdefault(
                "initial",
                {
                    "body": current.body,
                    "key_sessions": [session.pk for session in current.key_sessions.all()],
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["key_sessions"].queryset = (
            Session.objects.filter(programme=programme)
            .select_related("organisation")
            .order_by("starts_at", "pk")
        )
        # The choice only matters once someone has signed.
        if not has_signatures:
            del self.fields["requires_resignature"]

    @property
    def wants_resignature(self) -> bool:
        return self.cleaned_data.get("requires_resignature", RESIGN_YES) == RESIGN_YES


class SignatureForm(Form):
    # Which version the page showed: checked by the service against the one in force.
    text_id = forms.CharField(widget=forms.HiddenInput, required=False, max_length=20)
    text_hash = forms.CharField(widget=forms.HiddenInput, required=False, max_length=128)
    consent = forms.BooleanField(
        label=_(
            "J'ai lu ce texte et je m'engage à le respecter, notamment à bloquer dans mon "
            "agenda les dates clés ci-dessus."
        ),
        required=False,
    )
    typed_name = forms.CharField(
        label=_("Votre prénom et votre nom"),
        max_length=200,
        required=False,
        help_text=_("Écrivez-les comme sur votre compte : ils valent signature."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    @property
    def shown_text_id(self) -> int | None:
        value = self.cleaned_data.get("text_id") or ""
        return int(value) if value.isdigit() else None
