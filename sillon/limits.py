"""Bounds of free input, shared by models and forms.

Every text a person types has a length limit fit for its use, and every number a
maximum: a pasted 2,000,000-character text would otherwise be copied into every e-mail,
feed and page, and an oversized number would fail in the database. The convention test
(``tests/test_conventions.py``) holds every form of the project to them.
"""

# A title, a name, a subject: one line.
TITLE = 200
# A short free text: a place, an address, a comment, a reason, a help text.
NOTE = 5_000
# A long text: a description, objectives, a session's content, a call's body.
TEXT = 20_000
# A count a person types (capacity, places, days).
COUNT = 100_000
# An order, a weight, a score on a scale.
SMALL = 10_000
