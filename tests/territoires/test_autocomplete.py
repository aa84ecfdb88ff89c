"""The territory autocomplete: the suggestions endpoint, the combobox widget, the
no-JavaScript path of ``TerritoryField``, and the coordinator's « create team » form."""

import pytest
from django import forms
from django.urls import reverse
from django_scopes import scopes_disabled

from parcours.models import Team
from territoires.forms import TerritoryField
from territoires.models import Project, Territory
from tests.factories import MembershipFactory, UserFactory, build_programme

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("territories")]

SEARCH = reverse("territoires:search")


def test_suggestions_need_a_signed_in_person(client):
    response = client.get(SEARCH, {"q": "lille"})
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_suggestions_are_listbox_options(client):
    client.force_login(UserFactory())

    response = client.get(SEARCH, {"q": "lille", "kinds": "epci,commune", "for": "id_territory"})

    html = response.content.decode()
    commune = Territory.objects.get(code="59350")
    assert response.status_code == 200
    assert html.count('role="option"') == 2
    assert f'id="id_territory-option-{commune.pk}"' in html
    assert f'data-value="{commune.pk}"' in html
    assert 'data-label="Lille (59)"' in html
    assert "Métropole Européenne de Lille — EPCI, Nord" in html


def test_suggestions_filter_kinds_and_ignore_short_queries(client):
    client.force_login(UserFactory())

    html = client.get(SEARCH, {"q": "lille", "kinds": "epci,nonsense"}).content.decode()
    assert html.count('role="option"') == 1
    assert "Lille (59)" not in html
    assert 'role="option"' not in client.get(SEARCH, {"q": "l"}).content.decode()
    # A forged widget id is not echoed.
    html = client.get(SEARCH, {"q": "lille", "for": '"><script>'}).content.decode()
    assert "<script>" not in html
    assert 'id="territoire-option-' in html


def test_suggestions_escape_names(client):
    client.force_login(UserFactory())
    Territory.objects.create(kind="syndicat", name='Syndicat <b>"Lys" & Deûle</b>')

    html = client.get(SEARCH, {"q": "syndicat lys"}).content.decode()

    assert "<b>" not in html
    assert "&lt;b&gt;&quot;Lys&quot; &amp; Deûle&lt;/b&gt;" in html


class PlaceForm(forms.Form):
    territory = TerritoryField(label="Territoire", kinds=["epci", "commune"])


def test_widget_is_an_accessible_combobox():
    html = str(PlaceForm()["territory"])

    assert 'role="combobox"' in html
    assert 'aria-autocomplete="list"' in html
    assert 'aria-expanded="false"' in html
    assert 'aria-controls="id_territory-listbox"' in html
    assert 'aria-activedescendant=""' in html
    assert 'id="id_territory-listbox" role="listbox"' in html
    assert 'hx-trigger="keyup changed delay:300ms"' in html
    assert f'hx-get="{SEARCH}?for=id_territory&amp;kinds=epci%2Ccommune"' in html
    assert 'type="hidden" name="territory_id"' in html
    assert "<script" not in html
    assert " style=" not in html
    assert "js/territory-autocomplete.js" in str(PlaceForm().media)


def test_widget_shows_the_initial_territory():
    lille = Territory.objects.get(code="59350")

    html = str(PlaceForm(initial={"territory": lille.pk})["territory"])

    assert 'value="Lille (59)"' in html
    assert f'name="territory_id" value="{lille.pk}"' in html


def test_the_chosen_id_wins():
    mel = Territory.objects.get(code="200093201")
    form = PlaceForm({"territory": "Métropole…", "territory_id": str(mel.pk)})
    assert form.is_valid()
    assert form.cleaned_data["territory"] == mel


def test_without_javascript_a_unique_name_or_code_is_resolved():
    form = PlaceForm({"territory": "villeneuve d'ascq"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["territory"].code == "59009"

    form = PlaceForm({"territory": "200069037"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["territory"].name == "CA du Pays de Saint-Omer"


def test_without_javascript_an_ambiguous_name_lists_the_candidates():
    form = PlaceForm({"territory": "Sainte-Marie", "territory_id": ""})

    assert not form.is_valid()
    assert form.errors["territory"] == [
        "Plusieurs territoires correspondent à « Sainte-Marie » : Sainte-Marie (59); "
        "Sainte-Marie (62). Précisez en recopiant le nom affiché ou le code officiel."
    ]
    # The typed text stays in the field.
    assert 'value="Sainte-Marie"' in str(form["territory"])

    form = PlaceForm({"territory": "Sainte-Marie (62)"})
    assert form.is_valid()
    assert form.cleaned_data["territory"].code == "62001"


def test_unknown_or_excluded_territories_are_refused():
    form = PlaceForm({"territory": "Atlantide"})
    assert not form.is_valid()
    assert form.errors["territory"][0].startswith("Aucun territoire ne correspond à « Atlantide »")
    # A département is not among this field's kinds, even by its id.
    nord = Territory.objects.get(kind="departement", code="59")
    form = PlaceForm({"territory": "Nord", "territory_id": str(nord.pk)})
    assert not form.is_valid()
    assert PlaceForm({"territory": ""}).errors["territory"] == ["Indiquez un territoire."]


# --- The coordinator's « create team » form -----------------------------------------


@pytest.fixture
def world(client):
    with scopes_disabled():
        built = build_programme(teams=0)
        built.coordinator = MembershipFactory(
            organisation=built.organisation, coordinator=True
        ).user
    client.force_login(built.coordinator)
    built.url = reverse(
        "parcours:team_list",
        kwargs={"organisation_slug": built.organisation.slug, "programme_id": built.programme.pk},
    )
    return built


def test_team_form_shows_the_autocomplete(client, world):
    html = client.get(world.url).content.decode()

    assert 'role="combobox"' in html
    assert 'src="/static/js/territory-autocomplete.js" defer' in html


def test_team_form_saves_the_chosen_territory(client, world):
    mel = Territory.objects.get(code="200093201")

    response = client.post(
        world.url,
        {
            "name": "PAT de la MEL",
            "cohort": world.cohort.pk,
            "territory": mel.label,
            "territory_id": mel.pk,
        },
    )

    assert response.status_code == 302
    with scopes_disabled():
        assert Team.objects.get(name="PAT de la MEL").territory == mel


def test_team_form_without_javascript(client, world):
    response = client.post(
        world.url, {"name": "PAT Sainte-Marie", "cohort": world.cohort.pk, "territory": "ste marie"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Plusieurs territoires correspondent à « ste marie »" in html
    assert 'aria-invalid="true"' in html or "is-invalid" in html
    with scopes_disabled():
        assert not Team.objects.filter(name="PAT Sainte-Marie").exists()

    response = client.post(
        world.url, {"name": "PAT Saint-Omer", "cohort": world.cohort.pk, "territory": "62765"}
    )
    assert response.status_code == 302
    with scopes_disabled():
        assert Team.objects.get(name="PAT Saint-Omer").territory.name == "Saint-Omer"


def test_a_project_belongs_to_an_organisation():
    assert Project._meta.get_field("organisation").related_model._meta.label == (
        "organisations.Organisation"
    )
    assert Project._meta.get_field("kind").default == "pat"
