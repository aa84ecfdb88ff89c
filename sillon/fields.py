"""Form fields of the project.

``ModelChoiceField`` and ``ModelMultipleChoiceField`` refuse, as an invalid choice, an
id no database column can hold (« 99999999999999999999999 »): Django's own fields pass
it to the query, which then fails (``OverflowError`` on SQLite, an out-of-range error
that aborts the transaction on PostgreSQL) and the page answers 500. Every form uses
these instead of Django's.
"""

from django import forms
from django.core.exceptions import ValidationError

BIGGEST_ID = 2**63 - 1


def out_of_range(value) -> bool:
    """Whether ``value`` is a whole number no 64-bit column holds."""
    try:
        number = int(str(value).strip())
    except ValueError:
        return False
    return not -BIGGEST_ID - 1 <= number <= BIGGEST_ID


class ModelChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and out_of_range(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        for pk in value if isinstance(value, list | tuple | set | frozenset) else [value]:
            if out_of_range(pk):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)
