"""The portal's URLs plus the benchmark's admin site (used only while `manage.py benchmark` runs)."""

from django.urls import path

from hdnd_portal.urls import handler400, handler403, handler404, handler500  # noqa: F401
from hdnd_portal.urls import urlpatterns as portal_urlpatterns

from .site import bench_admin_site

urlpatterns = [path("bench-admin/", bench_admin_site.urls), *portal_urlpatterns]
