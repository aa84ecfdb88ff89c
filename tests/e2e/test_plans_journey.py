"""Issue 21 « Plans d'action », from end to end in Chromium, with axe on every page visited.

A team member, on a 390 px phone, opens the team's plan from the home page's « Notre
plan d'action », writes the fiche d'intention and submits it; a trainer, on a desktop,
validates it with a comment and the team is told by e-mail. The team builds four actions
(one already late; a deadline before the start refused next to its field) and updates
one in two taps. The client team of a CODEV séance records a commitment, which joins its
plan as « Engagement de CODEV ». A séance marked « suivi des plans » by the coordinator
asks every current team member, once, to update their plan at J-7 (two scans). The
coordinator's overview shows the late action and the CSV export holds the five actions.
"""

import csv
import io
from datetime import datetime, timedelta

import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from playwright.sync_api import Page, expect

from codev.models import Group, GroupKind
from codev.services import cases as codev_cases
from codev.services import groups as codev_groups
from codev.services import sessions as codev_sessions
from notifications.scan import scan
from parcours.models import Session, TeamMember
from plans.models import Action, ActionPlan, FollowUpSession, StageVersion
from tests.factories import MembershipFactory, SessionFactory, TeamMemberFactory, build_programme

from .conftest import check_a11y
from .test_engagement_journey import log_in

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
VALIDATED_SUBJECT = "Fiche d'intention validée"
FOLLOW_UP_SUBJECT = "Mettez à jour votre plan d'action"
FOLLOW_UP_TITLE = "Suivi des plans d'action"
COMMITMENT = "Écrire aux maires du territoire"
DUE_BEFORE_START = "L'échéance ne peut pas précéder le début."


def at(day, hour, minute=0):
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


def build_world():
    """A published programme of two teams of three (the first also has a member who
    left), a coordinator and a trainer; a séance of the programme to come, to be marked
    « suivi des plans »; a CODEV group of both teams whose séance has the first team as
    client, with its case prepared."""
    today = timezone.localdate()
    with scopes_disabled():
        world = build_programme(teams=2, members_per_team=3)
        organisation = world.organisation
        coordinator = MembershipFactory(organisation=organisation, role="coordinator").user
        trainer = MembershipFactory(organisation=organisation, role="trainer").user
        trainer.first_name, trainer.last_name = "Fanny", "Formatrice"
        trainer.save()
        team = world.teams[0]
        member = TeamMember.objects.filter(team=team).order_by("pk")[0].user
        member.first_name, member.last_name = "Léa", "Martin"
        member.save()
        former = TeamMemberFactory(team=team, former=True).user
        follow_up = SessionFactory(
            programme=world.programme,
            kind=world.kind,
            title=FOLLOW_UP_TITLE,
            starts_at=at(today + timedelta(days=21), 9, 30),
            ends_at=at(today + timedelta(days=21), 12, 30),
        )
    with scope(organisation=organisation.pk):
        group = codev_groups.save_group(
            group=Group(programme=world.programme, name="CODEV Nord", kind=GroupKind.CODEV),
            acting_user=coordinator,
            facilitators=[trainer],
        )
        codev_groups.set_members(group=group, teams=world.teams, acting_user=coordinator)
        (seance,) = codev_sessions.create_series(
            groups=[group],
            acting_user=coordinator,
            title="CODEV n° 1",
            kind=world.kind,
            format="visio",
            visio_url="https://visio.exemple.fr/codev",
            starts_at=at(today + timedelta(days=10), 9),
            ends_at=at(today + timedelta(days=10), 12),
        )
        codev_sessions.set_roles(
            group_session=seance,
            client=group.memberships.get(team=team),
            facilitator=trainer,
            acting_user=coordinator,
        )
        codev_cases.save_case(
            group_session=seance,
            acting_user=member,
            title="Mobiliser les élu·es",
            question="Comment associer les élu·es au projet alimentaire ?",
        )
    return world, team, member, former, coordinator, trainer, follow_up, seance


def switch_to(page: Page, user, viewport) -> None:
    page.context.clear_cookies()
    page.set_viewport_size(viewport)
    log_in(page, user.email)


def add_action(page: Page, title: str, *, starts: str = "", due: str = "", owner=None) -> None:
    """From the plan, « Ajouter une action », filled and saved."""
    page.get_by_role("link", name="Ajouter une action").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvelle action")
    page.get_by_label("Intitulé").fill(title)
    if owner is not None:
        page.get_by_label("Pilote (membre de l'équipe)").select_option(label=owner)
    page.get_by_label("Début").fill(starts)
    page.get_by_label("Échéance").fill(due)
    page.get_by_role("button", name="Ajouter l’action").click()
    expect(page.locator(".messages")).to_contain_text(f"Action « {title} » ajoutée.")


def scan_at(moment):
    with time_machine.travel(moment, tick=False):
        return scan()


