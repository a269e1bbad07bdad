"""API root: the core endpoints plus one prefix per app (each app's api.py has urlpatterns)."""

from django.urls import include, path

from hdnd_portal.core.views.tokens import TokenView

urlpatterns = [
    path("core/token/", TokenView.as_view(), name="api-token"),
    path("core/", include("hdnd_portal.core.api")),
    path("notifications/", include("hdnd_portal.notifications.api")),
    path("reports/", include("hdnd_portal.reports.api")),
    path("sessions/", include("sessions.api")),
    path("oversight/", include("oversight.api")),
    path("voters/", include("voters.api")),
    path("citizens/", include("citizens.api")),
    path("programmes/", include("programmes.api")),
]
