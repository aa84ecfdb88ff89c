"""Every form of the project bounds what a person can type: a length limit on every
text, a maximum on every number, and one-line inputs cleaned of control characters (by
inheriting ``sillon.forms.Form`` / ``ModelForm``). Every text a person types into a
model has a length limit too, so that no form made later can forget it."""

import importlib
import inspect
import pkgutil

from django import forms
from django.apps import apps
from django.db import models

from sillon.forms import BoundedInputs, Form
from tests.test_conventions import OUR_APPS, our_models

NUMBER_FIELDS = (forms.IntegerField, forms.FloatField, forms.DecimalField)
FREE_TEXT_FIELDS = (forms.EmailField, forms.URLField, forms.SlugField, forms.RegexField)
# Texts written by the platform, never typed by a person (errors, rendered e-mails).
SYSTEM_TEXTS = {
    "notifications.OutboxMessage.body_text",
    "notifications.OutboxMessage.body_html",
    "notifications.OutboxMessage.last_error",
    "notifications.Notification.body",
    "notifications.SuppressedAddress.description",
    "candidatures.ApplicationEvent.note",
    "documents.Document.error",
}


def our_form_classes():
    found = {}
    for label in sorted(OUR_APPS | {"sillon"}):
        config = apps.get_app_config(label)
        names = [config.name] + [
            module.name
            for module in pkgutil.walk_packages([config.path], prefix=f"{config.name}.")
            if ".migrations" not in module.name
        ]
        for name in names:
            module = importlib.import_module(name)
            for value in vars(module).values():
                if (
                    inspect.isclass(value)
                    and issubclass(value, forms.BaseForm)
                    and value.__module__ == name
                ):
                    found[f"{name}.{value.__name__}"] = value
    return found


def test_the_walk_finds_the_forms():
    found = our_form_classes()
    assert len(found) > 60
    assert "parcours.forms.SessionForm" in found


def test_every_form_inherits_the_bounded_base():
    unbounded = [
        name
        for name, form in our_form_classes().items()
        if not issubclass(form, BoundedInputs) and name not in ("sillon.forms.Form",)
    ]
    assert unbounded == []


def test_every_text_has_a_length_limit_and_every_number_a_maximum():
    gaps = []
    for name, form in our_form_classes().items():
        maximums = getattr(form, "maximums", {})
        for field_name, field in form.base_fields.items():
            text = isinstance(field, forms.CharField) and not isinstance(field, FREE_TEXT_FIELDS)
            if text and field.max_length is None:
                gaps.append(f"{name}.{field_name}: no max_length")
            number = isinstance(field, NUMBER_FIELDS) and field_name not in maximums
            if number and field.max_value is None:
                gaps.append(f"{name}.{field_name}: no max_value")
    assert gaps == []


def test_every_text_a_person_types_into_a_model_has_a_length_limit():
    gaps = [
        f"{model._meta.label}.{field.name}"
        for model in our_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.TextField)
        and field.editable
        and field.max_length is None
        and f"{model._meta.label}.{field.name}" not in SYSTEM_TEXTS
    ]
    assert gaps == []


class _Probe(Form):
    title = forms.CharField(max_length=200)
    body = forms.CharField(max_length=2000, widget=forms.Textarea)
    code = forms.CharField(max_length=50, widget=forms.HiddenInput)


def test_one_line_inputs_lose_their_control_characters_and_texts_keep_their_lines():
    form = _Probe(
        data={
            "title": "Séminaire\r\nBcc: x@exemple.fr\x00\u2028fin",
            "body": "ligne 1\r\nligne 2",
            "code": "AB\x1bC",
        }
    )
    # The NUL character is refused by Django itself; without it the title is cleaned.
    assert not form.is_valid() and "title" in form.errors
    form = _Probe(
        data={"title": "Séminaire\r\nBcc: x@exemple.fr\u2028fin", "body": "l1\nl2", "code": "C"}
    )
    assert form.is_valid()
    assert form.cleaned_data["title"] == "Séminaire Bcc: x@exemple.fr fin"
    assert form.cleaned_data["body"] == "l1\nl2"