def test_a_teams_action_plan_from_the_intention_to_the_coordinators_export(page: Page, live_server):
    world, team, member, former, coordinator, trainer, follow_up, seance = build_world()
    slug, programme = world.organisation.slug, world.programme
    today = timezone.localdate()
    with scopes_disabled():
        team_name = team.name
        current_emails = {
            m.user.email for m in TeamMember.objects.current().filter(team__in=world.teams)
        }
        team_emails = {m.user.email for m in TeamMember.objects.current().filter(team=team)}
    assert former.email not in current_emails

    # 1. The member, on a phone, from the home page's « Notre plan d'action ».
    switch_to(page, member, PHONE)
    page.goto(reverse("organisations:home", args=[slug]))
    panel = page.get_by_role("region", name="Notre plan d’action")
    check_a11y(page, "plans-parcours-01-accueil-telephone")
    panel.get_by_role("link", name=f"Plan d’action — {team_name}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Plan d’action — {team_name}")
    expect(page.locator("main")).to_contain_text("Aucune action pour l’instant.")
    check_a11y(page, "plans-parcours-02-plan-telephone")
    with scopes_disabled():
        plan = ActionPlan.objects.get(team=team)

    page.get_by_role("link", name="1. Fiche d'intention").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fiche d'intention")
    check_a11y(page, "plans-parcours-03-fiche-telephone")
    page.get_by_label("Texte de l'étape").fill(
        "## Contexte et enjeux du territoire\n\nUn territoire rural, 40 communes.\n\n"
        "## Ce que nous voulons changer\n\n- Plus de produits locaux en cantine\n"
    )
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.locator(".messages")).to_contain_text("Brouillon enregistré.")
    page.get_by_role("button", name="Soumettre pour relecture").click()
    expect(page.locator(".messages")).to_contain_text("soumise (version 1)")
    check_a11y(page, "plans-parcours-04-fiche-soumise-telephone")

    # 2. The trainer, on a desktop, validates version 1 with a comment; the team is told.
    mail.outbox.clear()
    switch_to(page, trainer, DESKTOP)
    page.goto(reverse("plans:stage_version", args=[slug, programme.pk, plan.pk, "intention", 1]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Fiche d'intention — version 1")
    expect(page.locator("main")).to_contain_text("Plus de produits locaux en cantine")
    check_a11y(page, "plans-parcours-05-relecture-bureau")
    page.get_by_label("Commentaire (facultatif)").fill("Clair et concret : bravo.")
    page.get_by_role("button", name="Valider").click()
    expect(page.locator(".messages")).to_contain_text("Version validée")
    expect(page.locator("main")).to_contain_text("Clair et concret : bravo.")
    check_a11y(page, "plans-parcours-06-validee-bureau")
    with scopes_disabled():
        assert StageVersion.objects.get(plan=plan, number=1).status == "validated"
    told = [m for m in mail.outbox if m.to == [member.email] and VALIDATED_SUBJECT in m.subject]
    assert len(told) == 1, [(m.to, m.subject) for m in mail.outbox]
    assert "Clair et concret : bravo." in told[0].body
    assert {m.to[0] for m in mail.outbox if VALIDATED_SUBJECT in m.subject} == team_emails

    # 3. Back on the phone, four actions; a deadline before the start is refused.
    switch_to(page, member, PHONE)
    page.goto(reverse("plans:team_plan", args=[slug, programme.pk, team.pk]))
    expect(page.locator("main")).to_contain_text("v1 validée")
    iso = lambda days: (today + timedelta(days=days)).isoformat()  # noqa: E731
    add_action(page, "Recenser les cantines", starts=iso(-60), due=iso(-5), owner="Léa Martin")
    add_action(page, "Réunir les producteurs", starts=iso(-10), due=iso(60))
    add_action(page, "Cartographier les fermes", due=iso(120))

    page.get_by_role("link", name="Ajouter une action").click()
    page.get_by_label("Intitulé").fill("Ouvrir une légumerie")
    page.get_by_label("Début").fill(iso(90))
    due_field = page.get_by_label("Échéance")
    due_field.fill(iso(30))
    page.get_by_role("button", name="Ajouter l’action").click()
    expect(due_field).to_have_attribute("aria-invalid", "true")
    expect(due_field.locator("xpath=..")).to_contain_text(DUE_BEFORE_START)
    check_a11y(page, "plans-parcours-07-echeance-refusee-telephone")
    due_field.fill(iso(180))
    page.get_by_role("button", name="Ajouter l’action").click()
    expect(page.locator(".messages")).to_contain_text("Action « Ouvrir une légumerie » ajoutée.")
    late_card = page.locator("article", has_text="Recenser les cantines")
    expect(late_card.get_by_text("En retard", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Actions")).to_contain_text("(4)")
    check_a11y(page, "plans-parcours-08-quatre-actions-telephone")

    # Two taps on the late action's card: the progress and the state, then « Mettre à jour ».
    late_card.get_by_label("Avancement", exact=True).select_option("30")
    late_card.get_by_label("État", exact=True).select_option(label="En cours")
    late_card.get_by_role("button", name="Mettre à jour").click()
    late_card = page.locator("article", has_text="Recenser les cantines")
    expect(late_card.get_by_role("status")).to_have_text("Action mise à jour.")
    expect(late_card.locator(".badge").first).to_have_text("En cours")
    expect(late_card).to_contain_text("30 %")
    expect(late_card.get_by_text("En retard", exact=True)).to_be_visible()
    check_a11y(page, "plans-parcours-09-mise-a-jour-telephone")
    with scopes_disabled():
        late = Action.objects.get(plan=plan, title="Recenser les cantines")
        assert (late.progress, late.status) == (30, "in_progress")
        assert late.updates.count() == 2

    # 4. The client team records a CODEV commitment: it joins the team's plan.
    page.goto(reverse("codev:seance_commitments", args=[slug, seance.pk]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Nos engagements")
    check_a11y(page, "plans-parcours-10-engagements-telephone")
    commitment_due = today + timedelta(days=45)
    page.get_by_label("Engagement", exact=True).fill(COMMITMENT)
    page.get_by_label("Qui le porte").select_option(label="Léa Martin")
    page.get_by_label("Pour le").fill(commitment_due.isoformat())
    page.get_by_role("button", name="Enregistrer l’engagement").click()
    expect(page.locator("main")).to_contain_text("Engagement enregistré.")
    check_a11y(page, "plans-parcours-11-engagement-enregistre-telephone")
    page.goto(reverse("plans:team_plan", args=[slug, programme.pk, team.pk]))
    expect(page.get_by_role("heading", name="Actions")).to_contain_text("(5)")
    page.get_by_role("link", name=COMMITMENT).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(COMMITMENT)
    expect(page.locator("main")).to_contain_text("Engagement de CODEV")
    expect(page.locator("main")).to_contain_text("CODEV Nord")
    check_a11y(page, "plans-parcours-12-action-codev-telephone")
    with scopes_disabled():
        from_codev = Action.objects.get(plan=plan, source=Action.Source.CODEV)
        assert (from_codev.title, from_codev.owner, from_codev.due_on) == (
            COMMITMENT,
            member,
            commitment_due,
        )

    # 5. The coordinator marks the follow-up séance; J-7, two scans, one e-mail each.
    switch_to(page, coordinator, DESKTOP)
    page.goto(reverse("plans:follow_up_sessions", args=[slug, programme.pk]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Séances de suivi des plans")
    check_a11y(page, "plans-parcours-13-seances-de-suivi")
    page.get_by_label(FOLLOW_UP_TITLE).check()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".messages")).to_contain_text("(1 modifiée(s))")
    expect(page.get_by_label(FOLLOW_UP_TITLE)).to_be_checked()
    check_a11y(page, "plans-parcours-14-seance-de-suivi-cochee")
    with scopes_disabled():
        assert list(FollowUpSession.objects.values_list("session_id", flat=True)) == [follow_up.pk]
        assert follow_up.audience == Session.Audience.COHORT

    mail.outbox.clear()
    due = follow_up.starts_at - timedelta(days=7)
    scan_at(due - timedelta(minutes=5))
    assert not [m for m in mail.outbox if FOLLOW_UP_SUBJECT in m.subject]
    scan_at(due + timedelta(minutes=1))
    scan_at(due + timedelta(hours=2))
    asked = [m.to[0] for m in mail.outbox if FOLLOW_UP_SUBJECT in m.subject]
    assert sorted(asked) == sorted(current_emails), asked  # each once, the former none
    (to_member,) = [
        m for m in mail.outbox if m.to == [member.email] and FOLLOW_UP_SUBJECT in m.subject
    ]
    assert FOLLOW_UP_TITLE in to_member.body
    assert reverse("plans:team_plan", args=[slug, programme.pk, team.pk]) in to_member.body

    # 6. The overview: the team and its late action; the CSV export of the five actions.
    page.goto(reverse("plans:overview", args=[slug, programme.pk]))
    main = page.locator("main")
    team_row = main.get_by_role("row", name=team_name)
    expect(team_row).to_contain_text("v1 validée")
    expect(team_row.locator("td strong.text-danger")).to_have_text("1")
    page.get_by_text("Les actions sous forme de tableau").click()
    expect(main.get_by_role("row", name="Recenser les cantines")).to_contain_text(
        "En cours, en retard"
    )
    check_a11y(page, "plans-parcours-15-vue-d-ensemble")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Exporter les actions (CSV)").click()
    with open(download_info.value.path(), encoding="utf-8-sig") as handle:
        _header, *lines = list(csv.reader(io.StringIO(handle.read())))
    rows = {line[1]: line for line in lines}
    assert set(rows) == {
        "Recenser les cantines",
        "Réunir les producteurs",
        "Cartographier les fermes",
        "Ouvrir une légumerie",
        COMMITMENT,
    }
    assert all(line[0] == team_name for line in lines)
    assert rows["Recenser les cantines"][3] == "En cours (en retard)"
    assert rows["Recenser les cantines"][4] == "30"
    assert rows[COMMITMENT][8].startswith("Engagement de CODEV")
    assert rows["Ouvrir une légumerie"][5:7] == [iso(90), iso(180)]
