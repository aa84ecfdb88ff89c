"""An accessible combobox to pick a territory (ARIA 1.2 combobox pattern with a listbox
popup): a text input with suggestions fetched by htmx from ``territoires:search`` and a
hidden input carrying the chosen id. Keyboard: ↓/↑ move through suggestions, Entrée
chooses, Échap closes (static/js/territory-autocomplete.js; no inline script or style).

Without JavaScript it is a plain text field: ``TerritoryField`` resolves the typed name
or code, or answers with the candidates to choose from."""

from django import forms
from django.urls import reverse
from django.utils.http import urlencode

from .models import Territory

ID_SUFFIX = "_id"


class TerritoryAutocomplete(forms.Widget):
    template_name = "territoires/widgets/territory_autocomplete.html"
    kinds: list[str] | None = None

    class Media:
        js = [forms.Script("js/territory-autocomplete.js", defer=True)]

    def __init__(self, attrs=None, kinds=None):
        super().__init__(attrs)
        self.kinds = list(kinds) if kinds else None

    def value_from_datadict(self, data, files, name):
        return (data.get(name, ""), data.get(name + ID_SUFFIX, ""))

    def value_omitted_from_data(self, data, files, name):
        return name not in data and name + ID_SUFFIX not in data

    def format_value(self, value):
        """(text shown, chosen id) from what the form holds: a Territory or its id
        (initial), or what was submitted (text, id)."""
        if value in (None, ""):
            return "", ""
        if isinstance(value, tuple | list):
            return str(value[0] or ""), str(value[1] or "")
        if not isinstance(value, Territory):
            value = Territory.objects.select_related("parent").filter(pk=value).first()
            if value is None:
                return "", ""
        return value.label, str(value.pk)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        text, chosen = self.format_value(value)
        widget = context["widget"]
        classes = widget["attrs"].get("class", "").split()
        widget["attrs"]["class"] = " ".join(dict.fromkeys(["form-control", *classes]))
        widget_id = widget["attrs"].get("id") or f"id_{name}"
        query = {"for": widget_id}
        if self.kinds:
            query["kinds"] = ",".join(self.kinds)
        widget.update(
            {
                "value": text,
                "chosen": chosen,
                "id": widget_id,
                "id_name": name + ID_SUFFIX,
                "search_url": f"{reverse('territoires:search')}?{urlencode(query)}",
            }
        )
        return context
