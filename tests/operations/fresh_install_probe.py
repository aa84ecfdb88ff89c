"""Run by ``test_fresh_install`` in a subprocess, on the database a fresh install left
(``DATABASE_URL``): prints, as JSON, the reference data found and the outcome of an
application submitted to a call on a real commune of the Code officiel géographique.

``python -m tests.operations.fresh_install_probe`` from the project's folder."""

import json
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sillon.settings")
django.setup()

from django_scopes import scope, scopes_disabled  # noqa: E402

from candidatures import services  # noqa: E402
from territoires.models import Territory  # noqa: E402
from territoires.selectors import search_territories  # noqa: E402
from tests.factories import (  # noqa: E402
    CallFactory,
    UserFactory,
    build_programme,
)

AMIENS = "80021"


def main() -> dict:
    counts = {
        kind: Territory.objects.filter(kind=kind).exclude(code="").count()
        for kind in ("region", "departement", "epci", "commune")
    }
    amiens = Territory.objects.select_related("parent", "epci").get(kind="commune", code=AMIENS)
    with scopes_disabled():
        built = build_programme(teams=0)
        call = CallFactory(cohort=built.cohort, published=True, slug="ami-installation")
        elu, charge, *_others = built.roles
        lead = UserFactory(first_name="Léa", last_name="Porteuse", email="lea@amiens.example")

    # What the application form's autocomplete offers.
    found = [(t.kind, t.code) for t in search_territories("Amiens")]

    with scope(organisation=built.organisation.pk):
        application = services.start_application(
            call=call,
            acting_user=lead,
            territory=amiens,
            structure="Amiens Métropole",
            project_name="PAT du Grand Amiénois",
            project_stage="construction",
            project_website="",
            role=elu,
            function="Vice-présidente",
            phone="",
        )
        services.add_application_member(
            application=application,
            acting_user=lead,
            first_name="Marc",
            last_name="Chargé",
            email="marc@amiens.example",
            role=charge,
            function="Chargé de mission PAT",
        )
        services.submit_application(application=application, acting_user=lead)
        application.refresh_from_db()
    return {
        "counts": counts,
        "amiens": [amiens.name, amiens.parent.code, amiens.epci.kind],
        "search_finds_amiens": ["commune", AMIENS] in [list(item) for item in found],
        "status": application.status,
        "territory": application.territory.code,
    }


if __name__ == "__main__":
    print(json.dumps(main()))
