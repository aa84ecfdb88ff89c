"""The engagement: versions of the text, signatures that keep what was signed, the team
« engagée » when every required role signed, and the pages of the coordinator and of
the team members."""

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from organisations.models import AuditEntry
from parcours import services
from parcours.models import EngagementText, Session, TeamMember
from tests.factories import (
    SessionFactory,
    TeamMemberFactory,
)
from tests.parcours.engagement.conftest import (
    AGENT,
    BODY,
    current_text,
    digest,
    paris,
    publish,
    rendered,
    sign,
    signatures,
    status,
)

pytestmark = pytest.mark.django_db

# --- Versions ------------------------------------------------------------------------


def test_publishing_makes_numbered_versions_that_never_change(world):
    first = publish(world, requires_resignature=False)
    second = publish(world, body=BODY + " Version corrigée.", sessions=[world.launch])
    assert (first.version, second.version) == (1, 2)
    # The first version always asks for signatures; the choice is the coordinator's after.
    assert first.requires_resignature and second.requires_resignature
    with scopes_disabled():
        first.refresh_from_db()
        assert first.body == BODY
        assert sorted(s.pk for s in first.key_sessions.all()) == sorted(
            [world.launch.pk, world.meeting.pk, world.training.pk]
        )
        assert AuditEntry.objects.filter(action="parcours.engagement.published").count() == 2
    assert current_text(world).pk == second.pk


def test_bad_versions_are_refused_in_french(world):
    with pytest.raises(ValidationError) as raised:
        publish(world, body="   ")
    assert raised.value.message_dict == {"body": ["Écrivez le texte de l'engagement."]}
    with scopes_disabled():
        other = SessionFactory(kind__name="Autre")
    with pytest.raises(ValidationError) as raised:
        publish(world, sessions=[other])
    assert raised.value.message_dict == {
        "key_sessions": ["Choisissez des séances de ce programme."]
    }
    publish(world)
    with pytest.raises(ValidationError) as raised:
        publish(world)
    assert "identique à la version en vigueur" in raised.value.message_dict["body"][0]
    with scopes_disabled():
        assert EngagementText.objects.count() == 1


def test_the_rendered_text_lists_the_key_dates_from_the_calendar(world):
    text = publish(world)
    assert rendered(text) == (
        f"{BODY}\n\nDates clés :\n"
        "- Lancement : vendredi 16 octobre 2026, 9 h 30 – 12 h 30\n"
        "- Rencontre individuelle n°1 : jeudi 5 novembre 2026, 14 h – 16 h (sondage date)\n"
        "- Formation n°1 : du mercredi 9 décembre au vendredi 11 décembre 2026"
    )
    before = digest(text)
    # Dates are read from the calendar, never copied: a moved session changes the text.
    with scopes_disabled():
        Session.objects.filter(pk=world.launch.pk).update(
            starts_at=paris(2026, 10, 17, 9, 30), ends_at=paris(2026, 10, 17, 12, 30)
        )
    assert "samedi 17 octobre 2026" in rendered(current_text(world))
    assert digest(current_text(world)) != before


# --- Signing -------------------------------------------------------------------------


def test_a_signature_keeps_what_was_signed_by_whom_when_and_from_where(world):
    text = publish(world)
    signature = sign(world, world.elu, name="  élise   DUPONT moreau ")
    expected = hashlib.sha256(rendered(text).encode()).hexdigest()
    with scopes_disabled():
        signature.refresh_from_db()
        assert signature.text_id == text.pk
        assert signature.member_id == world.elu.pk
        assert signature.user_id == world.elu.user_id
        assert signature.typed_name == "élise DUPONT moreau"
        assert signature.consent is True
        assert signature.ip_address == "203.0.113.7"
        assert signature.user_agent == AGENT[:300]
        assert signature.text_hash == expected
        assert abs((signature.signed_at - timezone.now()).total_seconds()) < 60
        entry = AuditEntry.objects.get(action="parcours.engagement.signed")
    assert entry.actor == world.elu.user
    assert entry.data["version"] == 1
    assert entry.data["text_hash"] == expected


def test_the_name_may_be_written_last_name_first_without_accents(world):
    publish(world)
    sign(world, world.elu, name="Dupont Moreau Elise")
    assert signatures() == 1


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"consent": False}, "consent", "Cochez la case pour confirmer votre engagement."),
        ({"name": ""}, "typed_name", "Écrivez votre prénom et votre nom."),
        ({"name": "Karim Benali"}, "typed_name", "Le nom saisi ne correspond pas"),
    ],
)
def test_a_signature_without_consent_or_with_another_name_is_refused(world, kwargs, field, message):
    publish(world)
    with pytest.raises(ValidationError) as raised:
        sign(world, world.elu, **kwargs)
    assert message in raised.value.message_dict[field][0]
    assert signatures() == 0
    with scopes_disabled():
        assert not AuditEntry.objects.filter(action="parcours.engagement.signed").exists()


