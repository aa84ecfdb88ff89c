"""The plans themselves and their three written stages.

A team's plan is created the first time someone opens it. A stage has one working
draft (``number`` 0) that any writer of the plan saves; saving on a stale copy (someone
saved in between) is refused, and the page shows both texts. Submitting copies the
draft into a new numbered version that the coordinator or a trainer comments on, then
marks « validée » or « à reprendre »; the team is told either way.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.models import Category
from notifications.services import Email, render_email, send
from organisations.models import Membership, Role
from organisations.services import record
from parcours.models import Programme, Team, TeamMember
from sillon.mail import absolute_url

from ..actions import Audited
from ..models import DEFAULT_SECTIONS, ActionPlan, Stage, StageComment, StageTemplate, StageVersion


class StaleDraft(ValidationError):
    """The draft changed since the writer opened it; ``current`` is the draft now."""

    def __init__(self, message, current: StageVersion):
        super().__init__(message)
        self.current = current


def section_titles(programme: Programme, stage: str, templates=None) -> list[str]:
    """The sections the programme asks for in ``stage`` (its template, or Sillon's)."""
    if templates is None:
        templates = StageTemplate.objects.filter(programme=programme, stage=stage)
    for template in templates:
        if template.stage == stage and template.section_titles:
            return template.section_titles
    return list(DEFAULT_SECTIONS[Stage(stage)])


def starting_body(titles: list[str]) -> str:
    """The Markdown a new draft starts from: one heading per section."""
    return "\n\n".join(f"## {title}\n\n" for title in titles).rstrip() + "\n"


def touch(plan: ActionPlan, moment=None) -> None:
    plan.touched_at = moment or timezone.now()
    ActionPlan.objects.filter(pk=plan.pk).update(touched_at=plan.touched_at)


def team_plan(*, team: Team, programme: Programme | None = None) -> ActionPlan:
    """The team's plan, created the first time it is asked for (no audit: opening a
    page writes nothing anyone did)."""
    programme = programme or team.cohort.programme
    plan = ActionPlan.objects.filter(team=team).first()
    if plan is not None:
        return plan
    try:
        with transaction.atomic():
            return ActionPlan.objects.create(
                organisation=team.organisation,
                programme=programme,
                kind=ActionPlan.Kind.TEAM,
                team=team,
            )
    except IntegrityError:  # created by a concurrent request
        return ActionPlan.objects.get(team=team)


@transaction.atomic
def create_plan(*, programme: Programme, kind: str, title: str, acting_user) -> ActionPlan:
    """A group's plan or a cohort's common plan, named by the coordinator."""
    if kind not in (ActionPlan.Kind.GROUP, ActionPlan.Kind.COMMON):
        raise ValidationError(_("Un plan d'équipe est créé avec son équipe."))
    title = title.strip()
    if not title:
        raise ValidationError({"title": [_("Donnez un titre au plan.")]})
    plan = ActionPlan.objects.create(
        organisation=programme.organisation, programme=programme, kind=kind, title=title
    )
    record(
        organisation=programme.organisation,
        actor=acting_user,
        action=Audited.PLAN_CREATED,
        target=title,
        plan=plan.pk,
    )
    return plan


@transaction.atomic
def save_template(
    *, programme: Programme, stage: str, sections: str, guidance: str, acting_user
) -> StageTemplate:
    titles = [line.strip() for line in sections.splitlines() if line.strip()]
    if not titles:
        raise ValidationError({"sections": [_("Indiquez au moins une section.")]})
    if len(titles) > 20:
        raise ValidationError({"sections": [_("Vingt sections au plus.")]})
    template, _created = StageTemplate.objects.update_or_create(
        programme=programme,
        stage=stage,
        defaults={
            "organisation": programme.organisation,
            "sections": "\n".join(titles),
            "guidance": guidance.strip(),
        },
    )
    record(
        organisation=programme.organisation,
        actor=acting_user,
        action=Audited.TEMPLATE_SAVED,
        target=Stage(stage).label,
        programme=programme.pk,
    )
    return template


def draft_of(plan: ActionPlan, stage: str) -> StageVersion | None:
    return StageVersion.objects.filter(plan=plan, stage=stage, number=0).first()


@transaction.atomic
def save_draft(
    *, plan: ActionPlan, stage: str, body: str, acting_user, revision: int | None
) -> StageVersion:
    """Save the working draft of ``stage``. ``revision`` is the draft's revision the
    writer started from (``None`` for a first draft): if someone saved since, nothing is
    written and ``StaleDraft`` carries the current draft."""
    Stage(stage)
    draft = (
        StageVersion.objects.select_for_update().filter(plan=plan, stage=stage, number=0).first()
    )
    if draft is None:
        draft = StageVersion(organisation=plan.organisation, plan=plan, stage=stage, number=0)
    elif revision is None or revision != draft.revision:
        raise StaleDraft(
            _(
                "Quelqu'un a enregistré ce brouillon pendant que vous l'écriviez. Votre "
                "texte n'est pas perdu : il est ci-dessous, à côté de la version enregistrée."
            ),
            current=draft,
        )
    draft.body = body.strip() + "\n" if body.strip() else ""
    draft.written_by = acting_user
    draft.revision += 1
    draft.save()
    touch(plan)
    record(
        organisation=plan.organisation,
        actor=acting_user,
        action=Audited.STAGE_SAVED,
        target=f"{plan} — {Stage(stage).label}",
        plan=plan.pk,
        stage=stage,
    )
    return draft


def _reviewers(plan: ActionPlan):
    """The coordinators and trainers of the organisation, told of a submission."""
    memberships = Membership.objects.filter(
        organisation=plan.organisation, role__in=[Role.COORDINATOR, Role.TRAINER]
    ).select_related("user")
    return [membership.user for membership in memberships if membership.user.is_active]


def _team_people(plan: ActionPlan):
    if plan.team_id is None:
        return []
    members = TeamMember.objects.current().filter(team=plan.team_id).select_related("user")
    return [member.user for member in members if member.user.is_active]


def plan_url(plan: ActionPlan, stage: str | None = None) -> str:
    path = reverse("plans:plan_detail", args=[plan.organisation.slug, plan.programme_id, plan.pk])
    if stage:
        path = reverse(
            "plans:stage", args=[plan.organisation.slug, plan.programme_id, plan.pk, stage]
        )
    return absolute_url(path)


@transaction.atomic
def submit_stage(*, plan: ActionPlan, stage: str, acting_user, notify: bool = True) -> StageVersion:
    """Submit the draft as the next version of the stage, and tell the reviewers (unless
    ``notify`` is false: the demo's past submissions e-mail nobody)."""
    draft = (
        StageVersion.objects.select_for_update().filter(plan=plan, stage=stage, number=0).first()
    )
    if draft is None or not draft.body.strip():
        raise ValidationError(_("Écrivez cette étape avant de la soumettre."))
    last = StageVersion.objects.filter(plan=plan, stage=stage).aggregate(n=Max("number"))["n"]
    previous = (
        StageVersion.objects.filter(plan=plan, stage=stage, number=last).first() if last else None
    )
    if (
        previous is not None
        and previous.body == draft.body
        and previous.status
        in (
            StageVersion.Status.SUBMITTED,
            StageVersion.Status.VALIDATED,
        )
    ):
        raise ValidationError(_("Cette version est déjà soumise : modifiez-la d'abord."))
    now = timezone.now()
    version = StageVersion.objects.create(
        organisation=plan.organisation,
        plan=plan,
        stage=stage,
        number=(last or 0) + 1,
        body=draft.body,
        status=StageVersion.Status.SUBMITTED,
        written_by=acting_user,
        submitted_at=now,
    )
    touch(plan, now)
    record(
        organisation=plan.organisation,
        actor=acting_user,
        action=Audited.STAGE_SUBMITTED,
        target=f"{plan} — {Stage(stage).label} v{version.number}",
        plan=plan.pk,
        stage=stage,
        version=version.number,
    )
    if not notify:
        return version
    url = plan_url(plan, stage)
    label = Stage(stage).label

    def build(user) -> Email:
        return render_email(
            template="plans/email/stage_submitted",
            subject=_("%(stage)s soumise : %(plan)s") % {"stage": label, "plan": plan},
            organisation=plan.organisation,
            context={
                "plan": plan,
                "stage_label": label,
                "version": version,
                "url": url,
                "recipient": user,
                "unsubscribe_url": "",
            },
        )

    send(
        organisation=plan.organisation,
        recipients=[user for user in _reviewers(plan) if user.pk != acting_user.pk],
        kind="plans.stage_submitted",
        category=Category.TEAM_NEWS,
        build=build,
        url=url,
    )
    return version


@transaction.atomic
def comment_version(*, version: StageVersion, acting_user, text: str) -> StageComment:
    text = text.strip()
    if not text:
        raise ValidationError({"text": [_("Écrivez votre commentaire.")]})
    if version.number == 0:
        raise ValidationError(_("On commente une version soumise, pas le brouillon."))
    comment = StageComment.objects.create(
        organisation=version.organisation, version=version, author=acting_user, text=text
    )
    record(
        organisation=version.organisation,
        actor=acting_user,
        action=Audited.STAGE_COMMENTED,
        target=str(version),
        plan=version.plan_id,
        version=version.number,
    )
    return comment


@transaction.atomic
def review_version(
    *, version: StageVersion, acting_user, decision: str, comment: str = "", notify: bool = True
) -> StageVersion:
    """Mark a submitted version « validée » or « à reprendre » (with an optional
    comment), and tell the team (unless ``notify`` is false, as for the demo)."""
    version = StageVersion.objects.select_for_update().select_related("plan").get(pk=version.pk)
    if decision not in (StageVersion.Status.VALIDATED, StageVersion.Status.CHANGES):
        raise ValidationError(_("Choisissez « validée » ou « à reprendre »."))
    if version.number == 0:
        raise ValidationError(_("Seule une version soumise peut être relue."))
    newer = StageVersion.objects.filter(
        plan=version.plan_id, stage=version.stage, number__gt=version.number
    ).exists()
    if newer:
        raise ValidationError(_("Une version plus récente a été soumise depuis : relisez-la."))
    if comment.strip():
        comment_version(version=version, acting_user=acting_user, text=comment)
    version.status = decision
    version.reviewed_by = acting_user
    version.reviewed_at = timezone.now()
    version.save(update_fields=["status", "reviewed_by", "reviewed_at", "updated_at"])
    plan = version.plan
    touch(plan, version.reviewed_at)
    record(
        organisation=version.organisation,
        actor=acting_user,
        action=Audited.STAGE_REVIEWED,
        target=str(version),
        plan=plan.pk,
        decision=decision,
    )
    if not notify:
        return version
    url = plan_url(plan, version.stage)
    label = Stage(version.stage).label
    validated = decision == StageVersion.Status.VALIDATED

    def build(user) -> Email:
        return render_email(
            template="plans/email/stage_reviewed",
            subject=(
                _("%(stage)s validée : %(plan)s")
                if validated
                else _("%(stage)s à reprendre : %(plan)s")
            )
            % {"stage": label, "plan": plan},
            organisation=plan.organisation,
            context={
                "plan": plan,
                "stage_label": label,
                "version": version,
                "validated": validated,
                "comment": comment.strip(),
                "url": url,
                "recipient": user,
                "unsubscribe_url": "",
            },
        )

    send(
        organisation=plan.organisation,
        recipients=_team_people(plan),
        kind="plans.stage_reviewed",
        category=Category.TEAM_NEWS,
        build=build,
        url=url,
    )
    return version
