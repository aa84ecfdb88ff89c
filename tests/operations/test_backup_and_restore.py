"""Backups that restore: the demo on PostgreSQL with an uploaded file, backed up by
``scripts/backup`` (pg_dump, custom format, and the media tarball), restored by
``scripts/restore`` into a new database and a new media folder, where ``check_restore``
finds every migration, every file and the same rows; a missing file is reported."""

import re

from tests.operations.conftest import environment, manage, run

ADD_LOGO = """
from django.core.files.base import ContentFile
from django_scopes import scopes_disabled
from organisations.models import Organisation
with scopes_disabled():
    organisation = Organisation.objects.order_by("pk").first()
    organisation.logo.save("logo.png", ContentFile(b"not really a png"), save=True)
    print(organisation.logo.name)
"""


def counts(output: str) -> dict[str, int]:
    return {
        label: int(number)
        for label, number in re.findall(r"^  ([\w.]+) : (\d+)$", output, flags=re.MULTILINE)
    }


def test_a_backup_restores_into_a_consistent_instance(new_database, tmp_path):
    source = environment(new_database(), tmp_path / "media")
    manage("migrate", "--noinput", env=source)
    manage("load_demo", env=source)
    logo = manage("shell", "-c", ADD_LOGO, env=source).stdout.strip().splitlines()[-1]
    before = manage("check_restore", env=source).stdout

    backup = tmp_path / "backup"
    run(["scripts/backup", str(backup)], source)
    assert {p.name for p in backup.iterdir()} == {"database.dump", "media.tar.gz", "SHA256SUMS"}

    restored = environment(new_database(), tmp_path / "restored-media")
    result = run(["scripts/restore", str(backup)], restored)
    assert "Migrations : toutes appliquées." in result.stdout
    assert "Instance cohérente." in result.stdout
    # The demo's own files (library, minutes, syntheses) and the logo, all restored.
    files = re.search(r"^Fichiers : (\d+) vérifié\(s\)\.$", before, flags=re.MULTILINE)
    assert files and int(files.group(1)) > 1
    assert files.group(0) in result.stdout
    assert (tmp_path / "restored-media" / logo).read_bytes() == b"not really a png"
    after = counts(result.stdout)
    assert after == counts(before)
    assert after["territoires.Territory"] > 30000
    assert after["organisations.Organisation"] == 2
    assert after["parcours.Session"] > 0

    # A file lost on the way: named, and the check fails.
    (tmp_path / "restored-media" / logo).unlink()
    failed = manage("check_restore", env=restored, check=False)
    assert failed.returncode == 1
    assert "fichier absent du stockage : organisations.Organisation.logo" in failed.stderr
    assert logo in failed.stderr


def test_check_restore_refuses_a_database_without_its_migrations(new_database, tmp_path):
    empty = environment(new_database(), tmp_path / "media")
    result = manage("check_restore", env=empty, check=False)
    assert result.returncode == 1
    assert "migration(s) non appliquée(s)" in result.stderr
