"""``TerritoryField``: a form field that cleans to a Territory, with the accessible
autocomplete (``TerritoryAutocomplete``) and a plain-text fallback resolved here."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import Territory
from .selectors import resolve_territory
from .widgets import TerritoryAutocomplete

MAX_LISTED = 8


class TerritoryField(forms.Field):
    """``kinds``: the territory kinds accepted (all when None)."""

    widget = TerritoryAutocomplete
    default_error_messages = {
        "required": _("Indiquez un territoire."),
        "not_found": _(
            "Aucun territoire ne correspond à « %(text)s ». Essayez le nom officiel ou le "
            "code (INSEE, SIREN, numéro de département)."
        ),
    }

    def __init__(self, *, kinds=None, **kwargs):
        self.kinds = list(kinds) if kinds else None
        super().__init__(**kwargs)
        self.widget.kinds = self.kinds
        self.help_text = self.help_text or _(
            "Nom ou code officiel (INSEE, SIREN d'un EPCI, numéro de département)."
        )

    def _queryset(self):
        queryset = Territory.objects.select_related("parent")
        return queryset.filter(kind__in=self.kinds) if self.kinds else queryset

    def to_python(self, value):
        if isinstance(value, Territory):
            return value
        if not isinstance(value, tuple | list):
            value = (value or "", "")
        text, chosen = (str(part or "").strip() for part in value)
        if chosen.isdigit():
            territory = self._queryset().filter(pk=chosen).first()
            if territory is not None:
                return territory
        if not text:
            return None
        territory, candidates = resolve_territory(text, kinds=self.kinds)
        if territory is not None:
            return territory
        if not candidates:
            raise ValidationError(
                self.error_messages["not_found"], code="not_found", params={"text": text}
            )
        listed = "; ".join(candidate.label for candidate in candidates[:MAX_LISTED])
        more = "…" if len(candidates) > MAX_LISTED else ""
        raise ValidationError(
            gettext(
                "Plusieurs territoires correspondent à « %(text)s » : %(listed)s%(more)s. "
                "Précisez en recopiant le nom affiché ou le code officiel."
            ),
            code="ambiguous",
            params={"text": text, "listed": listed, "more": more},
        )

    def has_changed(self, initial, data):
        initial_pk = initial.pk if isinstance(initial, Territory) else initial
        try:
            territory = self.to_python(data)
        except ValidationError:
            return True
        return str(initial_pk or "") != str(territory.pk if territory else "")
