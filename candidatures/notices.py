"""Messages of the call for applications, written to the outbox
(``notifications.services``) by the candidatures service that acts, inside its
transaction (delivery starts after commit):

* a person proposed in an application is invited to complete it
  (``send_member_invitation``): to the address the lead typed, since they may have no
  account yet;
* an application was submitted (``send_submission_confirmation``): its lead and every
  person who joined it get the confirmation, with the PDF receipt attached;
* decisions were announced (``send_decisions``): the lead and every person of the
  application, with an account or only the address the lead typed, get the e-mail of
  their decision (selected, waiting list, not selected with the reasons).

The invitation to join the team of a selected application is parcours'
(``parcours.notices.send_team_invitation``).

Invitations and decisions are mandatory: no preference stops them, a bounced address
does (the row is written « suppressed » and the coordinator sees it).
"""

from collections import defaultdict

from django.urls import reverse
from django.utils.translation import gettext as _
from django_scopes import scope

from candidatures.models import Application, ApplicationMember
from candidatures.receipts import application_receipt_pdf, receipt_filename
from notifications import services
from notifications.models import Category
from parcours.receipts import format_moment
from sillon.mail import absolute_url

MEMBER_INVITATION_KIND = "application.invitation"
SUBMITTED_KIND = "application.submitted"
DECISION_KINDS = {
    Application.Decision.SELECTED: "application.selected",
    Application.Decision.WAITING_LIST: "application.waiting_list",
    Application.Decision.NOT_SELECTED: "application.not_selected",
}
DECISION_TEMPLATES = {
    decision: "candidatures/email/" + kind.replace(".", "_")
    for decision, kind in DECISION_KINDS.items()
}


