"""Writing, sharing, validating and correcting the minutes of a session.

Every function runs in one transaction, checks the state it changes, raises
``ValidationError`` with French messages and records an audit entry. A validated
version is never written again (« Ce compte rendu est validé : faites une
correction. »); the database refuses it too (migration ``0003_minutes``).

Validation locks the minutes row (``select_for_update``): two validations at once send
the minutes once, the second is refused. It renders the PDF, sends it to each attendee
with an account (one e-mail each, and an in-app notice), and hands each action with an
owner and a deadline to the relevant plan (``plans.services.actions.action_from_source``,
source « décision d'un compte rendu »): the team's plan for a team's action, else the
plan chosen (a working group's or a common plan), else the session's team's (an
individual coaching), the working group's of a group séance, or the programme's common
plan. A correction validated later changes those same plan actions and removes those it
dropped (unless someone followed them up in the plan: they then stay, with their history).
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from organisations.services import record
from parcours.models import AgendaItem, Session
from plans.models import Action, ActionPlan
from plans.services import actions as plan_actions
from plans.services import stages as plan_stages
from sillon import limits

from .. import minutes_selectors as selectors
from ..actions import Audited
from ..minutes_pdf import minutes_filename, minutes_pdf
from ..models import (
    Minutes,
    MinutesAction,
    MinutesAttendee,
    MinutesComment,
    MinutesDecision,
    MinutesItem,
    MinutesVersion,
)
from ..notices import send_shared, send_validated, session_day

LOCKED = _("Ce compte rendu est validé : faites une correction.")
MAX_ROWS = 100


def _locked_minutes(minutes: Minutes) -> Minutes:
    locked = (
        Minutes.objects.select_for_update(of=("self",)).select_related("session").get(pk=minutes.pk)
    )
    locked.organisation = minutes.organisation
    locked.session.organisation = minutes.organisation
    return locked


def _current(minutes: Minutes, *, lock: bool = False) -> MinutesVersion:
    versions = MinutesVersion.objects.filter(minutes=minutes, number=minutes.current_number)
    if lock:
        versions = versions.select_for_update()
    version = versions.get()
    version.minutes = minutes
    return version


def _attendee_rows(session: Session) -> list[MinutesAttendee]:
    return [
        MinutesAttendee(
            organisation_id=session.organisation_id,
            user=present.user,
            name=present.name[: limits.TITLE],
            team=present.team,
        )
        for present in selectors.attendees_from_sheet(session)
    ]


def _store_rows(version: MinutesVersion, model, rows: list) -> None:
    model.objects.filter(version=version).delete()
    for order, row in enumerate(rows):
        row.version = version
        row.organisation_id = version.organisation_id
        row.order = order
    model.objects.bulk_create(rows)


# --- Starting ------------------------------------------------------------------------


@transaction.atomic
def start_minutes(*, session: Session, acting_user) -> Minutes:
    """The session's minutes, begun the first time: version 1, a draft whose attendees
    come from the attendance sheet when attendance was taken, and whose agenda comes
    from the session's day agenda (breaks left out)."""
    existing = Minutes.objects.filter(session=session).first()
    if existing is not None:
        return existing
    if session.status == Session.Status.CANCELLED:
        raise ValidationError(_("Cette séance est annulée : elle n'a pas de compte rendu."))
    try:
        with transaction.atomic():
            minutes = Minutes.objects.create(
                organisation=session.organisation, session=session, created_by=acting_user
            )
    except IntegrityError:  # begun by someone else at the same moment
        return Minutes.objects.get(session=session)
    from_sheet = selectors.has_attendance(session)
    version = MinutesVersion.objects.create(
        organisation=session.organisation,
        minutes=minutes,
        number=1,
        from_sheet=from_sheet,
        written_by=acting_user,
    )
    if from_sheet:
        _store_rows(version, MinutesAttendee, _attendee_rows(session))
    agenda = AgendaItem.objects.filter(session=session).exclude(kind=AgendaItem.Kind.BREAK)
    _store_rows(
        version,
        MinutesItem,
        [
            MinutesItem(title=item.title[: limits.TITLE])
            for item in agenda.order_by("day", "start_time", "pk")
        ],
    )
    record(
        organisation=session.organisation,
        actor=acting_user,
        action=Audited.MINUTES_STARTED,
        target=session.title,
        session=session.pk,
        minutes=minutes.pk,
    )
    return minutes


# --- Writing ---------------------------------------------------------------------------


def _check_text(errors, field, value, maximum, label):
    if len(value) > maximum:
        errors.setdefault(field, []).append(
            _("%(label)s : %(maximum)s caractères au plus (ici %(length)s).")
            % {"label": label, "maximum": maximum, "length": len(value)}
        )


