from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from organisations import views as organisation_views

from . import views
from .health import health_view

handler404 = "sillon.views.page_not_found"
handler500 = "sillon.views.server_error"
# allauth answers a rate limit it enforces with this page (HTTP 429).
handler429 = "sillon.views.too_many_requests"

urlpatterns = [
    path("", organisation_views.home, name="home"),
    path("admin/", admin.site.urls),
    path("auth/", include("allauth.urls")),
    path("compte/", include("accounts.urls")),
    path("invitation/<str:token>/", organisation_views.invitation_accept, name="invitation_accept"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("donnees-personnelles/", views.personal_data, name="personal_data"),
    path("mentions-legales/", views.legal_notice, name="legal_notice"),
    path("health/", health_view, name="health"),
    path("", include("parcours.global_urls")),
    path("", include("candidatures.global_urls")),
    path("", include("notifications.global_urls")),
    path("territoires/", include("territoires.urls")),
    # Every tenant page lives under /<organisation-slug>/ (see organisations.middleware).
    path("<slug:organisation_slug>/", include("organisations.urls")),
    path("<slug:organisation_slug>/", include("parcours.urls")),
    path("<slug:organisation_slug>/", include("candidatures.urls")),
    path("<slug:organisation_slug>/", include("inscriptions.urls")),
    path("<slug:organisation_slug>/", include("sondages.urls")),
    path("<slug:organisation_slug>/", include("presences.urls")),
    path("<slug:organisation_slug>/", include("plans.urls")),
    path("<slug:organisation_slug>/", include("codev.urls")),
    path("<slug:organisation_slug>/", include("ressources.urls")),
    path("<slug:organisation_slug>/", include("evaluation.urls")),
    path("<slug:organisation_slug>/", include("documents.urls")),
    path("<slug:organisation_slug>/", include("notifications.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
