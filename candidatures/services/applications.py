"""An application's life: the explicit state machine every transition goes through.

draft → submitted → under review → decided, and withdrawn from any state before the decision.
A coordinator may send a submitted application back to draft (reopening it), or reconsider a
decision before it is announced (decided → under review). Each change writes an
``ApplicationEvent`` (who, when, from, to, note) and an audit entry."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.services import update_profile
from candidatures import notices
from candidatures.actions import Action
from candidatures.models import Application, ApplicationEvent, ApplicationMember, Call, new_token
from candidatures.parts import missing_from_parts
from candidatures.services.references import next_reference
from organisations.quotas import check_invitation_quota
from organisations.services import record
from parcours.services.common import zone_of
from sillon.formatting import format_day, format_time
from territoires.models import Project

Status = Application.Status

TRANSITIONS: dict[str, set[str]] = {
    Status.DRAFT: {Status.SUBMITTED, Status.WITHDRAWN},
    Status.SUBMITTED: {Status.UNDER_REVIEW, Status.DRAFT, Status.WITHDRAWN},
    Status.UNDER_REVIEW: {Status.DECIDED, Status.WITHDRAWN},
    Status.DECIDED: {Status.UNDER_REVIEW},
    Status.WITHDRAWN: set(),
}


def lock_application(application: Application) -> Application:
    """``application`` re-read under a row lock: the second of two changes sees the first."""
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("call")
        .get(pk=application.pk)
    )


def record_event(
    application: Application, *, from_status: str, to_status: str, acting_user, note="", at=None
) -> ApplicationEvent:
    """A line of the application's history: who moved it from what to what, and when.
    (Also for steps that keep the state, such as a reopening or an announcement.)"""
    return ApplicationEvent.objects.create(
        organisation=application.organisation,
        application=application,
        from_status=from_status,
        to_status=to_status,
        actor=acting_user,
        at=at or timezone.now(),
        note=note,
    )


def transition(
    application: Application, *, to: str, acting_user, note: str = "", fields=()
) -> Application:
    """Move ``application`` (already locked by the caller, inside its transaction) to
    ``to``, or refuse with a French message if its current state does not allow it.
    ``fields`` are other fields the caller changed, saved with the status."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("transition() must run inside the caller's transaction")
    current = application.status
    if to not in TRANSITIONS[current]:
        raise ValidationError(
            _("Une candidature « %(current)s » ne peut pas passer à « %(to)s ».")
            % {"current": Status(current).label, "to": Status(to).label}
        )
    application.status = to
    application.save(update_fields=["status", "updated_at", *fields])
    record_event(application, from_status=current, to_status=to, acting_user=acting_user, note=note)
    record(
        organisation=application.organisation,
        actor=acting_user,
        action=Action.APPLICATION_STATUS_CHANGED,
        target=str(application),
        application=application.pk,
        before=current,
        after=to,
    )
    return application


# --- The applicants' side: starting, completing, submitting, withdrawing ---------------
#
# Only the lead (the person who started the application) changes the territory, the
# project and the team; the people the lead invited join by their e-mail link, then
# complete and confirm their own line. Everything but withdrawal happens in draft.

RESEND_INTERVAL = timedelta(minutes=10)
WITHDRAWABLE = (Status.DRAFT, Status.SUBMITTED, Status.UNDER_REVIEW)
DUPLICATE = "duplicate"
# ``update_application_member(role=UNCHANGED)`` keeps the member's role.
UNCHANGED: Any = object()


@dataclass(frozen=True)
class MissingItem:
    """One thing the application lacks before submission; ``fix`` says where to fix it:
    "project" (the application's form), "team" (the team page) or "parts" (the panels
    of the higher apps: motivation questions, self-diagnostic)."""

    text: str
    fix: str