def _allowed_lineages(minutes: Minutes, number: int) -> set[int]:
    """The plan lineages of the actions of the earlier versions (a correction keeps them)."""
    rows = MinutesAction.objects.filter(version__minutes=minutes, version__number__lt=number)
    return {row.lineage or row.pk for row in rows}


@transaction.atomic
def save_version(
    *,
    minutes: Minutes,
    acting_user,
    present=(),
    other_names: str = "",
    items=(),
    decisions=(),
    actions=(),
) -> MinutesVersion:
    """Write the current draft (or the version shared for comments).

    ``present``: people ticked present (among the people expected; ignored when the
    attendees come from the sheet); ``other_names``: one name a line; ``items``: dicts
    ``title``, ``text``; ``decisions``: texts; ``actions``: dicts ``text``, ``owner``,
    ``owner_name``, ``team``, ``plan``, ``due_on``, ``lineage``.
    """
    minutes = _locked_minutes(minutes)
    if minutes.is_validated:
        raise ValidationError(LOCKED)
    version = _current(minutes, lock=True)
    if version.is_validated:
        raise ValidationError(LOCKED)
    session = minutes.session
    errors: dict[str, list[str]] = {}
    items, decisions, actions = list(items), list(decisions), list(actions)
    for name, rows in (("items", items), ("decisions", decisions), ("actions", actions)):
        if len(rows) > MAX_ROWS:
            errors[name] = [_("%(n)s lignes au plus.") % {"n": MAX_ROWS}]
    item_rows = []
    for item in items:
        title, text = (item.get("title") or "").strip(), (item.get("text") or "").strip()
        if not title and not text:
            continue
        if not title:
            errors.setdefault("items", []).append(_("Donnez un titre à chaque point."))
        _check_text(errors, "items", title, limits.TITLE, _("Le titre d'un point"))
        _check_text(errors, "items", text, limits.TEXT, _("Le texte d'un point"))
        item_rows.append(MinutesItem(title=title, text=text))
    decision_rows = []
    for text in decisions:
        text = (text or "").strip()
        if text:
            _check_text(errors, "decisions", text, limits.NOTE, _("Une décision"))
            decision_rows.append(MinutesDecision(text=text))
    expected = {user.pk: user for user in selectors.expected_people(session)}
    attendee_rows = []
    if version.from_sheet:
        attendee_rows = _attendee_rows(session)
    else:
        for user in present:
            if user.pk not in expected:
                errors.setdefault("present", []).append(
                    _("Choisissez les participant·es parmi les personnes attendues.")
                )
                break
            attendee_rows.append(
                MinutesAttendee(user=user, name=selectors.display_name(user)[: limits.TITLE])
            )
    for line in (other_names or "").splitlines():
        name = line.strip()
        if name:
            _check_text(errors, "other_names", name, limits.TITLE, _("Un nom"))
            attendee_rows.append(MinutesAttendee(name=name))
    people = set(expected) | {row.user_id for row in attendee_rows if row.user_id}
    teams = set(selectors.session_teams(session).values_list("pk", flat=True))
    plans = set(selectors.shared_plans(session).values_list("pk", flat=True))
    lineages = _allowed_lineages(minutes, version.number)
    action_rows = []
    for action in actions:
        text = (action.get("text") or "").strip()
        owner, owner_name = action.get("owner"), (action.get("owner_name") or "").strip()
        if not text:
            if owner or owner_name or action.get("due_on"):
                errors.setdefault("actions", []).append(_("Dites quelle est chaque action."))
            continue
        _check_text(errors, "actions", text, limits.TITLE, _("Une action"))
        _check_text(errors, "actions", owner_name, limits.TITLE, _("Le nom d'un pilote"))
        if owner is not None and owner.pk not in people:
            errors.setdefault("actions", []).append(
                _("Le pilote d'une action est une personne de la séance, ou nommez-le.")
            )
        if owner is not None and owner_name:
            errors.setdefault("actions", []).append(
                _("Choisissez une personne ou nommez un pilote, pas les deux.")
            )
        team, plan = action.get("team"), action.get("plan")
        if team is not None and team.pk not in teams:
            errors.setdefault("actions", []).append(_("Choisissez une équipe du programme."))
        if plan is not None and plan.pk not in plans:
            errors.setdefault("actions", []).append(_("Choisissez un plan du programme."))
        if team is not None and plan is not None:
            errors.setdefault("actions", []).append(
                _("Une action va au plan de son équipe ou à un plan partagé, pas aux deux.")
            )
        lineage = action.get("lineage")
        action_rows.append(
            MinutesAction(
                text=text,
                owner=owner,
                owner_name=owner_name,
                team=team,
                plan=plan,
                due_on=action.get("due_on"),
                lineage=lineage if lineage in lineages else None,
            )
        )
    if errors:
        raise ValidationError({key: sorted(set(value)) for key, value in errors.items()})
    _store_rows(version, MinutesAttendee, attendee_rows)
    _store_rows(version, MinutesItem, item_rows)
    _store_rows(version, MinutesDecision, decision_rows)
    _store_rows(version, MinutesAction, action_rows)
    version.written_by = acting_user
    version.save(update_fields=["written_by", "updated_at"])
    Minutes.objects.filter(pk=minutes.pk).update(updated_at=timezone.now())
    record(
        organisation=minutes.organisation,
        actor=acting_user,
        action=Audited.MINUTES_SAVED,
        target=session.title,
        minutes=minutes.pk,
        version=version.number,
    )
    return version


