from django.contrib.admin import AdminSite
from django_scopes import scopes_disabled


class PlatformAdminSite(AdminSite):
    """The platform staff's admin works across organisations, explicitly: every admin view
    (and the rendering of its response) runs with scopes disabled."""

    site_header = "Sillon — administration de la plateforme"
    site_title = "Sillon"
    index_title = "Administration"

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def unscoped_view(request, *args, **kwargs):
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

    def login(self, request, extra_context=None):
        # One login for everyone (allauth: codes, lockout, two-factor), admin included.
        from django.contrib.auth.views import redirect_to_login
        from django.urls import reverse

        next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        return redirect_to_login(next_url, login_url=reverse("account_login"))
