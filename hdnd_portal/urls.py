from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from hdnd_portal.core.views.home import home

urlpatterns = [
    path("", home, name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("core/", include("hdnd_portal.core.urls")),
    path("notifications/", include("hdnd_portal.notifications.urls")),
    path("reports/", include("hdnd_portal.reports.urls")),
    path("sessions/", include("sessions.urls")),
    path("oversight/", include("oversight.urls")),
    path("voters/", include("voters.urls")),
    path("citizens/", include("citizens.urls")),
    path("programmes/", include("programmes.urls")),
    path("", include("public.urls")),
    path("api/", include("hdnd_portal.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file, as the Content-Security-Policy asks.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]
# Uploaded files are never served from a public /media/ URL (not even with DEBUG on): they leave
# the portal only through views that check permission.

handler400 = "hdnd_portal.errors.bad_request"
handler403 = "hdnd_portal.errors.permission_denied"
handler404 = "hdnd_portal.errors.page_not_found"
handler500 = "hdnd_portal.errors.server_error"