def _attendee_users(version: MinutesVersion) -> list:
    rows = MinutesAttendee.objects.filter(version=version, user__isnull=False).select_related(
        "user"
    )
    users = {}
    for row in rows:
        if row.user.is_active:
            users.setdefault(row.user_id, row.user)
    return list(users.values())


# --- Sharing for comments ----------------------------------------------------------------


@transaction.atomic
def share_minutes(*, minutes: Minutes, acting_user) -> MinutesVersion:
    """« Partager pour relecture »: the attendees read the draft and comment on it."""
    minutes = _locked_minutes(minutes)
    if minutes.is_validated:
        raise ValidationError(LOCKED)
    if minutes.status == Minutes.Status.SHARED:
        raise ValidationError(_("Ce compte rendu est déjà partagé pour relecture."))
    version = _current(minutes, lock=True)
    recipients = [user for user in _attendee_users(version) if user.pk != acting_user.pk]
    if not recipients:
        raise ValidationError(
            _("Aucune personne présente n'a de compte : indiquez les participant·es d'abord.")
        )
    now = timezone.now()
    version.status = MinutesVersion.Status.SHARED
    version.shared_at = now
    version.save(update_fields=["status", "shared_at", "updated_at"])
    minutes.status = Minutes.Status.SHARED
    minutes.save(update_fields=["status", "updated_at"])
    send_shared(version=version, recipients=recipients)
    record(
        organisation=minutes.organisation,
        actor=acting_user,
        action=Audited.MINUTES_SHARED,
        target=minutes.session.title,
        minutes=minutes.pk,
        version=version.number,
        recipients=len(recipients),
    )
    return version


@transaction.atomic
def comment_minutes(*, version: MinutesVersion, acting_user, text: str) -> MinutesComment:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("Écrivez votre commentaire.")]})
    if len(text) > limits.NOTE:
        raise ValidationError({"text": [_("%(n)s caractères au plus.") % {"n": limits.NOTE}]})
    current = MinutesVersion.objects.select_for_update().get(pk=version.pk)
    if current.status != MinutesVersion.Status.SHARED:
        raise ValidationError(_("Ce compte rendu n'est plus ouvert aux commentaires."))
    comment = MinutesComment.objects.create(
        organisation=version.organisation, version=current, author=acting_user, text=text
    )
    record(
        organisation=version.organisation,
        actor=acting_user,
        action=Audited.MINUTES_COMMENTED,
        target=version.minutes.session.title,
        minutes=version.minutes_id,
        version=version.number,
    )
    return comment


# --- Validating ----------------------------------------------------------------------------


def relevant_plan(action: MinutesAction, session: Session) -> ActionPlan | None:
    """Where an action decided in the minutes goes (see the module's docstring)."""
    if action.team_id:
        return plan_stages.team_plan(team=action.team)
    if action.plan_id:
        return action.plan
    if session.audience == Session.Audience.TEAM:
        teams = list(session.teams.all()[:2])
        if len(teams) == 1:
            return plan_stages.team_plan(team=teams[0])
    return selectors.group_plan_of(session) or selectors.common_plan_of(session.programme_id)


def _plan_label(session: Session) -> str:
    return _("Compte rendu du %(day)s — %(title)s") % {
        "day": session_day(session, session.organisation),
        "title": session.title,
    }


def _forget_plan_action(source_id: int, acting_user) -> None:
    action = Action.objects.filter(source=Action.Source.MINUTES, source_id=source_id).first()
    if action is None or action.updates.count() > 1:
        return
    plan_actions.delete_action(action=action, acting_user=acting_user)


