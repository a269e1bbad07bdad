from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.ReportListView.as_view(), name="report_list"),
    path("new/", views.ReportRequestView.as_view(), name="report_request"),
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("<int:pk>/", views.ReportDetailView.as_view(), name="report_detail"),
    path("<int:pk>/progress/", views.ReportProgressView.as_view(), name="report_progress"),
    path("<int:pk>/narrative/", views.ReportNarrativeView.as_view(), name="report_narrative"),
    path("<int:pk>/regenerate/", views.ReportRegenerateView.as_view(), name="report_regenerate"),
    path("<int:pk>/download/<str:fmt>/", views.ReportDownloadView.as_view(), name="report_download"),
]