def _name_of(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.email


def application_path(application: Application) -> str:
    return reverse(
        "candidatures:application_detail",
        kwargs={
            "organisation_slug": application.organisation.slug,
            "call_slug": application.call.slug,
            "application_id": application.pk,
        },
    )


def receipt_path(application: Application) -> str:
    return reverse(
        "candidatures:application_receipt",
        kwargs={
            "organisation_slug": application.organisation.slug,
            "call_slug": application.call.slug,
            "application_id": application.pk,
        },
    )


def join_path(member: ApplicationMember) -> str:
    application = member.application
    return reverse(
        "candidatures:application_join",
        kwargs={
            "organisation_slug": application.organisation.slug,
            "call_slug": application.call.slug,
            "token": member.token,
        },
    )


def _load_applications(ids) -> list[Application]:
    return list(
        Application.objects.filter(pk__in=ids)
        .select_related("organisation", "call__programme", "territory", "created_by")
        .order_by("pk")
    )


def applicants_by_application(applications) -> dict[int, list]:
    """{application id: [users]}: the lead and every person who joined, each once, lead
    first (one query for any number of applications)."""
    people: dict[int, dict[int, object]] = defaultdict(dict)
    for application in applications:
        people[application.pk][application.created_by_id] = application.created_by
    joined = (
        ApplicationMember.objects.filter(
            application__in=[application.pk for application in applications],
            user__isnull=False,
        )
        .select_related("user")
        .order_by("-is_lead", "pk")
    )
    for member in joined:
        people[member.application_id].setdefault(member.user_id, member.user)
    return {application_id: list(users.values()) for application_id, users in people.items()}


def decision_recipients(applications) -> dict[int, list[tuple[object | None, str, str]]]:
    """{application id: [(user or None, address, first name)]}: the lead, then every
    person of the application, each address once. A person who joined is written to
    through their account; one who has not yet, at the address the lead typed (one
    query for any number of applications)."""
    people: dict[int, list] = defaultdict(list)
    seen: dict[int, set[str]] = defaultdict(set)

    def add(application_id, user, address, first_name):
        key = (user.email if user is not None and not address else address).lower()
        if not key or key in seen[application_id]:
            return
        seen[application_id].add(key)
        people[application_id].append((user, address, first_name))

    for application in applications:
        lead = application.created_by
        add(application.pk, lead, "", lead.first_name)
    members = ApplicationMember.objects.filter(
        application__in=[application.pk for application in applications]
    ).select_related("user")
    for member in members.order_by("-is_lead", "pk"):
        if member.user_id is not None:
            add(member.application_id, member.user, "", member.user.first_name)
            # Their account's address is theirs; the typed one is the same person.
            seen[member.application_id].add(member.email.lower())
        elif member.email:
            add(member.application_id, None, member.email, member.first_name)
    return people


# --- Co-filling invitation ------------------------------------------------------------


def send_member_invitation(member: ApplicationMember, acting_user=None) -> list:
    """The invitation to complete ``member``'s part of the application, at their address."""
    with scope(organisation=member.organisation_id):
        member = ApplicationMember.objects.select_related(
            "role",
            "user",
            "application__organisation",
            "application__call__programme",
            "application__territory",
            "application__created_by",
        ).get(pk=member.pk)
        application = member.application
        organisation, call = application.organisation, application.call
        inviter = _name_of(acting_user) or _name_of(application.created_by)
        url = join_path(member)
        subject = _("Invitation à compléter une candidature — %(call)s") % {"call": call.title}
        context = {
            "recipient": {"first_name": member.first_name},
            "member": member,
            "application": application,
            "call": call,
            "programme": call.programme,
            "territory_name": application.display_name,
            "inviter": inviter,
            "deadline": format_moment(application.deadline(), organisation.time_zone),
            "url": absolute_url(url),
            "unsubscribe_url": "",
        }

        def build(user) -> services.Email:
            return services.render_email(
                template="candidatures/email/application_invitation",
                subject=subject,
                organisation=organisation,
                context=context,
            )

        return services.send_batch(
            organisation=organisation,
            deliveries=[services.Delivery(member.user, build, url, email=member.email)],
            kind=MEMBER_INVITATION_KIND,
            category=Category.REQUESTS,
            mandatory=True,
        )


# --- Submission -----------------------------------------------------------------------


def send_submission_confirmation(application: Application, acting_user=None) -> list:
    """The confirmation, with the receipt (one PDF for everyone), to each applicant."""
    with scope(organisation=application.organisation_id):
        (application,) = _load_applications([application.pk])
        organisation, call = application.organisation, application.call
        recipients = applicants_by_application([application])[application.pk]
        receipt = services.Attachment(
            filename=receipt_filename(application),
            mimetype="application/pdf",
            content=application_receipt_pdf(application),
        )
        url = application_path(application)
        subject = _("Candidature déposée — %(name)s — %(call)s") % {
            "name": application.display_name,
            "call": call.title,
        }
        members = list(
            ApplicationMember.objects.filter(application=application)
            .select_related("role")
            .order_by("-is_lead", "role__order", "pk")
        )
        context = {
            "application": application,
            "call": call,
            "programme": call.programme,
            "territory_name": application.display_name,
            "members": members,
            "submitted_when": format_moment(application.submitted_at, organisation.time_zone),
            "closes_when": format_moment(call.closes_at, organisation.time_zone),
            "submitted_by": _name_of(acting_user),
            "receipt_filename": receipt.filename,
            "receipt_url": absolute_url(receipt_path(application)),
            "url": absolute_url(url),
            "unsubscribe_url": "",
        }

        def build(user) -> services.Email:
            return services.render_email(
                template="candidatures/email/application_submitted",
                subject=subject,
                organisation=organisation,
                context={**context, "recipient": user},
                attachments=[receipt],
            )

        return services.send(
            organisation=organisation,
            recipients=recipients,
            kind=SUBMITTED_KIND,
            category=Category.TEAM_NEWS,
            build=build,
            url=url,
            mandatory=True,
        )


# --- Decisions ------------------------------------------------------------------------


def _decision_subject(decision: str, application: Application) -> str:
    names = {"name": application.display_name, "call": application.call.title}
    if decision == Application.Decision.SELECTED:
        return _("Candidature retenue — %(name)s — %(call)s") % names
    if decision == Application.Decision.WAITING_LIST:
        return _("Candidature sur liste d’attente — %(name)s — %(call)s") % names
    return _("Candidature non retenue — %(name)s — %(call)s") % names


def send_decisions(applications, acting_user=None) -> list:
    """Every person of each announced application (``decision_recipients``) gets the
    e-mail of its decision, those without an account at their address (one batch per
    decision: a fixed number of queries for any number of applications)."""
    applications = [application for application in applications if application.decision]
    if not applications:
        return []
    organisation_id = applications[0].organisation_id
    with scope(organisation=organisation_id):
        loaded = _load_applications([application.pk for application in applications])
        people = decision_recipients(loaded)
        organisation = loaded[0].organisation
        batches: dict[str, list[services.Delivery]] = defaultdict(list)
        for application in loaded:
            if application.decision not in DECISION_KINDS:
                continue
            url = application_path(application)
            context = {
                "application": application,
                "call": application.call,
                "programme": application.call.programme,
                "territory_name": application.display_name,
                "reasons": application.decision_reasons.strip(),
                "url": absolute_url(url),
                "unsubscribe_url": "",
            }
            subject = _decision_subject(application.decision, application)
            template = (
                f"candidatures/email/{DECISION_KINDS[application.decision].replace('.', '_')}"
            )

            for user, address, first_name in people.get(application.pk, []):

                def build(
                    user,
                    context=context,
                    subject=subject,
                    template=template,
                    first_name=first_name,
                ):
                    return services.render_email(
                        template=template,
                        subject=subject,
                        organisation=organisation,
                        context={**context, "recipient": user or {"first_name": first_name}},
                    )

                batches[application.decision].append(
                    services.Delivery(user, build, url, email=address)
                )
        messages = []
        for decision, deliveries in batches.items():
            messages += services.send_batch(
                organisation=organisation,
                deliveries=deliveries,
                kind=DECISION_KINDS[decision],
                category=Category.TEAM_NEWS,
                mandatory=True,
            )
        return messages