def test_someone_else_cannot_sign_for_a_member(world):
    publish(world)
    with pytest.raises(ValidationError) as raised:
        sign(world, world.elu, user=world.charge.user, name="Élise Dupont-Moreau")
    assert raised.value.messages == ["Seule la personne concernée peut signer son engagement."]
    assert signatures() == 0


def test_a_tampered_or_outdated_version_is_refused(world):
    first = publish(world)
    with pytest.raises(ValidationError) as raised:
        sign(world, world.elu, digest="0" * 64)
    assert "a changé depuis l'ouverture de la page" in raised.value.messages[0]
    publish(world, body=BODY + " Nouvelle version.")
    # The page of version 1, opened before version 2: its id and exact hash are refused.
    with pytest.raises(ValidationError):
        sign(world, world.elu, text=first, digest=digest(first))
    assert signatures() == 0


def test_a_key_session_moved_after_the_page_opened_refuses_the_old_hash(world):
    text = publish(world)
    shown = digest(text)
    with scopes_disabled():
        Session.objects.filter(pk=world.training.pk).update(
            starts_at=paris(2026, 12, 10), ends_at=paris(2026, 12, 12)
        )
    with pytest.raises(ValidationError):
        sign(world, world.elu, digest=shown)
    assert signatures() == 0


def test_a_version_is_signed_once_and_a_former_member_cannot_sign(world):
    publish(world)
    sign(world, world.elu)
    with pytest.raises(ValidationError) as raised:
        sign(world, world.elu)
    assert raised.value.messages == ["Vous avez déjà signé cette version de l'engagement."]
    with scopes_disabled():
        TeamMember.objects.filter(pk=world.charge.pk).update(left_at=timezone.now())
    with pytest.raises(ValidationError) as raised:
        sign(world, world.charge)
    assert raised.value.messages == ["Vous ne faites plus partie de cette équipe."]
    assert signatures() == 1


def test_nothing_to_sign_before_publication(world):
    with pytest.raises(ValidationError) as raised, scope(organisation=world.organisation.pk):
        services.sign_engagement(
            member=world.elu,
            acting_user=world.elu.user,
            typed_name="Élise Dupont-Moreau",
            consent=True,
            ip_address=None,
            user_agent="",
            text_id=None,
            text_hash="",
        )
    assert raised.value.messages == ["Aucun texte d'engagement n'est publié pour ce programme."]


# --- « Engagée » ---------------------------------------------------------------------


def test_the_team_is_engaged_when_every_required_role_signed(world):
    publish(world)
    assert not status(world).engaged
    sign(world, world.elu)
    assert not status(world).engaged
    assert [role.name for role in status(world).missing_roles] == ["Chargé·e de mission"]
    sign(world, world.charge)
    # The responsable de service is not required: the team is engaged without them.
    assert status(world).engaged
    assert not status(world, world.teams[1]).engaged


def test_a_new_version_asking_for_signatures_makes_the_team_not_engaged_again(world):
    publish(world)
    sign(world, world.elu)
    sign(world, world.charge)
    publish(world, body=BODY + " Précision.", requires_resignature=False)
    assert status(world).engaged
    publish(world, body=BODY + " Nouvelles dates.", requires_resignature=True)
    team = status(world)
    assert not team.engaged
    outdated = [row for row in team.members if row.outdated]
    assert {row.member.pk for row in outdated} == {world.elu.pk, world.charge.pk}
    sign(world, world.elu)
    sign(world, world.charge)
    assert status(world).engaged


def test_a_replaced_members_signature_no_longer_counts(world):
    publish(world)
    sign(world, world.elu)
    sign(world, world.charge)
    with scopes_disabled():
        TeamMember.objects.filter(pk=world.elu.pk).update(left_at=timezone.now())
        newcomer = TeamMemberFactory(team=world.team, role=world.roles[0])
    team = status(world)
    assert not team.engaged
    elu_row = next(role for role in team.roles if role.role == world.roles[0])
    assert [row.member.pk for row in elu_row.members] == [newcomer.pk]
    sign(world, newcomer)
    assert status(world).engaged