def _is_lead(application: Application, user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and application.created_by_id == user.pk


def _require_lead(application: Application, user, message: str) -> None:
    if not _is_lead(application, user):
        raise ValidationError(message)


def _require_draft(application: Application) -> None:
    if application.status != Status.DRAFT:
        raise ValidationError(
            _("La candidature est « %(status)s » : elle ne peut plus être modifiée.")
            % {"status": Status(application.status).label}
        )


def _clean(instance, fields: list[str]) -> None:
    """The model's own checks (length, URL, blank) on ``fields``, with Django's French
    messages tied to those fields."""
    others = [f.name for f in instance._meta.fields if f.name not in fields]
    instance.clean_fields(exclude=others)


def _required_names(member: ApplicationMember) -> dict[str, str]:
    errors = {}
    if not member.first_name:
        errors["first_name"] = _("Indiquez le prénom.")
    if not member.last_name:
        errors["last_name"] = _("Indiquez le nom.")
    return errors


def _format_moment(moment, organisation) -> str:
    local = moment.astimezone(zone_of(organisation))
    return _("%(day)s à %(time)s") % {"day": format_day(local.date()), "time": format_time(local)}


def _check_project(call: Call, *, territory, project_stage: str, project_recognition: str):
    errors = {}
    if territory is None:
        errors["territory"] = _("Indiquez le territoire de la candidature.")
    if project_stage and project_stage not in Project.Stage.values:
        errors["project_stage"] = _("Choisissez une étape dans la liste.")
    if project_recognition and project_recognition not in Project.Recognition.values:
        errors["project_recognition"] = _("Choisissez un niveau dans la liste.")
    return errors


def _duplicate_territory_error(call: Call, territory, *, exclude_pk=None) -> ValidationError | None:
    """The warning shown when another application to ``call`` names the same territory
    (the applicant confirms to go on; the coordinators see both)."""
    if territory is None:
        return None
    others = Application.objects.filter(call=call, territory=territory).exclude(
        status=Status.WITHDRAWN
    )
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if not others.exists():
        return None
    return ValidationError(
        _(
            "Une candidature pour ce territoire existe déjà pour cet appel. Si vous faites "
            "partie de la même équipe, demandez à la personne qui la porte de vous y "
            "inviter ; sinon, confirmez pour présenter une candidature distincte."
        ),
        code=DUPLICATE,
    )


def _check_role(application: Application, role, *, exclude_member_pk=None) -> str | None:
    """Why ``role`` cannot be given to one more member of ``application``, or None."""
    if role is None:
        return None
    if role.programme_id != application.call.programme_id:
        return _("Ce rôle n'existe pas dans ce programme.")
    holders = ApplicationMember.objects.filter(application=application, role=role)
    if exclude_member_pk is not None:
        holders = holders.exclude(pk=exclude_member_pk)
    if role.max_per_team is not None and holders.count() >= role.max_per_team:
        return ngettext(
            "Le rôle « %(role)s » est limité à %(max)s personne par équipe.",
            "Le rôle « %(role)s » est limité à %(max)s personnes par équipe.",
            role.max_per_team,
        ) % {"role": role.name, "max": role.max_per_team}
    return None


def _email_taken(application: Application, email: str, *, exclude_member_pk=None) -> bool:
    members = ApplicationMember.objects.filter(application=application, email__iexact=email)
    if exclude_member_pk is not None:
        members = members.exclude(pk=exclude_member_pk)
    return members.exists()


def _fill_profile_names(user, first_name: str, last_name: str, acting_user) -> None:
    """Give an account without a name the one its owner just typed."""
    changed = []
    if not user.first_name and first_name:
        user.first_name = first_name
        changed.append("first_name")
    if not user.last_name and last_name:
        user.last_name = last_name
        changed.append("last_name")
    if changed:
        update_profile(user=user, acting_user=acting_user, changed_fields=changed)


def _invite(member: ApplicationMember, acting_user, *, again: bool = False) -> None:
    check_invitation_quota(acting_user=acting_user, organisation=member.organisation)
    member.invited_at = timezone.now()
    member.save(update_fields=["invited_at", "token", "email"])
    record(
        organisation=member.organisation,
        actor=acting_user,
        action=Action.APPLICATION_MEMBER_INVITED,
        target=member.full_name,
        application=member.application_id,
        member=member.pk,
        email=member.email,
        again=again,
    )
    notices.send_member_invitation(member, acting_user)


@transaction.atomic
def start_application(
    *,
    call: Call,
    acting_user,
    territory,
    structure: str = "",
    project_name: str = "",
    project_stage: str = "",
    project_website: str = "",
    project_recognition: str = "",
    role=None,
    function: str = "",
    phone: str = "",
    first_name: str = "",
    last_name: str = "",
    confirm_duplicate: bool = False,
) -> Application:
    """A draft application to ``call`` led by ``acting_user``, who is its first member.
    Another application naming the same territory is only a warning: the applicant
    confirms with ``confirm_duplicate``."""
    now = timezone.now()
    if not call.is_published:
        raise ValidationError(_("Cet appel n'est pas publié."))
    if now < call.opens_at:
        raise ValidationError(
            _("Les candidatures ouvrent le %(when)s.")
            % {"when": _format_moment(call.opens_at, call.organisation)}
        )
    if now >= call.closes_at:
        raise ValidationError(
            _("Les candidatures à cet appel sont closes depuis le %(when)s.")
            % {"when": _format_moment(call.closes_at, call.organisation)}
        )
    already = (
        Application.objects.filter(call=call, created_by=acting_user)
        .exclude(status=Status.WITHDRAWN)
        .exists()
    )
    if already:
        raise ValidationError(_("Vous portez déjà une candidature à cet appel."))
    errors = _check_project(
        call,
        territory=territory,
        project_stage=project_stage,
        project_recognition=project_recognition,
    )
    first_name = (acting_user.first_name or first_name).strip()
    last_name = (acting_user.last_name or last_name).strip()
    if not first_name:
        errors["first_name"] = _("Indiquez votre prénom.")
    if not last_name:
        errors["last_name"] = _("Indiquez votre nom.")
    if role is not None and role.programme_id != call.programme_id:
        errors["role"] = _("Ce rôle n'existe pas dans ce programme.")
    duplicate = None if "territory" in errors else _duplicate_territory_error(call, territory)
    if duplicate is not None and not confirm_duplicate:
        errors["territory"] = duplicate
    application = Application(
        organisation=call.organisation,
        call=call,
        created_by=acting_user,
        territory=territory,
        structure=structure.strip(),
        project_name=project_name.strip(),
        project_stage=project_stage,
        project_recognition=project_recognition,
        project_website=project_website.strip(),
    )
    member = ApplicationMember(
        organisation=call.organisation,
        application=application,
        role=role,
        first_name=first_name,
        last_name=last_name,
        email=acting_user.email.lower(),
        function=function.strip(),
        phone=phone.strip(),
        is_lead=True,
        user=acting_user,
        joined_at=now,
        confirmed_at=now,
    )
    for instance, fields in (
        (application, ["structure", "project_name", "project_website"]),
        (member, ["function", "phone"]),
    ):
        try:
            _clean(instance, fields)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(field, messages[0])
    if errors:
        raise ValidationError(errors)
    application.save()
    member.application = application
    member.save()
    _fill_profile_names(acting_user, first_name, last_name, acting_user)
    record_event(
        application, from_status="", to_status=Status.DRAFT, acting_user=acting_user, at=now
    )
    record(
        organisation=application.organisation,
        actor=acting_user,
        action=Action.APPLICATION_CREATED,
        target=str(application),
        application=application.pk,
        call=call.pk,
        same_territory_confirmed=duplicate is not None,
    )
    return application


PROJECT_FIELDS = (
    "territory",
    "structure",
    "project_name",
    "project_stage",
    "project_recognition",
    "project_website",
)


@transaction.atomic
def update_application(
    *,
    application: Application,
    acting_user,
    territory,
    structure: str = "",
    project_name: str = "",
    project_stage: str = "",
    project_website: str = "",
    project_recognition: str = "",
    confirm_duplicate: bool = False,
) -> Application:
    """The lead changes the territory and the project of a draft application."""
    locked = lock_application(application)
    _require_lead(
        locked, acting_user, _("Seule la personne qui porte la candidature peut la modifier.")
    )
    _require_draft(locked)
    errors = _check_project(
        locked.call,
        territory=territory,
        project_stage=project_stage,
        project_recognition=project_recognition,
    )
    territory_changed = (territory.pk if territory else None) != locked.territory_id
    if "territory" not in errors and territory_changed and not confirm_duplicate:
        duplicate = _duplicate_territory_error(locked.call, territory, exclude_pk=locked.pk)
        if duplicate is not None:
            errors["territory"] = duplicate
    values = {
        "structure": structure.strip(),
        "project_name": project_name.strip(),
        "project_stage": project_stage,
        "project_recognition": project_recognition,
        "project_website": project_website.strip(),
    }
    changed = [field for field, value in values.items() if getattr(locked, field) != value]
    for field, value in values.items():
        setattr(locked, field, value)
    if territory_changed:
        locked.territory = territory
        changed.insert(0, "territory")
    try:
        _clean(locked, ["structure", "project_name", "project_website"])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, messages[0])
    if errors:
        raise ValidationError(errors)
    if changed:
        locked.save(update_fields=[*changed, "updated_at"])
        record(
            organisation=locked.organisation,
            actor=acting_user,
            action=Action.APPLICATION_UPDATED,
            target=str(locked),
            application=locked.pk,
            changed=changed,
        )
    return locked


