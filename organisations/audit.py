"""What the journal calls each audited action.

An :class:`~organisations.models.AuditEntry` stores a stable key,
``<app>.<object>.<verb>`` (``candidatures.application.decided``,
``presences.sheet.validated``), never a sentence: the French label is looked up here
when the journal is shown, so rewording a label never rewrites history.

The app that performs an action declares it, in its ``actions.py``: an ``Action``
(a ``TextChoices`` of key and label) that its services pass to
:func:`organisations.services.record`, and a receiver of :data:`action_labels`
returning its labels (``actions`` modules are autodiscovered, see
``sillon.extensions``)::

    # candidatures/actions.py
    class Action(TextChoices):
        APPLICATION_DECIDED = "candidatures.application.decided", _("décision sur …")

    @receiver(action_labels, dispatch_uid="candidatures.action_labels")
    def labels(sender, **kwargs):
        return dict(Action.choices)

A key nobody declares (an app removed, a typo) is shown as the key itself.
"""

from __future__ import annotations

from django.utils.translation import get_language

from sillon.extensions import ExtensionPoint

action_labels = ExtensionPoint(
    "organisations.action_labels",
    "The journal's label of each audited action: each receiver returns a dict "
    "{key: French label} of the actions its app records (keys ``<app>.<object>.<verb>``, "
    "unique across apps).",
)


# {language: (receivers connected, {key: label})}: the labels are code, so they are
# collected once per language, and again only when a receiver is connected (tests).
_labels_by_language: dict[str | None, tuple[int, dict[str, str]]] = {}


def known_labels() -> dict[str, str]:
    """Every declared action key and its label, in the order of ``INSTALLED_APPS``."""
    language = get_language()
    connected = len(action_labels.receivers)
    cached = _labels_by_language.get(language)
    if cached is None or cached[0] != connected:
        labels: dict[str, str] = {}
        for contribution in action_labels.collect():
            labels.update({key: str(label) for key, label in contribution.items()})
        cached = _labels_by_language[language] = (connected, labels)
    return cached[1]


def action_label(key: str, labels: dict[str, str] | None = None) -> str:
    """The label of ``key``, or ``key`` itself if no app declares it. Pass ``labels``
    (:func:`known_labels`) when labelling many entries."""
    if labels is None:
        labels = known_labels()
    return labels.get(key, key)
