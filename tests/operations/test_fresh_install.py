"""A fresh install, without Docker: the start-up steps docker-compose's `migrate`
service runs (``scripts/post-deploy``: migrations, then the reference geography from the
npm package's data) on a new PostgreSQL database leave the territories the application
form needs, and an application to a call can then be submitted on a real commune."""

import json

from territoires.loader import DEFAULT_SOURCE, read_dataset
from tests.operations.conftest import environment, run


def test_a_fresh_install_loads_the_territories_and_takes_applications(new_database, tmp_path):
    # What the packaged dataset holds (a new COG year changes it).
    expected = {str(kind): len(rows) for kind, rows in read_dataset(DEFAULT_SOURCE).items()}
    assert expected["commune"] > 30000
    env = environment(new_database(), tmp_path / "media")

    first = run(["sh", "scripts/post-deploy"], env)
    communes = expected["commune"]
    assert f"communes : {communes} ({communes} créé(s), 0 mis à jour)" in first.stdout
    # Every `up` runs it again: nothing is created twice.
    again = run(["sh", "scripts/post-deploy"], env)
    assert f"communes : {communes} (0 créé(s), 0 mis à jour)" in again.stdout

    probe = run([env["PYTHON"], "-m", "tests.operations.fresh_install_probe"], env)
    found = json.loads(probe.stdout.strip().splitlines()[-1])
    assert found["counts"] == expected
    assert found["amiens"] == ["Amiens", "80", "epci"]
    assert found["search_finds_amiens"]
    assert (found["status"], found["territory"]) == ("submitted", "80021")