@transaction.atomic
def add_application_member(
    *,
    application: Application,
    acting_user,
    first_name: str,
    last_name: str,
    email: str,
    role=None,
    function: str = "",
    phone: str = "",
) -> ApplicationMember:
    """The lead proposes someone for the team; they are invited by e-mail to join the
    application and complete their part."""
    locked = lock_application(application)
    _require_lead(
        locked, acting_user, _("Seule la personne qui porte la candidature peut inviter.")
    )
    _require_draft(locked)
    email = (email or "").strip().lower()
    member = ApplicationMember(
        organisation=locked.organisation,
        application=locked,
        role=role,
        first_name=(first_name or "").strip(),
        last_name=(last_name or "").strip(),
        email=email,
        function=(function or "").strip(),
        phone=(phone or "").strip(),
    )
    errors = _required_names(member)
    if not email:
        errors["email"] = _("Indiquez son adresse e-mail.")
    try:
        _clean(member, ["first_name", "last_name", "email", "function", "phone"])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, messages[0])
    if "email" not in errors and _email_taken(locked, email):
        errors["email"] = _("Cette personne fait déjà partie de l'équipe.")
    if problem := _check_role(locked, role):
        errors["role"] = problem
    if errors:
        raise ValidationError(errors)
    member.save()
    _invite(member, acting_user)
    return member


