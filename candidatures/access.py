"""Getting a call or an application the current user may see, or 404.

A call's public pages show a published call to anyone; coordinators also see drafts.
An application is seen by its applicants — its lead and the people who joined it — and
by the organisation's reviewers (through the selection pages, not these helpers).
"""

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from candidatures.models import Application, ApplicationMember, Call
from organisations.models import Organisation
from organisations.rules import is_coordinator


def get_public_call_or_404(user, organisation: Organisation, call_slug: str) -> Call:
    """A published call by its slug; a coordinator of the organisation also reaches a
    draft (to preview it)."""
    calls = Call.objects.select_related("programme", "cohort", "webinar")
    call = get_object_or_404(calls, organisation=organisation, slug=call_slug)
    if not call.is_published and not is_coordinator(user, organisation):
        raise Http404
    return call


def applications_of(user, call: Call):
    """The applications to ``call`` that ``user`` leads or has joined."""
    if not user.is_authenticated:
        return Application.objects.none()
    joined = ApplicationMember.objects.filter(user=user, application__call=call).values(
        "application_id"
    )
    return Application.objects.filter(call=call).filter(Q(created_by=user) | Q(pk__in=joined))


def get_application_for_applicant_or_404(
    user, organisation: Organisation, call_slug: str, application_id: int
) -> Application:
    """An application of the call ``call_slug`` that ``user`` leads or has joined (the
    call may have closed since, but must still be published)."""
    if not user.is_authenticated:
        raise Http404
    call = get_public_call_or_404(user, organisation, call_slug)
    return get_object_or_404(
        applications_of(user, call).select_related("call", "territory", "created_by"),
        pk=application_id,
    )


def applicant_member(user, application: Application) -> ApplicationMember | None:
    """``user``'s own line in the application's team, if they joined it."""
    return application.members.filter(user=user).first()
