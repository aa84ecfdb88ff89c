"""The application's human reference « AMI-2026-013 »: given at the first submission,
numbered per organisation and year of submission, kept when the application is
reopened and submitted again, and shown to people wherever the internal id was: the
receipt, the confirmation e-mail, the applicant's summary and the coordinator's review."""

import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from pypdf import PdfReader

from candidatures import services
from candidatures.models import Application
from candidatures.receipts import application_receipt_pdf
from tests.candidatures.applications.conftest import complete_application, url
from tests.factories import CallFactory, MembershipFactory, build_application, build_programme

pytestmark = pytest.mark.django_db


def year() -> int:
    return timezone.localtime(timezone.now()).year


def submit(application, lead) -> Application:
    with scope(organisation=application.organisation_id):
        return services.submit_application(application=application, acting_user=lead)


def new_application(call) -> Application:
    with scopes_disabled():
        return build_application(call=call, complete=True)


def test_the_reference_follows_the_format_and_a_sequence_per_organisation(world):
    first = new_application(world.call)
    second = new_application(world.call)
    with scopes_disabled():
        elsewhere = build_programme(teams=0)
        other_call = CallFactory(cohort=elsewhere.cohort, published=True)
    other = new_application(other_call)

    first = submit(first, first.created_by)
    assert first.reference == f"AMI-{year()}-001"
    assert submit(second, second.created_by).reference == f"AMI-{year()}-002"
    # Another organisation counts on its own.
    assert submit(other, other.created_by).reference == f"AMI-{year()}-001"
    assert re.fullmatch(r"AMI-\d{4}-\d{3}", first.reference)
    with scopes_disabled():
        assert Application.objects.get(pk=second.pk).reference == f"AMI-{year()}-002"


def test_each_year_starts_again_and_numbers_follow_the_highest(world):
    with scopes_disabled():
        old = new_application(world.call)
        Application.objects.filter(pk=old.pk).update(reference=f"AMI-{year() - 1}-057")
        high = new_application(world.call)
        Application.objects.filter(pk=high.pk).update(reference=f"AMI-{year()}-041")
    fresh = new_application(world.call)
    assert submit(fresh, fresh.created_by).reference == f"AMI-{year()}-042"


def test_a_draft_has_no_reference_and_a_resubmission_keeps_it(world):
    with scope(organisation=world.organisation.pk):
        application = complete_application(world)
        assert application.reference == ""
        services.submit_application(application=application, acting_user=world.lead)
        application.refresh_from_db()
        reference = application.reference
        assert reference == f"AMI-{year()}-001"
        services.reopen_application(
            application=application,
            acting_user=world.coordinator,
            until=timezone.now() + timedelta(days=3),
        )
        services.submit_application(application=application, acting_user=world.lead)
        application.refresh_from_db()
        assert application.status == "submitted"
        assert application.reference == reference


def test_the_reference_is_shown_on_the_receipt_email_and_pages(client, world, mailoutbox):
    with scope(organisation=world.organisation.pk):
        application = complete_application(world)
        services.submit_application(application=application, acting_user=world.lead)
        application.refresh_from_db()
        reference = application.reference
        pdf = application_receipt_pdf(application)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert reference in text

    confirmation = next(m for m in mailoutbox if m.to == [world.lead.email])
    assert f"Numéro de la candidature : {reference}" in confirmation.body

    client.force_login(world.lead)
    assert reference in client.get(url("application_detail", world, application)).text

    with scopes_disabled():
        coordinator = MembershipFactory(organisation=world.organisation, coordinator=True).user
    client.force_login(coordinator)
    review = reverse(
        "candidatures:application_review",
        args=[world.organisation.slug, world.programme.pk, world.call.pk, application.pk],
    )
    assert reference in client.get(review).text