@transaction.atomic
def update_application_member(
    *,
    member: ApplicationMember,
    acting_user,
    first_name: str,
    last_name: str,
    function: str = "",
    phone: str = "",
    email: str | None = None,
    role=UNCHANGED,
) -> ApplicationMember:
    """A member's line changed by the lead (any line; the e-mail of someone who has not
    joined yet, which sends the invitation to the new address) or by the member who
    joined (their own name, function and phone)."""
    locked = lock_application(member.application)
    member = ApplicationMember.objects.select_for_update(of=("self",)).get(pk=member.pk)
    is_lead = _is_lead(locked, acting_user)
    is_self = member.user_id is not None and member.user_id == acting_user.pk
    if not (is_lead or is_self):
        raise ValidationError(
            _(
                "Seule la personne qui porte la candidature peut modifier la ligne d'un "
                "autre membre."
            )
        )
    _require_draft(locked)
    errors = {}
    email_changed = email is not None and email.strip().lower() != member.email
    role_changed = role is not UNCHANGED and (role.pk if role else None) != member.role_id
    if (email_changed or role_changed) and not is_lead:
        raise ValidationError(
            _("Seule la personne qui porte la candidature change l'adresse ou le rôle d'un membre.")
        )
    if email_changed and member.user_id is not None:
        errors["email"] = _(
            "Cette personne a rejoint la candidature : son adresse ne peut plus être changée."
        )
    member.first_name = (first_name or "").strip()
    member.last_name = (last_name or "").strip()
    member.function = (function or "").strip()
    member.phone = (phone or "").strip()
    fields = ["first_name", "last_name", "function", "phone"]
    errors.update(_required_names(member))
    if email_changed and "email" not in errors:
        member.email = email.strip().lower()
        fields.append("email")
    if role_changed:
        if problem := _check_role(locked, role, exclude_member_pk=member.pk):
            errors["role"] = problem
        member.role = role
        fields.append("role")
    try:
        _clean(member, fields)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, messages[0])
    if (
        "email" in fields
        and "email" not in errors
        and _email_taken(locked, member.email, exclude_member_pk=member.pk)
    ):
        errors["email"] = _("Cette personne fait déjà partie de l'équipe.")
    if errors:
        raise ValidationError(errors)
    member.save(update_fields=fields)
    record(
        organisation=member.organisation,
        actor=acting_user,
        action=Action.APPLICATION_MEMBER_UPDATED,
        target=member.full_name,
        application=locked.pk,
        member=member.pk,
        changed=fields,
    )
    if "email" in fields and not member.is_lead:
        # The link sent to the former address stops working.
        member.token = new_token()
        _invite(member, acting_user)
    return member


