"""The public verification page of attestations, the registry coordinators keep, and
revocation: only the allowed fields shown, the same answer for unknown and revoked
numbers, a rate limit per address."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from django_scopes import scope

from documents.models import Attestation
from documents.verification import LIMIT
from organisations.models import AuditEntry
from tests.factories import AttestationFactory, MembershipFactory, OrganisationFactory
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def attestation():
    organisation = OrganisationFactory(name="Terres Communes", legal_name="Association TC")
    with scope(organisation=organisation.pk):
        return AttestationFactory(
            programme__organisation=organisation,
            programme__name="Parcours alimentaire",
            person__first_name="Léa",
            person__last_name="Müller",
            person__email="lea.muller@example.org",
            holder_name="Léa Müller",
            sessions=[{"title": "Séance secrète", "days": [], "minutes": 435, "hours": "7 h 15"}],
        )


def verify(client, attestation, number):
    url = reverse("documents:verify", args=[attestation.organisation.slug])
    return client.get(url, {"numero": number})


def result_of(response) -> str:
    page = response.content.decode()
    return page[page.index('id="resultat-titre"') :]


def test_the_number_shows_only_holder_programme_period_hours_date_and_organisation(
    client, attestation
):
    response = verify(client, attestation, attestation.number.lower().replace("-", "- "))
    assert response.status_code == 200
    result = result_of(response)
    assert "Cette attestation est valide." in result
    assert "Léa Müller" in result
    assert "Parcours alimentaire" in result
    assert "7 h 15" in result
    assert "Association TC" in result
    # Nothing else: no e-mail, no session, no token.
    page = response.content.decode()
    assert "lea.muller@example.org" not in page
    assert "Séance secrète" not in page
    assert attestation.token not in page
    assert response["X-Robots-Tag"] == "noindex"


def test_the_printed_link_carries_the_token(client, attestation):
    url = reverse("documents:verify_token", args=[attestation.organisation.slug, attestation.token])
    response = client.get(url)
    assert "Cette attestation est valide." in response.content.decode()
    assert "Léa Müller" in response.content.decode()


def test_unknown_and_revoked_numbers_get_the_same_answer(client, attestation):
    unknown = result_of(verify(client, attestation, "ATT-2026-999999"))
    with scope(organisation=attestation.organisation_id):
        Attestation.objects.filter(pk=attestation.pk).update(revocation_reason="Erreur")
        revoked_row = AttestationFactory(programme=attestation.programme, revoked=True)
    revoked = result_of(verify(client, attestation, revoked_row.number))
    assert "Aucune attestation valide ne correspond à ce numéro." in unknown
    assert unknown == revoked
    token_url = reverse(
        "documents:verify_token", args=[attestation.organisation.slug, revoked_row.token]
    )
    by_token = client.get(token_url)
    assert by_token.status_code == 404
    assert result_of(by_token) == unknown
    unknown_token = reverse("documents:verify_token", args=[attestation.organisation.slug, "x"])
    assert result_of(client.get(unknown_token)) == unknown
    assert revoked_row.holder_name not in by_token.content.decode()


def test_another_organisations_number_is_unknown_here(client, attestation):
    other = OrganisationFactory()
    url = reverse("documents:verify", args=[other.slug])
    response = client.get(url, {"numero": attestation.number})
    assert "Aucune attestation valide" in response.content.decode()
    assert "Léa Müller" not in response.content.decode()


def test_lookups_are_rate_limited_per_address(client, attestation):
    for _index in range(LIMIT):
        assert verify(client, attestation, "ATT-2026-000000").status_code == 200
    refused = verify(client, attestation, attestation.number)
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "Trop de vérifications" in page and "Léa Müller" not in page
    token_url = reverse("documents:verify_token", args=[attestation.organisation.slug, "x"])
    assert client.get(token_url).status_code == 429
    # Another address is not affected.
    other = client.get(
        reverse("documents:verify", args=[attestation.organisation.slug]),
        {"numero": attestation.number},
        REMOTE_ADDR="10.0.0.9",
    )
    assert other.status_code == 200


def test_the_empty_form_is_not_counted_and_has_one_labelled_field(client, attestation):
    url = reverse("documents:verify", args=[attestation.organisation.slug])
    for _index in range(LIMIT + 5):
        response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<h1") == 1
    assert 'for="id_numero"' in page and "résultat" not in page.lower().split("<form")[0]


# --- The registry and revocation ----------------------------------------------------------


@pytest.fixture
def coordinator(attestation):
    return MembershipFactory(organisation=attestation.organisation, coordinator=True).user


def test_coordinators_see_the_registry_in_constant_queries(client, attestation, coordinator):
    client.force_login(coordinator)
    url = reverse("documents:attestation_register", args=[attestation.organisation.slug])
    page = client.get(url).content.decode()
    assert attestation.number in page and "Léa Müller" in page and "Valide" in page

    def add_rows(count):
        with scope(organisation=attestation.organisation_id):
            AttestationFactory.create_batch(count, programme=attestation.programme)

    assert_constant_queries(client, url, add_rows)


def test_others_do_not_see_the_registry(client, attestation):
    trainer = MembershipFactory(organisation=attestation.organisation, trainer=True).user
    client.force_login(trainer)
    slug = attestation.organisation.slug
    assert client.get(reverse("documents:attestation_register", args=[slug])).status_code == 404
    revoke = reverse("documents:attestation_revoke", args=[slug, attestation.pk])
    assert client.post(revoke, {"reason": "x"}).status_code == 404
    attestation.refresh_from_db()
    assert not attestation.is_revoked


def test_a_coordinator_revokes_with_a_reason(client, attestation, coordinator):
    client.force_login(coordinator)
    url = reverse(
        "documents:attestation_revoke", args=[attestation.organisation.slug, attestation.pk]
    )
    page = client.post(url, {"reason": "  "}).content.decode()
    assert "Ce champ est obligatoire." in page
    attestation.refresh_from_db()
    assert not attestation.is_revoked
    response = client.post(url, {"reason": "Erreur sur les heures"})
    assert response.status_code == 302
    attestation.refresh_from_db()
    assert attestation.is_revoked and attestation.revoked_by == coordinator
    assert attestation.revocation_reason == "Erreur sur les heures"
    with scope(organisation=attestation.organisation_id):
        assert AuditEntry.objects.filter(action="documents.attestation.revoked").exists()
    answer = result_of(verify(client, attestation, attestation.number))
    assert "Aucune attestation valide" in answer


def test_a_persons_attestations_are_in_their_data(attestation):
    from documents.personal_data import export_for_user

    exported = export_for_user(attestation.person)["attestations"]
    assert [row["numéro"] for row in exported] == [attestation.number]
    assert exported[0]["révoquée_le"] is None
