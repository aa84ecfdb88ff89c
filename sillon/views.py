"""Pages that belong to no organisation: legal pages, errors."""

import sys

from django.shortcuts import render
from django.utils.translation import gettext as _

from .database_outage import is_database_outage, service_unavailable


def accessibility(request):
    return render(request, "pages/accessibility.html")


def personal_data(request):
    return render(request, "pages/personal_data.html")


def legal_notice(request):
    return render(request, "pages/legal_notice.html")


def csrf_failure(request, reason=""):
    return render(
        request,
        "errors/csrf.html",
        {"title": _("Formulaire expiré ou incomplet")},
        status=403,
    )


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    # The database down before the view (a middleware read the session or the user):
    # the 503 page, not a 500 (sillon/database_outage.py).
    exception = sys.exception()
    if is_database_outage(exception):
        return service_unavailable(request, exception)
    return render(request, "errors/500.html", status=500)


def too_many_requests(request):
    """allauth's rate limits (too many logins from one address…): a French page, 429."""
    return render(request, "errors/429.html", status=429)
