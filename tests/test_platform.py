import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from accounts.models import User
from organisations.models import AuditEntry, Invitation, Membership, Organisation
from organisations.tasks import tenant_task
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.second_factor import login_past_second_factor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_settings(**env):
    """Import the settings in a fresh interpreter with ``env``; return the process."""
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import sillon.settings as s; print(s.DATABASES['default']['ENGINE'])",
        ],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_secret_key_is_required_when_debug_is_off():
    result = run_settings(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY doit être défini" in result.stderr


def test_default_database_is_an_embedded_sqlite_file():
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sillon.settings as s; "
            "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER)",
        ],
        cwd=ROOT,
        env={k: v for k, v in env.items() if k not in {"REDIS_URL", "CELERY_BROKER_URL"}},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True"]


@pytest.mark.django_db
def test_health_endpoint_reports_database_and_cache(client):
    response = client.get(reverse("health"), {"format": "json"})
    assert response.status_code == 200
    assert any("Database" in key for key in response.json())


@pytest.mark.django_db
def test_create_organisation_command_invites_the_first_coordinator():
    out = StringIO()
    call_command(
        "create_organisation",
        name="CAF de la Creuse",
        slug="caf-creuse",
        coordinator_email="coordination@caf.fr",
        stdout=out,
    )
    organisation = Organisation.objects.get(slug="caf-creuse")
    with scope(organisation=organisation.pk):
        assert Invitation.objects.get().email == "coordination@caf.fr"
    assert mail.outbox[0].to == ["coordination@caf.fr"]
    assert "/invitation/" in out.getvalue()


@pytest.mark.django_db
def test_load_demo_is_idempotent():
    call_command("load_demo", stdout=StringIO())

    def state():
        with scopes_disabled():
            return (
                list(User.objects.order_by("email").values_list("email", "password")),
                list(Organisation.objects.order_by("slug").values_list("slug", "name")),
                list(
                    Membership.objects.order_by("pk").values_list(
                        "user__email", "organisation__slug", "role"
                    )
                ),
                AuditEntry.objects.count(),
            )

    first = state()
    call_command("load_demo", stdout=StringIO())
    assert state() == first
    assert {"hauts-de-france", "cnfpt"} <= {slug for slug, _ in first[1]}


@pytest.mark.django_db
def test_tenant_tasks_enter_the_organisation_scope():
    membership = MembershipFactory()
    OrganisationFactory()
    MembershipFactory()  # another organisation's member, invisible inside the scope

    @tenant_task()
    def count_members(organisation):
        return Membership.objects.count()

    assert count_members.delay(membership.organisation_id).get() == 1


@pytest.mark.django_db
def test_platform_staff_create_an_organisation_in_the_admin(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    login_past_second_factor(client, staff)
    response = client.post(
        reverse("admin:organisations_organisation_add"),
        {
            "name": "Fabrique des transitions",
            "slug": "fabrique",
            "brand_colour": "#2f5d50",
            "time_zone": "Europe/Paris",
            "first_coordinator_email": "pilote@fabrique.fr",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "invitations-TOTAL_FORMS": "0",
            "invitations-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    organisation = Organisation.objects.get(slug="fabrique")
    with scope(organisation=organisation.pk):
        assert Invitation.objects.get().email == "pilote@fabrique.fr"
    assert client.get(reverse("admin:organisations_organisation_changelist")).status_code == 200


@pytest.mark.django_db
def test_admin_login_goes_through_the_single_login_page(client):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    follow = client.get(response.headers["Location"])
    assert follow.status_code == 302
    assert follow.headers["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_platform_staff_read_the_parcours_of_every_organisation(client):
    from tests.factories import SessionFactory, build_programme

    built = build_programme(teams=1, name="Parcours lu par la plateforme")
    with scope(organisation=built.organisation.pk):
        session = SessionFactory(programme=built.programme, kind=built.kind)
    login_past_second_factor(client, UserFactory(is_staff=True, is_superuser=True))
    for name in ("parcours_programme", "parcours_session", "parcours_team"):
        response = client.get(reverse(f"admin:{name}_changelist"))
        assert response.status_code == 200
    assert (
        "Parcours lu par la plateforme"
        in client.get(reverse("admin:parcours_programme_changelist")).content.decode()
    )
    detail = client.get(reverse("admin:parcours_session_change", args=[session.pk]))
    assert detail.status_code == 200
    assert client.get(reverse("admin:territoires_territory_changelist")).status_code == 200


@pytest.mark.django_db
def test_bound_tenant_tasks_get_the_task_then_the_organisation():
    membership = MembershipFactory()

    @tenant_task(bind=True)
    def describe(task, organisation, suffix):
        return f"{task.name}:{organisation.slug}:{Membership.objects.count()}{suffix}"

    result = describe.delay(membership.organisation_id, "!").get()
    assert result == f"tests.test_platform.describe:{membership.organisation.slug}:1!"
