"""Base forms of the project.

Every form inherits ``Form`` or ``ModelForm`` (``tests/test_conventions.py`` checks it):

- a one-line input (a title, a name, a subject, a code) is cleaned of control
  characters on input, so that a title pasted from Word with its line break, or a
  hostile ``\\r\\nBcc:``, is stored as one line and can break no header, feed or export.
  Multi-line texts (``Textarea``) keep their line breaks;
- ``maximums`` gives the largest value of number fields made from the model (an order,
  a capacity, a month), which Django leaves unbounded in the form: the browser gets the
  ``max`` attribute, the server refuses more with a French error next to the field.
"""

from django import forms
from django.core.validators import MaxValueValidator

from sillon.mail import one_line

ONE_LINE_INPUTS = ("text", "search", "email", "url", "tel")


def is_one_line(field: forms.Field) -> bool:
    widget = field.widget
    return isinstance(widget, forms.widgets.Input) and widget.input_type in ONE_LINE_INPUTS


class BoundedInputs:
    maximums: dict[str, int] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, maximum in self.maximums.items():
            field = self.fields[name]
            field.max_value = maximum
            field.validators.append(MaxValueValidator(maximum))
            field.widget.attrs["max"] = maximum

    def _clean_fields(self):
        super()._clean_fields()
        for name, field in self.fields.items():
            value = self.cleaned_data.get(name)
            if isinstance(value, str) and is_one_line(field):
                self.cleaned_data[name] = one_line(value)


class Form(BoundedInputs, forms.Form):
    pass


class ModelForm(BoundedInputs, forms.ModelForm):
    pass
