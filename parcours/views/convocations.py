"""Coordinators: who was convened to a session and when, and sending a convocation
again, to everyone expected or to one person."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Max
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from organisations.access import organisation_view
from organisations.models import Organisation
from parcours import notices, selectors
from parcours.access import get_session_for_user_or_404
from parcours.models import Convocation
from parcours.services.convocations import resend_convocations, resent_message
from sillon.formatting import format_moment, format_session_when

User = get_user_model()
PEOPLE_PER_PAGE = 50
EVERYONE = "tous"


def _resend(request, organisation, session):
    target = request.POST.get("personne", "")
    person = None
    if target != EVERYONE:
        if not target.isdigit():
            raise Http404
        person = selectors.expected_participants(session).filter(pk=int(target)).first()
        if person is None:
            raise Http404
    try:
        rows = resend_convocations(session=session, acting_user=request.user, user=person)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, resent_message(rows, person))


@organisation_view("parcours.manage_programme")
def session_convocations(request, organisation: Organisation, session_id: int):
    session = get_session_for_user_or_404(request.user, organisation, session_id)
    if request.method == "POST":
        _resend(request, organisation, session)
        return redirect(request.get_full_path())
    people = selectors.expected_participants(session).order_by(
        "last_name", "first_name", "email", "pk"
    )
    page = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    users = list(page.object_list)
    ids = [user.pk for user in users]
    sent = {
        row["user_id"]: row
        for row in Convocation.objects.filter(session=session, user_id__in=ids)
        .values("user_id")
        .annotate(last=Max("sent_at"), total=Count("pk"))
    }
    facilitator_ids = set(session.facilitators.values_list("pk", flat=True))
    rows = [
        {
            "user": user,
            "name": user.get_full_name() or user.email,
            "is_facilitator": user.pk in facilitator_ids,
            "last": format_moment(sent[user.pk]["last"], organisation) if user.pk in sent else "",
            "count": sent[user.pk]["total"] if user.pk in sent else 0,
        }
        for user in users
    ]
    return render(
        request,
        "parcours/session_convocations.html",
        {
            "session": session,
            "programme": session.programme,
            "when": format_session_when(session),
            "page": page,
            "rows": rows,
            "everyone": EVERYONE,
            "can_convene": notices.still_relevant(session, notices.CONVOCATION),
            "title": _("Convocations"),
        },
    )