def _sync_plans(version: MinutesVersion, previous, session: Session, acting_user) -> int:
    """Hand the actions to their plans; returns how many went to a plan."""
    kept = set()
    label = _plan_label(session)
    for action in version.actions.all():
        if not action.goes_to_plan:
            continue
        plan = relevant_plan(action, session)
        if plan is None:
            continue
        plan_actions.action_from_source(
            plan=plan,
            acting_user=acting_user,
            source=Action.Source.MINUTES,
            source_id=action.source_id,
            source_label=label,
            title=action.text,
            owner=action.owner,
            owner_name="" if action.owner_id else action.owner_name,
            due_on=action.due_on,
            description=_("Décidée lors de « %(title)s ».") % {"title": session.title},
        )
        kept.add(action.source_id)
    if previous is not None:
        for action in previous.actions.all():
            if action.source_id not in kept:
                _forget_plan_action(action.source_id, acting_user)
    return len(kept)


@transaction.atomic
def validate_minutes(*, minutes: Minutes, acting_user, notify: bool = True) -> MinutesVersion:
    """« Valider »: lock the version, send the PDF to the attendees, fill the plans
    (``notify`` false: the demo's past minutes e-mail nobody)."""
    minutes = _locked_minutes(minutes)
    if minutes.is_validated:
        raise ValidationError(_("Ce compte rendu est déjà validé."))
    session = minutes.session
    version = _current(minutes, lock=True)
    if version.from_sheet:
        _store_rows(version, MinutesAttendee, _attendee_rows(session))
    if not MinutesItem.objects.filter(version=version).exists() and not (
        MinutesDecision.objects.filter(version=version).exists()
    ):
        raise ValidationError(
            _("Ce compte rendu est vide : écrivez au moins un point ou une décision.")
        )
    version.status = MinutesVersion.Status.VALIDATED
    version.validated_at = timezone.now()
    version.validated_by = acting_user
    version.save(update_fields=["status", "validated_at", "validated_by", "updated_at"])
    minutes.status = Minutes.Status.VALIDATED
    minutes.save(update_fields=["status", "updated_at"])
    full = selectors.version_with_content(minutes, version.number)
    full.minutes = minutes
    previous = selectors.last_validated(minutes, before=version.number)
    to_plans = _sync_plans(full, previous, session, acting_user)
    recipients = _attendee_users(version) if notify else []
    messages = []
    if recipients:
        pdf = minutes_pdf(full, minutes.organisation)
        messages = send_validated(
            version=full, recipients=recipients, pdf=pdf, filename=minutes_filename(full)
        )
    record(
        organisation=minutes.organisation,
        actor=acting_user,
        action=Audited.MINUTES_VALIDATED,
        target=session.title,
        minutes=minutes.pk,
        version=version.number,
        correction=version.is_correction,
        recipients=len(recipients),
        emails=len(messages),
        plan_actions=to_plans,
    )
    return full


# --- Correcting ----------------------------------------------------------------------------


@transaction.atomic
def correct_minutes(*, minutes: Minutes, acting_user) -> MinutesVersion:
    """« Corriger »: a new draft version copied from the validated one, which stays."""
    minutes = _locked_minutes(minutes)
    if not minutes.is_validated:
        raise ValidationError(_("Une version est déjà en cours d'écriture : modifiez-la."))
    last = _current(minutes)
    version = MinutesVersion.objects.create(
        organisation=minutes.organisation,
        minutes=minutes,
        number=last.number + 1,
        from_sheet=last.from_sheet,
        written_by=acting_user,
    )
    _store_rows(
        version,
        MinutesAttendee,
        [
            MinutesAttendee(user_id=a.user_id, name=a.name, team_id=a.team_id)
            for a in last.attendees.all()
        ],
    )
    _store_rows(
        version, MinutesItem, [MinutesItem(title=i.title, text=i.text) for i in last.items.all()]
    )
    _store_rows(
        version, MinutesDecision, [MinutesDecision(text=d.text) for d in last.decisions.all()]
    )
    _store_rows(
        version,
        MinutesAction,
        [
            MinutesAction(
                text=a.text,
                owner_id=a.owner_id,
                owner_name=a.owner_name,
                team_id=a.team_id,
                plan_id=a.plan_id,
                due_on=a.due_on,
                lineage=a.source_id,
            )
            for a in last.actions.all()
        ],
    )
    minutes.current_number = version.number
    minutes.status = Minutes.Status.DRAFT
    minutes.save(update_fields=["current_number", "status", "updated_at"])
    record(
        organisation=minutes.organisation,
        actor=acting_user,
        action=Audited.MINUTES_CORRECTED,
        target=minutes.session.title,
        minutes=minutes.pk,
        version=version.number,
    )
    return version
