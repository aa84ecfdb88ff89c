"""The engagement: publishing a new version of a programme's text, a member signing it,
a coordinator reminding the members who have not signed yet."""

import unicodedata
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from organisations.services import record
from parcours import notices
from parcours.actions import Action
from parcours.engagement_status import current_engagement_text, engagement_dashboard
from parcours.models import EngagementText, Programme, Signature, TeamMember

USER_AGENT_MAX = 300
REMIND_INTERVAL = timedelta(hours=1)


def normalise_name(name: str) -> str:
    """« Élise  Dupont-Moreau » → « elise dupont moreau »: no accents, no case, hyphens
    and apostrophes as spaces, single spaces."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    for separator in "-‐–’'.":
        plain = plain.replace(separator, " ")
    return " ".join(plain.split())


def name_matches(typed: str, user) -> bool:
    """Whether ``typed`` is ``user``'s name, first name then last name or the reverse."""
    typed = normalise_name(typed)
    first, last = normalise_name(user.first_name), normalise_name(user.last_name)
    if not typed or not (first or last):
        return False
    return typed in {f"{first} {last}".strip(), f"{last} {first}".strip()}


@transaction.atomic
def publish_engagement_text(
    *,
    programme: Programme,
    acting_user,
    body: str,
    key_sessions,
    requires_resignature: bool = True,
) -> EngagementText:
    """Publish the next version of ``programme``'s engagement (v1, v2…). A published
    version never changes. ``requires_resignature`` says whether the signatures of the
    earlier versions stop counting (always true for the first version)."""
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    body = "\n".join(line.rstrip() for line in (body or "").strip().splitlines())
    key_sessions = list(key_sessions)
    if not body:
        raise ValidationError({"body": _("Écrivez le texte de l'engagement.")})
    if any(session.programme_id != programme.pk for session in key_sessions):
        raise ValidationError({"key_sessions": _("Choisissez des séances de ce programme.")})
    current = current_engagement_text(programme)
    if current is not None:
        same_sessions = {s.pk for s in current.key_sessions.all()} == {s.pk for s in key_sessions}
        if current.body == body and same_sessions:
            raise ValidationError(
                {"body": _("Ce texte est identique à la version en vigueur : rien à publier.")}
            )
    last = EngagementText.objects.filter(programme=programme).aggregate(last=Max("version"))
    version = (last["last"] or 0) + 1
    text = EngagementText.objects.create(
        organisation=programme.organisation,
        programme=programme,
        version=version,
        body=body,
        requires_resignature=True if version == 1 else bool(requires_resignature),
        published_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
    )
    text.key_sessions.set(key_sessions)
    record(
        organisation=programme.organisation,
        actor=acting_user,
        action=Action.ENGAGEMENT_PUBLISHED,
        target=programme.name,
        version=version,
        requires_resignature=text.requires_resignature,
        key_sessions=[session.pk for session in key_sessions],
    )
    return text


@transaction.atomic
def sign_engagement(
    *,
    member: TeamMember,
    acting_user,
    typed_name: str,
    consent: bool,
    ip_address: str | None,
    user_agent: str,
    text_id: int | None,
    text_hash: str,
) -> Signature:
    """``member`` signs the version in force of their programme's engagement.

    Refused, with nothing saved: someone else than the member, a member who left the
    team, no consent, a typed name that is not the member's, a version that is not the
    one in force or a text different from the one in force (tampered with, or changed
    since the page was opened — a key session moved), a version already signed."""
    member = (
        TeamMember.objects.select_for_update(of=("self",))
        .select_related("team__cohort__programme", "user", "role", "organisation")
        .get(pk=member.pk)
    )
    if member.user_id != getattr(acting_user, "pk", None):
        raise ValidationError(_("Seule la personne concernée peut signer son engagement."))
    if member.left_at is not None:
        raise ValidationError(_("Vous ne faites plus partie de cette équipe."))
    programme = member.team.cohort.programme
    text = current_engagement_text(programme)
    if text is None:
        raise ValidationError(_("Aucun texte d'engagement n'est publié pour ce programme."))
    if text_id != text.pk or text_hash != text.digest(member.team_id):
        raise ValidationError(
            _(
                "Le texte de l'engagement a changé depuis l'ouverture de la page : relisez "
                "la version en vigueur avant de signer."
            )
        )
    if Signature.objects.filter(text=text, member=member).exists():
        raise ValidationError(_("Vous avez déjà signé cette version de l'engagement."))
    errors = {}
    if not consent:
        errors["consent"] = _("Cochez la case pour confirmer votre engagement.")
    typed_name = " ".join((typed_name or "").split())
    if not typed_name:
        errors["typed_name"] = _("Écrivez votre prénom et votre nom.")
    elif not (member.user.first_name or member.user.last_name):
        errors["typed_name"] = _(
            "Votre compte n'indique pas votre nom : complétez votre profil avant de signer."
        )
    elif not name_matches(typed_name, member.user):
        errors["typed_name"] = _(
            "Le nom saisi ne correspond pas à votre nom : écrivez « %(name)s »."
        ) % {"name": member.user.get_full_name()}
    if errors:
        raise ValidationError(errors)
    signature = Signature.objects.create(
        organisation=member.organisation,
        text=text,
        member=member,
        user=member.user,
        typed_name=typed_name[:200],
        consent=True,
        ip_address=ip_address or None,
        user_agent=(user_agent or "")[:USER_AGENT_MAX],
        text_hash=text_hash,
    )
    record(
        organisation=member.organisation,
        actor=acting_user,
        action=Action.ENGAGEMENT_SIGNED,
        target=member.team.name,
        version=text.version,
        member=member.user.email,
        role=member.role.name if member.role_id else "",
        text_hash=text_hash,
    )
    return signature


@transaction.atomic
def remind_missing_signatories(*, programme: Programme, acting_user) -> int:
    """« Relancer les signataires manquants »: tell every current team member whose
    signature is missing on the version in force (``parcours.notices`` writes the
    messages in this transaction). At most once an hour. Returns how many people were
    reminded."""
    text = current_engagement_text(programme)
    if text is None:
        raise ValidationError(_("Publiez d'abord le texte de l'engagement."))
    text = EngagementText.objects.select_for_update().get(pk=text.pk)
    now = timezone.now()
    if text.last_reminder_at is not None and text.last_reminder_at > now - REMIND_INTERVAL:
        raise ValidationError(
            _(
                "Une relance est déjà partie il y a moins d'une heure : laissez aux "
                "personnes le temps de signer."
            )
        )
    recipients = engagement_dashboard(programme).missing_users()
    if not recipients:
        raise ValidationError(_("Tout le monde a signé : personne à relancer."))
    text.last_reminder_at = now
    text.save(update_fields=["last_reminder_at"])
    notices.send_engagement_reminder(text, recipients, acting_user)
    record(
        organisation=programme.organisation,
        actor=acting_user,
        action=Action.ENGAGEMENT_REMINDED,
        target=programme.name,
        version=text.version,
        recipients=len(recipients),
    )
    return len(recipients)
