"""Deleting sessions, alone or with their phase: what goes with them, what forbids it.

What a deletion takes with it is found the way Django's admin finds it, by following
the database's relations (``Collector``): the apps above the parcours (attendance,
evaluation, date polls, documents) hang their rows on sessions, and the parcours, which
imports none of them, sees them there. Some rows are records people made, which a
deletion must never erase (their model says so: ``deletion_refusal``): the session is
cancelled instead, which keeps them. A
session whose people were convened is cancelled too, so that they are told.

The files stored by the rows that go (a session's documents, resources of the library
attached to it: ``ressources.Resource.session`` cascades) are deleted from the storage
once the deletion is committed; the confirmation page says how many.
"""

import logging
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.db.models import FileField
from django.db.models.deletion import Collector
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from organisations.services import record
from parcours.actions import Action
from parcours.models import Convocation, Phase, Session

logger = logging.getLogger(__name__)

# What a model says of its rows when sessions are deleted (class attributes, so that the
# apps above the parcours declare it on their own models):
# - ``deletion_refusal``: its rows are records people made, which forbid the deletion
#   (« des présences enregistrées »);
# - ``deletion_unlisted``: its rows mean nothing on their own to a coordinator (a
#   session's days, histories of changes) and are not listed.
REFUSAL = "deletion_refusal"
UNLISTED = "deletion_unlisted"

# Names clearer in a count than the model's own (« 3 temps du programme de la journée »).
NAMES = {
    "parcours.AgendaItem": (
        gettext_lazy("temps du programme de la journée"),
        gettext_lazy("temps du programme de la journée"),
    ),
}


@dataclass
class DeletionSummary:
    """What deleting some sessions takes with it and, when it is refused, why."""

    sessions: int = 0
    # (French name of the rows, count), sessions first, then in the order found.
    counts: list[tuple[str, int]] = field(default_factory=list)
    # How many rows of each model (``app.Model``) go.
    by_model: dict[str, int] = field(default_factory=dict)
    # What the sessions hold that forbids deleting them (« des présences enregistrées »).
    reasons: list[str] = field(default_factory=list)
    # (storage, name) of the files stored by the rows that go, deleted with them.
    stored_files: list[tuple] = field(default_factory=list, repr=False)

    @property
    def files(self) -> int:
        return len(self.stored_files)

    @property
    def allowed(self) -> bool:
        return not self.reasons

    @property
    def sentence(self) -> str:
        """« 3 séances seront supprimées, avec 24 présences et 2 inscriptions. »"""
        if not self.sessions:
            return ""
        text = ngettext(
            "%(count)s séance sera supprimée", "%(count)s séances seront supprimées", self.sessions
        ) % {"count": self.sessions}
        others = [f"{count} {name}" for name, count in self.counts[1:]]
        if others:
            listed = (
                others[0] if len(others) == 1 else ", ".join(others[:-1]) + _(" et ") + others[-1]
            )
            text += _(", avec %(others)s") % {"others": listed}
        return text + "."

    def refusal(self, *, single: bool) -> str:
        """« Cette séance a des présences enregistrées : annulez-la plutôt. »"""
        what = _(" et ").join(str(reason) for reason in self.reasons)
        if single:
            return _("Cette séance a %(what)s : annulez-la plutôt.") % {"what": what}
        return _(
            "Des séances de cette phase ont %(what)s : annulez-les plutôt, ou supprimez la "
            "phase seule (ses séances restent dans le programme)."
        ) % {"what": what}


class _Counter(Collector):
    """A collector that gathers every row instead of deleting some in bulk: to count."""

    def can_fast_delete(self, *args, **kwargs):
        return False


def deletion_summary(sessions) -> DeletionSummary:
    """What deleting ``sessions`` would take with it, and what forbids it: records
    people made (attendance, signatures, evaluation answers) or convocations sent."""
    sessions = list(sessions)
    summary = DeletionSummary(sessions=len(sessions))
    if not sessions:
        return summary
    collector = _Counter(using=router.db_for_write(Session))
    collector.collect(sessions)
    rows = {
        model._meta.label: (model, len(instances))
        for model, instances in collector.data.items()
        if not model._meta.auto_created and instances
    }
    reasons = [
        str(getattr(model, REFUSAL))
        for model, _count in rows.values()
        if getattr(model, REFUSAL, None)
    ]
    first = Session._meta.label
    listed = [
        label for label, (model, _count) in rows.items() if not getattr(model, UNLISTED, False)
    ]
    for label in sorted(listed, key=lambda label: label != first):
        model, count = rows[label]
        one, many = NAMES.get(label, (model._meta.verbose_name, model._meta.verbose_name_plural))
        name = one if count == 1 else many
        summary.counts.append((str(name), count))
    summary.by_model = {label: count for label, (_model, count) in rows.items()}
    summary.stored_files = _stored_files(collector)
    summary.reasons = reasons
    if Convocation.objects.filter(session__in=sessions).exists():
        summary.reasons.append(_("des convocations envoyées"))
    return summary


def _stored_files(collector: Collector) -> list[tuple]:
    """(storage, name) of every file stored by the collected rows, whatever their app."""
    found = []
    for model, instances in collector.data.items():
        fields = [f for f in model._meta.concrete_fields if isinstance(f, FileField)]
        if not fields or not instances:
            continue
        rows = model._base_manager.filter(pk__in=[instance.pk for instance in instances])
        for names in rows.values_list(*[f.attname for f in fields]):
            found += [(f.storage, name) for f, name in zip(fields, names, strict=True) if name]
    return found


def _delete_stored(storage, name: str) -> None:
    try:
        storage.delete(name)
    except OSError:
        logger.warning("stored file not deleted", extra={"file": name}, exc_info=True)


def _delete_sessions(sessions: list[Session], summary: DeletionSummary) -> None:
    Session.objects.filter(pk__in=[session.pk for session in sessions]).delete()
    for storage, name in summary.stored_files:
        transaction.on_commit(lambda storage=storage, name=name: _delete_stored(storage, name))


@transaction.atomic
def delete_session(*, session: Session, acting_user) -> DeletionSummary:
    """Delete a session made by mistake, with its agenda, registrations, polls…;
    refused when it holds records or was convened (it is cancelled instead)."""
    session = Session.objects.select_for_update().get(pk=session.pk)
    summary = deletion_summary([session])
    if not summary.allowed:
        raise ValidationError(summary.refusal(single=True))
    record(
        organisation=session.organisation,
        actor=acting_user,
        action=Action.SESSION_DELETED,
        target=session.title,
        removed=dict(summary.counts),
    )
    _delete_sessions([session], summary)
    return summary


@transaction.atomic
def delete_phase(*, phase: Phase, acting_user, with_sessions: bool = False) -> DeletionSummary:
    """Remove a phase. Its sessions stay in the programme, without phase, unless
    ``with_sessions``: then they go too, refused when one holds records or was convened."""
    summary = DeletionSummary()
    sessions = []
    if with_sessions:
        sessions = list(Session.objects.select_for_update().filter(phase=phase))
        summary = deletion_summary(sessions)
        if not summary.allowed:
            raise ValidationError(summary.refusal(single=False))
    record(
        organisation=phase.organisation,
        actor=acting_user,
        action=Action.PHASE_DELETED,
        target=phase.name,
        **({"removed": dict(summary.counts)} if sessions else {}),
    )
    if sessions:
        _delete_sessions(sessions, summary)
    phase.delete()
    return summary
