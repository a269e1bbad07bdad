from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.NotificationList.as_view(), name="list"),
    path("<int:pk>/open/", views.NotificationOpen.as_view(), name="open"),
    path("<int:pk>/read/", views.NotificationRead.as_view(), name="read"),
    path("read-all/", views.NotificationReadAll.as_view(), name="read_all"),
    path("settings/", views.EmailSettings.as_view(), name="settings"),
    path("deadlines/", views.MyDeadlines.as_view(), name="my_deadlines"),
    path("deadlines/council/", views.MyDeadlines.as_view(), {"scope": "council"}, name="council_deadlines"),
    path("deadlines/<int:pk>/", views.DeadlineDetail.as_view(), name="deadline_detail"),
    path("deadlines/<int:pk>/extend/", views.DeadlineExtend.as_view(), name="deadline_extend"),
    path("deadlines/<int:pk>/assign/", views.DeadlineAssign.as_view(), name="deadline_assign"),
    path("deadlines/close-old/", views.DeadlineCloseOld.as_view(), name="deadline_close_old"),
    path("operations/", views.Operations.as_view(), name="operations"),
    path("operations/run/", views.RunScanNow.as_view(), name="run_scan"),
]