@transaction.atomic
def remove_application_member(*, member: ApplicationMember, acting_user) -> None:
    """The lead takes someone off the team of a draft application."""
    locked = lock_application(member.application)
    _require_lead(
        locked,
        acting_user,
        _("Seule la personne qui porte la candidature peut retirer un membre."),
    )
    _require_draft(locked)
    if member.is_lead:
        raise ValidationError(_("La personne qui porte la candidature ne peut pas être retirée."))
    record(
        organisation=member.organisation,
        actor=acting_user,
        action=Action.APPLICATION_MEMBER_REMOVED,
        target=member.full_name,
        application=locked.pk,
        email=member.email,
    )
    member.delete()


@transaction.atomic
def resend_member_invitation(*, member: ApplicationMember, acting_user) -> ApplicationMember:
    """Send the invitation again (at most once every ten minutes per person)."""
    locked = lock_application(member.application)
    member = ApplicationMember.objects.select_for_update(of=("self",)).get(pk=member.pk)
    _require_lead(
        locked, acting_user, _("Seule la personne qui porte la candidature peut inviter.")
    )
    _require_draft(locked)
    if member.is_lead:
        raise ValidationError(_("La personne qui porte la candidature n'a pas à être invitée."))
    if member.user_id is not None:
        raise ValidationError(
            _("%(name)s a déjà rejoint la candidature.") % {"name": member.full_name}
        )
    if member.invited_at and timezone.now() - member.invited_at < RESEND_INTERVAL:
        raise ValidationError(
            _(
                "Une invitation a été envoyée à %(name)s il y a moins de 10 minutes. "
                "Réessayez un peu plus tard."
            )
            % {"name": member.full_name}
        )
    _invite(member, acting_user, again=True)
    return member


@transaction.atomic
def join_application(*, member: ApplicationMember, acting_user) -> ApplicationMember:
    """The invited person, signed in with the address the invitation was sent to, joins
    the application (they may then see it and complete their part)."""
    member = (
        ApplicationMember.objects.select_for_update(of=("self",))
        .select_related("application")
        .get(pk=member.pk)
    )
    if member.application.status == Status.WITHDRAWN:
        raise ValidationError(_("Cette candidature a été retirée."))
    if member.user_id is not None:
        if member.user_id == acting_user.pk:
            return member
        raise ValidationError(_("Cette invitation a déjà été acceptée."))
    if acting_user.email.strip().lower() != member.email.strip().lower():
        raise ValidationError(
            _(
                "Cette invitation est destinée à %(email)s. Connectez-vous avec cette "
                "adresse pour rejoindre la candidature."
            )
            % {"email": member.email}
        )
    member.user = acting_user
    member.joined_at = timezone.now()
    member.save(update_fields=["user", "joined_at"])
    record(
        organisation=member.organisation,
        actor=acting_user,
        action=Action.APPLICATION_JOINED,
        target=member.full_name,
        application=member.application_id,
        member=member.pk,
    )
    return member


@transaction.atomic
def confirm_member_part(
    *,
    member: ApplicationMember,
    acting_user,
    first_name: str,
    last_name: str,
    function: str = "",
    phone: str = "",
) -> ApplicationMember:
    """A member who joined confirms their details and their part in the application."""
    locked = lock_application(member.application)
    member = ApplicationMember.objects.select_for_update(of=("self",)).get(pk=member.pk)
    if member.user_id is None or member.user_id != acting_user.pk:
        raise ValidationError(_("Seule la personne concernée peut confirmer sa participation."))
    _require_draft(locked)
    member.first_name = (first_name or "").strip()
    member.last_name = (last_name or "").strip()
    member.function = (function or "").strip()
    member.phone = (phone or "").strip()
    fields = ["first_name", "last_name", "function", "phone"]
    errors = _required_names(member)
    try:
        _clean(member, fields)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, messages[0])
    if errors:
        raise ValidationError(errors)
    if member.confirmed_at is None:
        member.confirmed_at = timezone.now()
    member.save(update_fields=[*fields, "confirmed_at"])
    _fill_profile_names(acting_user, member.first_name, member.last_name, acting_user)
    record(
        organisation=member.organisation,
        actor=acting_user,
        action=Action.APPLICATION_MEMBER_CONFIRMED,
        target=member.full_name,
        application=locked.pk,
        member=member.pk,
    )
    return member


