"""Pages that belong to no organisation: legal pages, errors."""

from django.shortcuts import render
from django.utils.translation import gettext as _


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
    return render(request, "errors/500.html", status=500)


def too_many_requests(request):
    """allauth's rate limits (too many logins from one address…): a French page, 429."""
    return render(request, "errors/429.html", status=429)
