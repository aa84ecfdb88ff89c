from django.contrib.admin import AdminSite
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled


class PlatformAdminSite(AdminSite):
    """The platform staff's admin works across organisations, explicitly: every admin view
    (and the rendering of its response) runs with scopes disabled.

    It opens only to staff behind a second factor (``staff_gate``): a logged-in person who
    is not staff gets a refusal page, staff without an authenticator app are sent to set
    one up, and staff who have one but did not give a code in this session are asked for
    it. Anonymous visitors go to the site's one login page (allauth, with its two-factor
    step), never to a login form of the admin's own.
    """

    site_header = "Sillon — administration de la plateforme"
    site_title = "Sillon"
    index_title = "Administration"

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def unscoped_view(request, *args, **kwargs):
            refusal = self.staff_gate(request)
            if refusal is not None:
                return refusal
            with scopes_disabled():
                response = inner(request, *args, **kwargs)
                if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                    response.render()
                return response

        unscoped_view.__wrapped__ = inner
        for attribute in ("csrf_exempt", "admin_site"):
            if hasattr(inner, attribute):
                setattr(unscoped_view, attribute, getattr(inner, attribute))
        return unscoped_view

    def staff_gate(self, request):
        """``None`` when the request may reach the admin (or is anonymous: the admin sends
        it to the login page), else the response that stops it."""
        # The admin site is built before the apps are ready; accounts is imported late.
        from accounts.second_factor import (
            has_totp,
            passed_second_factor,
            redirect_to_totp_set_up,
        )

        user = request.user
        if not user.is_authenticated:
            return None
        if not (user.is_active and user.is_staff):
            return render(request, "admin/refused.html", status=403)
        if not has_totp(user):
            return redirect_to_totp_set_up(
                request,
                _(
                    "L'administration de la plateforme demande la double authentification. "
                    "Configurez une application d'authentification pour continuer."
                ),
            )
        if not passed_second_factor(request):
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse('mfa_reauthenticate')}?{query}")
        return None

    def login(self, request, extra_context=None):
        # One login for everyone (allauth: codes, lockout, two-factor), admin included.
        from django.contrib.auth.views import redirect_to_login

        next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        if request.user.is_authenticated:
            # Already logged in: the admin's own gate decides (refusal, set-up, code).
            return self.staff_gate(request) or HttpResponseRedirect(
                reverse("admin:index", current_app=self.name)
            )
        return redirect_to_login(next_url, login_url=reverse("account_login"))