def missing_checklist(application: Application, *, members=None, roles=None) -> list[MissingItem]:
    """What ``application`` still lacks before it can be submitted, with where to fix
    it. ``members`` (with their roles) and ``roles`` (the programme's) may be passed by
    a page that already loaded them."""
    if members is None:
        members = list(application.members.select_related("role"))
    if roles is None:
        roles = list(application.call.programme.team_roles.all())
    items = []
    if application.territory_id is None:
        items.append(
            MissingItem(_("Le territoire de la candidature n'est pas indiqué."), "project")
        )
    if not application.structure:
        items.append(MissingItem(_("La structure porteuse n'est pas indiquée."), "project"))
    if not application.project_name:
        items.append(MissingItem(_("Le nom du projet n'est pas indiqué."), "project"))
    held: dict[int, int] = {}
    for member in members:
        if member.role_id is not None:
            held[member.role_id] = held.get(member.role_id, 0) + 1
    for role in roles:
        count = held.get(role.pk, 0)
        if role.required and count == 0:
            items.append(
                MissingItem(
                    _("Il manque une personne au rôle « %(role)s », indispensable.")
                    % {"role": role.name},
                    "team",
                )
            )
        elif not role.has_room_for(count):
            items.append(
                MissingItem(
                    _("Le rôle « %(role)s » compte %(count)s personnes pour %(max)s au plus.")
                    % {"role": role.name, "count": count, "max": role.max_per_team},
                    "team",
                )
            )
    items.extend(MissingItem(text, "parts") for text in missing_from_parts(application))
    return items


def missing_items(application: Application, *, members=None, roles=None) -> list[str]:
    """What ``application`` still lacks before submission, in French."""
    return [item.text for item in missing_checklist(application, members=members, roles=roles)]


def pending_confirmations(application: Application, *, members=None) -> list[ApplicationMember]:
    """The members who have not confirmed their part yet (shown, not blocking)."""
    if members is None:
        members = list(application.members.select_related("role"))
    return [member for member in members if member.confirmed_at is None]


@transaction.atomic
def submit_application(*, application: Application, acting_user) -> Application:
    """The lead submits a complete draft before the deadline (the call's closing, or a
    coordinator's reopening); the confirmation e-mail with its receipt follows."""
    locked = lock_application(application)
    _require_lead(
        locked, acting_user, _("Seule la personne qui porte la candidature peut la déposer.")
    )
    if locked.status == Status.SUBMITTED:
        raise ValidationError(_("Cette candidature est déjà déposée."))
    if locked.status != Status.DRAFT:
        raise ValidationError(
            _("Une candidature « %(status)s » ne peut pas être déposée.")
            % {"status": Status(locked.status).label}
        )
    now = timezone.now()
    deadline = locked.deadline()
    if now >= deadline:
        raise ValidationError(
            _(
                "Le dépôt était possible jusqu'au %(when)s : la candidature ne peut plus "
                "être déposée."
            )
            % {"when": _format_moment(deadline, locked.organisation)}
        )
    missing = missing_items(locked)
    if missing:
        raise ValidationError(missing)
    locked.submitted_at = now
    locked.reference = locked.reference or next_reference(locked.organisation_id, now)
    fields = ["submitted_at", "reference"]  # the reference, once given, is kept
    transition(locked, to=Status.SUBMITTED, acting_user=acting_user, fields=fields)
    application.status, application.submitted_at = locked.status, locked.submitted_at
    notices.send_submission_confirmation(locked, acting_user)
    return locked


@transaction.atomic
def withdraw_application(*, application: Application, acting_user, reason: str = "") -> Application:
    """The lead withdraws the application, before the decision."""
    locked = lock_application(application)
    _require_lead(
        locked, acting_user, _("Seule la personne qui porte la candidature peut la retirer.")
    )
    if locked.status == Status.WITHDRAWN:
        raise ValidationError(_("Cette candidature est déjà retirée."))
    if locked.status not in WITHDRAWABLE:
        raise ValidationError(
            _("Une candidature « %(status)s » ne peut plus être retirée.")
            % {"status": Status(locked.status).label}
        )
    transition(locked, to=Status.WITHDRAWN, acting_user=acting_user, note=(reason or "").strip())
    application.status = locked.status
    return locked
