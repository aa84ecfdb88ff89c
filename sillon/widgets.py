"""Form widgets and field rendering shared by the apps."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django_bootstrap5 import renderers


class FastSelect(forms.Select):
    """A ``<select>`` rendered in Python rather than through one template per
    ``<option>``: on a filter bar with a few selects, Django's template rendering of the
    options costs more than the rest of the page. Same markup, same attributes."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        groups = []
        for group_name, options, _index in widget["optgroups"]:
            rendered = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                (
                    (
                        "" if option["value"] is None else option["value"],
                        flatatt(option["attrs"]),
                        option["label"],
                    )
                    for option in options
                ),
            )
            if group_name:
                rendered = format_html('<optgroup label="{}">{}</optgroup>', group_name, rendered)
            groups.append(rendered)
        return format_html(
            '<select name="{}"{}>{}</select>',
            widget["name"],
            flatatt(widget["attrs"]),
            mark_safe("".join(groups)),  # each part was built with format_html
        )


class FieldRenderer(renderers.FieldRenderer):
    """django-bootstrap5's field renderer, marking only the fields in error: after a
    failed submit, a green "valid" tick on every other field (including the filters of a
    list) is noise, and claims a validation that never happened on the client."""

    def get_server_side_validation_classes(self):
        return "is-invalid" if self.field_errors else ""
