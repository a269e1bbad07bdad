"""Included once at the site root: the public site under /cong-khai/ and the staff API under
/api/public-admin/."""

from django.urls import include, path, re_path

from . import api, staff, views

app_name = "public"

C = "cong-khai/<slug:slug>/"

urlpatterns = [
    path("cong-khai/", views.home, name="home"),
    path("cong-khai/tra-cuu/", views.track, name="track"),
    path("cong-khai/theo-doi/", views.subscribe, name="subscribe"),
    path("cong-khai/theo-doi/xac-nhan/<str:token>/", views.confirm, name="confirm"),
    path("cong-khai/theo-doi/huy/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("cong-khai/du-lieu/", views.datasets, name="datasets"),
    path("cong-khai/quan-tri/", staff.publish_page, name="staff"),
    path(C, views.council_home, name="council"),
    path(C + "du-lieu/", views.council_datasets, name="council_datasets"),
    path(C + "ky-hop/", views.sessions, name="sessions"),
    path(C + "ky-hop/<int:pk>/", views.session_detail, name="session"),
    re_path(r"^cong-khai/(?P<slug>[-a-zA-Z0-9_]+)/ky-hop\.(?P<fmt>json|csv|ics)$", views.sessions_data,
            name="sessions_data"),
    path(C + "nghi-quyet/", views.resolutions, name="resolutions"),
    path(C + "nghi-quyet/<int:pk>/", views.resolution_detail, name="resolution"),
    path(C + "nghi-quyet/<int:pk>/tep/", views.resolution_file, name="resolution_file"),
    re_path(r"^cong-khai/(?P<slug>[-a-zA-Z0-9_]+)/nghi-quyet\.(?P<fmt>json|csv|atom)$", views.resolutions_data,
            name="resolutions_data"),
    path(C + "giam-sat/", views.oversight, name="oversight"),
    path(C + "giam-sat/<int:pk>/", views.activity_detail, name="activity"),
    re_path(r"^cong-khai/(?P<slug>[-a-zA-Z0-9_]+)/giam-sat\.(?P<fmt>json|csv)$", views.oversight_data,
            name="oversight_data"),
    path(C + "kien-nghi/", views.petitions, name="petitions"),
    path(C + "kien-nghi/<int:pk>/", views.petition_detail, name="petition"),
    re_path(r"^cong-khai/(?P<slug>[-a-zA-Z0-9_]+)/kien-nghi\.(?P<fmt>json|csv|atom)$", views.petitions_data,
            name="petitions_data"),
    path(C + "tiep-cong-dan/", views.reception, name="reception"),
    re_path(r"^cong-khai/(?P<slug>[-a-zA-Z0-9_]+)/tiep-cong-dan\.(?P<fmt>json|csv|ics)$", views.reception_data,
            name="reception_data"),
    path(C + "dai-bieu/", views.deputies, name="deputies"),
    re_path(r"^cong-khai/(?P<slug>[-a-zA-Z0-9_]+)/dai-bieu\.(?P<fmt>json|csv)$", views.deputies_data,
            name="deputies_data"),
    path("api/public-admin/", include(api.router.urls)),
]
