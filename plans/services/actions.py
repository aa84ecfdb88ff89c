"""A plan's actions: created, changed, updated, reopened, removed.

Every write leaves an ``ActionUpdate`` (who, when, the note, the progress and status
after it, and the fields it changed) and an audit entry. A change to an action's fields
carries the ``version`` the writer started from: if someone changed the action since,
nothing is written and ``StaleAction`` says who changed what, so no concurrent edit is
ever overwritten. A progress update (a note, a percentage, a status) is a new row of
the history and needs no lock: two people updating at once are both recorded.

``codev`` (a CODEV commitment), ``ressources`` (a decision in minutes) and the working
groups create actions through ``action_from_source``, which is idempotent per source.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from organisations.services import record
from parcours.models import TeamMember

from ..actions import Audited
from ..models import Action, ActionPlan, ActionUpdate
from .stages import touch

# The fields a person edits on the action's form, in the order the history lists them.
EDITABLE = (
    "title",
    "description",
    "objective",
    "targets",
    "owner",
    "owner_name",
    "partners",
    "means",
    "starts_on",
    "due_on",
    "indicators",
)


class StaleAction(ValidationError):
    """The action changed since the writer opened it. ``current`` is the action now,
    ``since`` the updates made in between (newest first)."""

    def __init__(self, message, current: Action, since: list[ActionUpdate]):
        super().__init__(message)
        self.current = current
        self.since = since


def _as_json(value):
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.get_full_name() or value.email
    return value


def _validate(plan: ActionPlan, values: dict) -> dict:
    """Clean ``values`` (the editable fields) and return the errors, in French."""
    errors: dict[str, list[str]] = {}
    values["title"] = (values.get("title") or "").strip()
    if not values["title"]:
        errors["title"] = [_("Donnez un intitulé à l'action.")]
    for name in ("description", "objective", "targets", "owner_name", "partners", "means"):
        values[name] = (values.get(name) or "").strip()
    values["indicators"] = (values.get("indicators") or "").strip()
    owner = values.get("owner")
    if owner is not None and plan.team_id is not None:
        in_team = TeamMember.objects.current().filter(team=plan.team_id, user=owner).exists()
        if not in_team:
            errors["owner"] = [_("Le pilote est un membre de l'équipe (ou un partenaire nommé).")]
    if owner is not None and values["owner_name"]:
        errors["owner_name"] = [_("Choisissez un membre ou nommez un partenaire, pas les deux.")]
    starts_on, due_on = values.get("starts_on"), values.get("due_on")
    if starts_on and due_on and due_on < starts_on:
        errors["due_on"] = [_("L'échéance ne peut pas précéder le début.")]
    return errors


def _check_progress(progress, status) -> dict:
    errors = {}
    if progress is None or not 0 <= int(progress) <= 100:
        errors["progress"] = [_("L'avancement est compris entre 0 et 100 %.")]
    if status not in Action.Status.values:
        errors["status"] = [_("Choisissez un état valide.")]
    return errors


@transaction.atomic
def create_action(
    *,
    plan: ActionPlan,
    acting_user,
    status: str = Action.Status.NOT_STARTED,
    progress: int = 0,
    source: str = Action.Source.MANUAL,
    source_id: int | None = None,
    source_label: str = "",
    **values,
) -> Action:
    """A new action of ``plan`` (``values``: the editable fields). Its first update
    records who created it and when."""
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise TypeError(f"unknown action fields: {sorted(unknown)}")
    errors = _validate(plan, values)
    errors.update(_check_progress(progress, status))
    if errors:
        raise ValidationError(errors)
    if status == Action.Status.DONE:
        progress = 100
    action = Action.objects.create(
        organisation=plan.organisation,
        plan=plan,
        status=status,
        progress=progress,
        source=source,
        source_id=source_id,
        source_label=source_label[:200],
        created_by=acting_user,
        **values,
    )
    ActionUpdate.objects.create(
        organisation=plan.organisation,
        action=action,
        author=acting_user,
        note=_("Action créée."),
        progress=action.progress,
        status=action.status,
        changes={"created": True},
    )
    touch(plan)
    record(
        organisation=plan.organisation,
        actor=acting_user,
        action=Audited.ACTION_CREATED,
        target=action.title,
        plan=plan.pk,
        action_id=action.pk,
        source=source,
    )
    return action


def _locked(action: Action, expected_version: int | None) -> Action:
    current = (
        Action.objects.select_for_update(of=("self",)).select_related("owner").get(pk=action.pk)
    )
    if expected_version is not None and current.version != expected_version:
        since = list(
            ActionUpdate.objects.filter(action=current)
            .select_related("author")
            .order_by("-created_at", "-pk")[: max(current.version - expected_version, 1)]
        )
        raise StaleAction(
            _(
                "Cette action a été modifiée par quelqu'un d'autre pendant que vous la "
                "modifiiez. Rien n'a été écrasé : comparez avec la version à jour "
                "ci-dessous, puis enregistrez à nouveau."
            ),
            current=current,
            since=since,
        )
    current.plan = action.plan
    return current


@transaction.atomic
def change_action(
    *, action: Action, acting_user, expected_version: int | None, note: str = "", **values
) -> Action:
    """Change the action's fields; the history keeps each field's before and after."""
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise TypeError(f"unknown action fields: {sorted(unknown)}")
    action = _locked(action, expected_version)
    merged = {name: getattr(action, name) for name in EDITABLE}
    merged.update(values)
    errors = _validate(action.plan, merged)
    if errors:
        raise ValidationError(errors)
    changes = {}
    for name in EDITABLE:
        before, after = getattr(action, name), merged[name]
        if before != after:
            changes[name] = [_as_json(before), _as_json(after)]
            setattr(action, name, after)
    if not changes:
        return action
    action.version += 1
    action.save()
    ActionUpdate.objects.create(
        organisation=action.organisation,
        action=action,
        author=acting_user,
        note=note.strip(),
        progress=action.progress,
        status=action.status,
        changes=changes,
    )
    touch(action.plan)
    record(
        organisation=action.organisation,
        actor=acting_user,
        action=Audited.ACTION_CHANGED,
        target=action.title,
        action_id=action.pk,
        fields=sorted(changes),
    )
    return action


@transaction.atomic
def post_update(
    *, action: Action, acting_user, progress: int, status: str, note: str = ""
) -> ActionUpdate:
    """A follow-up: a dated note with the new progress and status. A finished or
    abandoned action must be reopened first."""
    action = _locked(action, None)
    errors = _check_progress(progress, status)
    if errors:
        raise ValidationError(errors)
    progress = int(progress)
    if action.is_closed:
        raise ValidationError(
            _("Cette action est %(status)s : rouvrez-la avant de la mettre à jour.")
            % {"status": action.get_status_display().lower()}
        )
    if status == Action.Status.DONE:
        progress = 100
    elif status == Action.Status.NOT_STARTED and progress > 0:
        status = Action.Status.IN_PROGRESS
    if progress == action.progress and status == action.status and not note.strip():
        raise ValidationError(_("Rien n'a changé : indiquez un avancement, un état ou une note."))
    changes = {}
    if progress != action.progress:
        changes["progress"] = [action.progress, progress]
    if status != action.status:
        changes["status"] = [action.status, status]
    action.progress, action.status = progress, status
    action.version += 1
    action.save(update_fields=["progress", "status", "version", "updated_at"])
    update = ActionUpdate.objects.create(
        organisation=action.organisation,
        action=action,
        author=acting_user,
        note=note.strip(),
        progress=progress,
        status=status,
        changes=changes,
    )
    touch(action.plan, update.created_at)
    record(
        organisation=action.organisation,
        actor=acting_user,
        action=Audited.ACTION_UPDATED,
        target=action.title,
        action_id=action.pk,
        progress=progress,
        status=status,
    )
    return update


@transaction.atomic
def reopen_action(*, action: Action, acting_user, note: str = "") -> Action:
    action = _locked(action, None)
    if not action.is_closed:
        raise ValidationError(_("Cette action est déjà ouverte."))
    before = action.status
    action.status = Action.Status.IN_PROGRESS
    if action.progress == 100:
        action.progress = 90
    action.version += 1
    action.save(update_fields=["progress", "status", "version", "updated_at"])
    ActionUpdate.objects.create(
        organisation=action.organisation,
        action=action,
        author=acting_user,
        note=note.strip() or _("Action rouverte."),
        progress=action.progress,
        status=action.status,
        changes={"status": [before, action.status]},
    )
    touch(action.plan)
    record(
        organisation=action.organisation,
        actor=acting_user,
        action=Audited.ACTION_REOPENED,
        target=action.title,
        action_id=action.pk,
    )
    return action


@transaction.atomic
def delete_action(*, action: Action, acting_user) -> None:
    """Remove an action entered by mistake (its history goes with it; the journal keeps
    that it was removed, by whom). An action followed for a while is better abandoned."""
    plan = action.plan
    title, pk = action.title, action.pk
    action.delete()
    touch(plan)
    record(
        organisation=plan.organisation,
        actor=acting_user,
        action=Audited.ACTION_DELETED,
        target=title,
        plan=plan.pk,
        action_id=pk,
    )


@transaction.atomic
def action_from_source(
    *,
    plan: ActionPlan,
    acting_user,
    source: str,
    source_id: int,
    source_label: str,
    title: str,
    owner=None,
    owner_name: str = "",
    due_on: date | None = None,
    starts_on: date | None = None,
    description: str = "",
) -> Action:
    """The action of a commitment, a decision or a working-group output: created the
    first time, its title, owner and deadline kept in step afterwards (a change of the
    source is a change of the action, in its history)."""
    if source == Action.Source.MANUAL:
        raise ValueError("a manual action has no source")
    existing = Action.objects.filter(source=source, source_id=source_id).first()
    values = {"title": title, "owner": owner, "owner_name": owner_name, "due_on": due_on}
    if owner is not None and plan.team_id is not None:
        in_team = TeamMember.objects.current().filter(team=plan.team_id, user=owner).exists()
        if not in_team:
            values["owner"], values["owner_name"] = None, owner.get_full_name() or owner.email
    if existing is None:
        return create_action(
            plan=plan,
            acting_user=acting_user,
            source=source,
            source_id=source_id,
            source_label=source_label,
            starts_on=starts_on if starts_on and (not due_on or starts_on <= due_on) else None,
            description=description,
            **values,
        )
    existing.plan = plan
    return change_action(action=existing, acting_user=acting_user, expected_version=None, **values)


@transaction.atomic
def close_from_source(*, source: str, source_id: int, status: str, acting_user, note="") -> None:
    """The source says its action is done or dropped (a CODEV follow-up answer), or open
    again. A closed action is reopened first; all of it or nothing is written."""
    action = (
        Action.objects.filter(source=source, source_id=source_id).select_related("plan").first()
    )
    if action is None or action.status == status or status not in Action.Status.values:
        return
    if action.is_closed:
        reopen_action(action=action, acting_user=acting_user)
        action.refresh_from_db()
        if action.status == status and not note.strip():
            return  # reopened: nothing more to say
    post_update(
        action=action,
        acting_user=acting_user,
        progress=100 if status == Action.Status.DONE else action.progress,
        status=status,
        note=note,
    )


def late_since(action: Action, today: date | None = None) -> int:
    """Days past the deadline (0 if not late)."""
    today = today or timezone.localdate()
    if not action.is_late(today):
        return 0
    return (today - action.due_on).days
