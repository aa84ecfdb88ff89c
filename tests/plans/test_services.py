"""Every write of the plans app (``plans.services``): what it allows, what it refuses (in
French), that a refusal writes nothing, the history and the journal it leaves, and the
optimistic locks that keep two writers from overwriting each other."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope

from notifications.models import OutboxMessage
from organisations.models import AuditEntry
from parcours.models import TeamMember
from plans.actions import Audited
from plans.models import (
    DEFAULT_SECTIONS,
    Action,
    ActionPlan,
    ActionUpdate,
    CommonPlanEntry,
    FollowUpSession,
    Stage,
    StageComment,
    StageVersion,
)
from plans.services import actions as action_services
from plans.services import common as common_services
from plans.services import stages as stage_services
from plans.services.actions import StaleAction
from plans.services.stages import StaleDraft
from tests.factories import MembershipFactory, SessionFactory, build_programme
from tests.plans.factories import ActionFactory, ActionPlanFactory

pytestmark = pytest.mark.django_db

START, DUE = date(2026, 1, 10), date(2026, 6, 30)


def messages_of(error: ValidationError) -> str:
    return " ".join(error.messages)


def audited(key: Audited) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=key).order_by("pk"))


def first_member(team):
    return TeamMember.objects.filter(team=team).select_related("user").order_by("pk")[0].user


@pytest.fixture
def world(db):
    """A published programme of 3 teams of 3, a coordinator and a trainer."""
    built = build_programme(teams=3)
    organisation = built.organisation
    built.coordinator = MembershipFactory(organisation=organisation, coordinator=True).user
    built.trainer = MembershipFactory(organisation=organisation, trainer=True).user
    with scope(organisation=organisation.pk):
        yield built


@pytest.fixture
def plan(world):
    return stage_services.team_plan(team=world.teams[0])


@pytest.fixture
def member(world):
    return first_member(world.teams[0])


@pytest.fixture
def action(plan, member):
    return action_services.create_action(
        plan=plan, acting_user=member, title="Réunir le COPIL", starts_on=START, due_on=DUE
    )


# --- Plans and templates ----------------------------------------------------------------


def test_a_team_plan_is_created_once(world):
    first = stage_services.team_plan(team=world.teams[0])
    assert stage_services.team_plan(team=world.teams[0]) == first
    assert ActionPlan.objects.filter(team=world.teams[0]).count() == 1
    assert first.programme == world.programme and first.kind == ActionPlan.Kind.TEAM


def test_create_plan_names_a_group_or_common_plan_and_refuses_a_team_plan(world):
    with pytest.raises(ValidationError, match="créé avec son équipe"):
        stage_services.create_plan(
            programme=world.programme, kind="team", title="X", acting_user=world.coordinator
        )
    with pytest.raises(ValidationError) as error:
        stage_services.create_plan(
            programme=world.programme, kind="common", title="  ", acting_user=world.coordinator
        )
    assert "Donnez un titre au plan." in messages_of(error.value)
    common = stage_services.create_plan(
        programme=world.programme,
        kind="common",
        title="Plan commun",
        acting_user=world.coordinator,
    )
    assert common.kind == "common" and common.team is None
    (entry,) = audited(Audited.PLAN_CREATED)
    assert entry.actor == world.coordinator and entry.target == "Plan commun"


def test_a_template_gives_the_sections_of_a_stage(world):
    assert stage_services.section_titles(world.programme, "roadmap") == list(
        DEFAULT_SECTIONS[Stage.ROADMAP]
    )
    with pytest.raises(ValidationError) as error:
        stage_services.save_template(
            programme=world.programme,
            stage="roadmap",
            sections=" \n ",
            guidance="",
            acting_user=world.coordinator,
        )
    assert "Indiquez au moins une section." in messages_of(error.value)
    with pytest.raises(ValidationError, match="Vingt sections au plus"):
        stage_services.save_template(
            programme=world.programme,
            stage="roadmap",
            sections="\n".join(f"S{n}" for n in range(21)),
            guidance="",
            acting_user=world.coordinator,
        )
    stage_services.save_template(
        programme=world.programme,
        stage="roadmap",
        sections="Objectifs\n\n  Calendrier  \n",
        guidance="Soyez brefs.",
        acting_user=world.coordinator,
    )
    assert stage_services.section_titles(world.programme, "roadmap") == [
        "Objectifs",
        "Calendrier",
    ]
    assert len(audited(Audited.TEMPLATE_SAVED)) == 1


# --- Drafts, submissions, reviews -------------------------------------------------------


def test_a_draft_saved_on_a_stale_copy_is_refused_and_overwrites_nothing(plan, member, world):
    other = TeamMember.objects.filter(team=world.teams[0]).exclude(user=member)[0].user
    draft = stage_services.save_draft(
        plan=plan,
        stage="intention",
        body="## Contexte\n\nPremier jet",
        acting_user=member,
        revision=None,
    )
    assert draft.revision == 1 and draft.number == 0
    # Two writers start from revision 1; the first saves, the second is refused.
    stage_services.save_draft(
        plan=plan, stage="intention", body="Version d'Anne", acting_user=member, revision=1
    )
    with pytest.raises(StaleDraft) as error:
        stage_services.save_draft(
            plan=plan, stage="intention", body="Version de Paul", acting_user=other, revision=1
        )
    assert "Votre texte n'est pas perdu" in messages_of(error.value)
    assert error.value.current.body == "Version d'Anne\n"
    # A "first draft" when one exists is stale too.
    with pytest.raises(StaleDraft):
        stage_services.save_draft(
            plan=plan, stage="intention", body="Autre", acting_user=other, revision=None
        )
    assert stage_services.draft_of(plan, "intention").body == "Version d'Anne\n"
    assert len(audited(Audited.STAGE_SAVED)) == 2
    assert ActionPlan.objects.get(pk=plan.pk).touched_at is not None


def test_submit_copies_the_draft_as_a_numbered_version_and_tells_the_reviewers(plan, member, world):
    with pytest.raises(ValidationError, match="Écrivez cette étape avant de la soumettre"):
        stage_services.submit_stage(plan=plan, stage="intention", acting_user=member)
    stage_services.save_draft(
        plan=plan, stage="intention", body="Texte", acting_user=member, revision=None
    )
    first = stage_services.submit_stage(plan=plan, stage="intention", acting_user=member)
    assert (first.number, first.status, first.body) == (1, "submitted", "Texte\n")
    assert first.written_by == member and first.submitted_at is not None
    recipients = set(
        OutboxMessage.objects.filter(kind="plans.stage_submitted").values_list(
            "recipient_id", flat=True
        )
    )
    assert recipients == {world.coordinator.pk, world.trainer.pk}
    with pytest.raises(ValidationError, match="déjà soumise"):
        stage_services.submit_stage(plan=plan, stage="intention", acting_user=member)
    assert StageVersion.objects.filter(plan=plan, number__gt=0).count() == 1
    stage_services.save_draft(
        plan=plan, stage="intention", body="Texte revu", acting_user=member, revision=1
    )
    second = stage_services.submit_stage(plan=plan, stage="intention", acting_user=member)
    assert second.number == 2
    assert [e.data["version"] for e in audited(Audited.STAGE_SUBMITTED)] == [1, 2]


def submitted(plan, member, body="Texte"):
    draft = stage_services.draft_of(plan, "intention")
    stage_services.save_draft(
        plan=plan,
        stage="intention",
        body=body,
        acting_user=member,
        revision=draft.revision if draft else None,
    )
    return stage_services.submit_stage(plan=plan, stage="intention", acting_user=member)


def test_comments_go_on_submitted_versions_only(plan, member, world):
    version = submitted(plan, member)
    with pytest.raises(ValidationError) as error:
        stage_services.comment_version(version=version, acting_user=world.trainer, text="  ")
    assert "Écrivez votre commentaire." in messages_of(error.value)
    draft = stage_services.draft_of(plan, "intention")
    with pytest.raises(ValidationError, match="pas le brouillon"):
        stage_services.comment_version(version=draft, acting_user=world.trainer, text="Bien")
    comment = stage_services.comment_version(
        version=version, acting_user=world.trainer, text=" Précisez les acteurs. "
    )
    assert comment.text == "Précisez les acteurs." and comment.author == world.trainer
    assert len(audited(Audited.STAGE_COMMENTED)) == 1


def test_a_review_validates_or_asks_for_changes_and_tells_the_team(plan, member, world):
    first = submitted(plan, member)
    with pytest.raises(ValidationError, match="« validée » ou « à reprendre »"):
        stage_services.review_version(version=first, acting_user=world.trainer, decision="ok")
    draft = stage_services.draft_of(plan, "intention")
    with pytest.raises(ValidationError, match="Seule une version soumise"):
        stage_services.review_version(
            version=draft, acting_user=world.trainer, decision="validated"
        )
    second = submitted(plan, member, body="Texte 2")
    with pytest.raises(ValidationError, match="plus récente"):
        stage_services.review_version(
            version=first, acting_user=world.trainer, decision="validated"
        )
    first.refresh_from_db()
    assert first.status == "submitted"
    reviewed = stage_services.review_version(
        version=second, acting_user=world.trainer, decision="validated", comment="Très clair."
    )
    assert reviewed.status == "validated" and reviewed.reviewed_by == world.trainer
    assert StageComment.objects.get(version=second).text == "Très clair."
    told = set(
        OutboxMessage.objects.filter(kind="plans.stage_reviewed").values_list(
            "recipient_id", flat=True
        )
    )
    team = set(
        TeamMember.objects.current().filter(team=world.teams[0]).values_list("user_id", flat=True)
    )
    assert told == team
    (entry,) = audited(Audited.STAGE_REVIEWED)
    assert entry.data["decision"] == "validated"


# --- Actions ----------------------------------------------------------------------------


def test_create_action_records_its_first_update_and_the_journal(action, member, plan):
    (update,) = ActionUpdate.objects.filter(action=action)
    assert update.author == member and update.changes == {"created": True}
    assert (action.status, action.progress, action.version) == ("todo", 0, 1)
    (entry,) = audited(Audited.ACTION_CREATED)
    assert entry.data["action_id"] == action.pk and entry.actor == member


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"title": "  "}, "title", "Donnez un intitulé à l'action."),
        (
            {"starts_on": DUE, "due_on": START},
            "due_on",
            "L'échéance ne peut pas précéder le début.",
        ),
        ({"owner_name": "Chambre d'agriculture"}, "owner_name", "pas les deux"),
    ],
)
def test_create_action_refuses_bad_input_and_writes_nothing(plan, member, values, field, message):
    data = {"title": "Action", "owner": member, **values}
    if field != "owner_name":
        data.pop("owner")
    with pytest.raises(ValidationError) as error:
        action_services.create_action(plan=plan, acting_user=member, **data)
    assert message in " ".join(error.value.message_dict[field])
    assert not Action.objects.exists() and not ActionUpdate.objects.exists()
    assert not audited(Audited.ACTION_CREATED)


def test_progress_is_between_0_and_100_and_the_owner_is_a_team_member(plan, member, world):
    for progress in (-1, 101):
        with pytest.raises(ValidationError) as error:
            action_services.create_action(
                plan=plan, acting_user=member, title="A", progress=progress
            )
        assert "entre 0 et 100" in " ".join(error.value.message_dict["progress"])
    stranger = first_member(world.teams[1])
    with pytest.raises(ValidationError) as error:
        action_services.create_action(plan=plan, acting_user=member, title="A", owner=stranger)
    assert "membre de l'équipe" in " ".join(error.value.message_dict["owner"])
    assert not Action.objects.exists()


def test_a_failure_midway_leaves_nothing_half_saved(plan, member, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("journal indisponible")

    monkeypatch.setattr(action_services, "record", broken)
    with pytest.raises(RuntimeError):
        action_services.create_action(plan=plan, acting_user=member, title="A")
    assert not Action.objects.exists() and not ActionUpdate.objects.exists()


def test_change_action_keeps_each_field_before_and_after(action, member):
    changed = action_services.change_action(
        action=action,
        acting_user=member,
        expected_version=1,
        title="Réunir le COPIL élargi",
        due_on=date(2026, 7, 15),
        note="Décalé à juillet.",
    )
    assert changed.version == 2
    update = ActionUpdate.objects.filter(action=action).first()
    assert update.changes == {
        "title": ["Réunir le COPIL", "Réunir le COPIL élargi"],
        "due_on": ["2026-06-30", "2026-07-15"],
    }
    assert update.note == "Décalé à juillet."
    (entry,) = audited(Audited.ACTION_CHANGED)
    assert entry.data["fields"] == ["due_on", "title"]
    # Nothing changed: no new version, no history row.
    same = action_services.change_action(
        action=changed, acting_user=member, expected_version=2, title="Réunir le COPIL élargi"
    )
    assert same.version == 2 and ActionUpdate.objects.filter(action=action).count() == 2


def test_two_writers_on_one_action_the_second_is_refused_and_nothing_is_lost(action, member, world):
    colleague = TeamMember.objects.filter(team=world.teams[0]).exclude(user=member)[0].user
    # Both opened version 1.
    action_services.change_action(
        action=action, acting_user=member, expected_version=1, title="Version d'Anne"
    )
    with pytest.raises(StaleAction) as error:
        action_services.change_action(
            action=action, acting_user=colleague, expected_version=1, title="Version de Paul"
        )
    assert "Rien n'a été écrasé" in messages_of(error.value)
    assert error.value.current.title == "Version d'Anne"
    assert [u.author for u in error.value.since] == [member]
    action.refresh_from_db()
    assert action.title == "Version d'Anne" and action.version == 2
    # Starting again from the current version goes through.
    action_services.change_action(
        action=action, acting_user=colleague, expected_version=2, title="Version de Paul"
    )
    action.refresh_from_db()
    assert action.title == "Version de Paul"


def test_a_deadline_changed_before_the_start_is_refused(action, member):
    with pytest.raises(ValidationError) as error:
        action_services.change_action(
            action=action, acting_user=member, expected_version=1, due_on=date(2026, 1, 1)
        )
    assert "précéder le début" in " ".join(error.value.message_dict["due_on"])
    action.refresh_from_db()
    assert action.due_on == DUE and action.version == 1


def test_post_update_records_progress_status_and_note(action, member):
    update = action_services.post_update(
        action=action, acting_user=member, progress=30, status="todo", note="Invitations parties."
    )
    # A progress above 0 on an action « à lancer » puts it « en cours ».
    assert (update.progress, update.status) == (30, "in_progress")
    assert update.changes == {"progress": [0, 30], "status": ["todo", "in_progress"]}
    with pytest.raises(ValidationError, match="Rien n'a changé"):
        action_services.post_update(
            action=action, acting_user=member, progress=30, status="in_progress"
        )
    for progress in (-5, 120):
        with pytest.raises(ValidationError) as error:
            action_services.post_update(
                action=action, acting_user=member, progress=progress, status="in_progress"
            )
        assert "entre 0 et 100" in messages_of(error.value)
    with pytest.raises(ValidationError, match="état valide"):
        action_services.post_update(action=action, acting_user=member, progress=40, status="x")
    done = action_services.post_update(
        action=action, acting_user=member, progress=80, status="done"
    )
    assert done.progress == 100
    assert [e.data["progress"] for e in audited(Audited.ACTION_UPDATED)] == [30, 100]


@pytest.mark.parametrize(("status", "word"), [("done", "terminée"), ("dropped", "abandonnée")])
def test_a_closed_action_is_reopened_before_any_update(action, member, status, word):
    progress = 100 if status == "done" else 40
    action_services.post_update(action=action, acting_user=member, progress=progress, status=status)
    rows = ActionUpdate.objects.count()
    with pytest.raises(ValidationError) as error:
        action_services.post_update(
            action=action, acting_user=member, progress=50, status="in_progress", note="Encore"
        )
    assert f"Cette action est {word} : rouvrez-la" in messages_of(error.value)
    assert ActionUpdate.objects.count() == rows
    reopened = action_services.reopen_action(action=action, acting_user=member)
    assert reopened.status == "in_progress"
    assert reopened.progress == (90 if status == "done" else 40)
    with pytest.raises(ValidationError, match="déjà ouverte"):
        action_services.reopen_action(action=action, acting_user=member)
    action_services.post_update(
        action=action, acting_user=member, progress=95, status="in_progress", note="Reprise"
    )
    assert len(audited(Audited.ACTION_REOPENED)) == 1


def test_delete_action_removes_it_with_its_history_and_the_journal_says_so(action, member):
    action_services.delete_action(action=action, acting_user=member)
    assert not Action.objects.exists() and not ActionUpdate.objects.exists()
    (entry,) = audited(Audited.ACTION_DELETED)
    assert entry.target == "Réunir le COPIL" and entry.actor == member


def test_late_since_counts_the_days_past_the_deadline(plan):
    action = ActionFactory(plan=plan, late=True)
    assert action_services.late_since(action) == 7
    assert action_services.late_since(ActionFactory(plan=plan, done=True)) == 0


# --- Actions from elsewhere -------------------------------------------------------------


def from_source(plan, member, **values):
    data = {
        "plan": plan,
        "acting_user": member,
        "source": Action.Source.CODEV,
        "source_id": 41,
        "source_label": "CODEV du 8 avril 2027",
        "title": "Rencontrer la vice-présidente santé",
        "owner": member,
        "due_on": DUE,
        **values,
    }
    return action_services.action_from_source(**data)


def test_action_from_source_is_idempotent_and_keeps_in_step(plan, member):
    first = from_source(plan, member)
    again = from_source(plan, member)
    assert again.pk == first.pk and Action.objects.count() == 1
    assert ActionUpdate.objects.count() == 1  # nothing changed: no history row
    assert first.source_label == "CODEV du 8 avril 2027"
    moved = from_source(plan, member, title="Rencontrer la VP santé", due_on=date(2026, 9, 1))
    assert moved.pk == first.pk and moved.title == "Rencontrer la VP santé"
    assert ActionUpdate.objects.filter(action=first).first().changes["due_on"] == [
        "2026-06-30",
        "2026-09-01",
    ]
    with pytest.raises(ValueError):
        from_source(plan, member, source=Action.Source.MANUAL)


def test_action_from_source_names_an_owner_outside_the_team(plan, member, world):
    stranger = first_member(world.teams[1])
    action = from_source(plan, member, owner=stranger, source_id=42)
    assert action.owner is None
    assert action.owner_name == stranger.get_full_name()


def test_close_from_source_finishes_reopens_and_ignores_the_unknown(plan, member):
    action = from_source(plan, member)
    action_services.close_from_source(
        source="codev", source_id=41, status="done", acting_user=member, note="Fait."
    )
    action.refresh_from_db()
    assert (action.status, action.progress) == ("done", 100)
    rows = ActionUpdate.objects.count()
    action_services.close_from_source(
        source="codev", source_id=41, status="done", acting_user=member
    )
    assert ActionUpdate.objects.count() == rows
    action_services.close_from_source(
        source="codev", source_id=999, status="done", acting_user=member
    )
    # The source changes its mind: abandoned after all (reopened, then closed again).
    action_services.close_from_source(
        source="codev", source_id=41, status="dropped", acting_user=member
    )
    action.refresh_from_db()
    assert action.status == "dropped"


# --- Common plan and follow-up séances -----------------------------------------------------


@pytest.fixture
def common(world):
    return stage_services.create_plan(
        programme=world.programme, kind="common", title="Plan commun", acting_user=world.coordinator
    )


def test_the_common_plan_gathers_actions_of_its_programme_once(world, common, action):
    entry = common_services.add_to_common_plan(
        common_plan=common,
        action=action,
        priority=1,
        lead=" CC Flandre ",
        acting_user=world.coordinator,
    )
    assert (entry.priority, entry.lead) == (1, "CC Flandre")
    with pytest.raises(ValidationError, match="déjà dans le plan commun"):
        common_services.add_to_common_plan(
            common_plan=common, action=action, priority=2, lead="", acting_user=world.coordinator
        )
    team_plan = action.plan
    with pytest.raises(ValidationError, match="pas un plan commun"):
        common_services.add_to_common_plan(
            common_plan=team_plan, action=action, priority=2, lead="", acting_user=world.coordinator
        )
    with pytest.raises(ValidationError) as error:
        common_services.change_common_entry(
            entry=entry, priority=9, lead="", acting_user=world.coordinator
        )
    assert "Choisissez une priorité." in messages_of(error.value)
    common_services.change_common_entry(
        entry=entry, priority=3, lead="Région", acting_user=world.coordinator
    )
    entry.refresh_from_db()
    assert (entry.priority, entry.lead) == (3, "Région")
    common_services.remove_from_common_plan(entry=entry, acting_user=world.coordinator)
    assert not CommonPlanEntry.objects.exists() and Action.objects.filter(pk=action.pk).exists()
    assert [
        len(audited(key))
        for key in (Audited.COMMON_ADDED, Audited.COMMON_CHANGED, Audited.COMMON_REMOVED)
    ] == [1, 1, 1]


def test_the_common_plan_refuses_another_programmes_action(world, common):
    with scope(organisation=world.organisation.pk):
        other = build_programme(organisation=world.organisation, teams=1)
        foreign = ActionFactory(plan=ActionPlanFactory(team=other.teams[0]))
    with pytest.raises(ValidationError, match="n'appartient pas à ce programme"):
        common_services.add_to_common_plan(
            common_plan=common, action=foreign, priority=2, lead="", acting_user=world.coordinator
        )
    own = ActionFactory(plan=common)
    with pytest.raises(ValidationError, match="déjà celle du plan commun"):
        common_services.add_to_common_plan(
            common_plan=common, action=own, priority=2, lead="", acting_user=world.coordinator
        )
    assert not CommonPlanEntry.objects.exists()


def test_mark_follow_up_marks_and_unmarks_a_session_once(world):
    session = SessionFactory(programme=world.programme, kind=world.kind)
    assert common_services.mark_follow_up(
        session=session, follow_up=True, acting_user=world.coordinator
    )
    assert not common_services.mark_follow_up(
        session=session, follow_up=True, acting_user=world.coordinator
    )
    assert FollowUpSession.objects.get(session=session).marked_by == world.coordinator
    assert common_services.mark_follow_up(
        session=session, follow_up=False, acting_user=world.coordinator
    )
    assert not FollowUpSession.objects.exists()
    assert [e.data["follow_up"] for e in audited(Audited.FOLLOW_UP_MARKED)] == [True, False]


def test_an_inactive_reviewer_is_not_told(plan, member, world):
    world.trainer.is_active = False
    world.trainer.save()
    submitted(plan, member)
    recipients = set(
        OutboxMessage.objects.filter(kind="plans.stage_submitted").values_list(
            "recipient_id", flat=True
        )
    )
    assert recipients == {world.coordinator.pk}


def test_close_from_source_reopening_writes_all_or_nothing(plan, member):
    action = from_source(plan, member)
    action_services.close_from_source(
        source="codev", source_id=41, status="done", acting_user=member
    )
    # The source says it is under way again: reopened, no empty update refused midway.
    action_services.close_from_source(
        source="codev", source_id=41, status="in_progress", acting_user=member
    )
    action.refresh_from_db()
    assert (action.status, action.progress) == ("in_progress", 90)
    action_services.close_from_source(
        source="codev", source_id=41, status="nonsense", acting_user=member
    )
    action.refresh_from_db()
    assert action.status == "in_progress"
