from django.urls import path

from . import views as v

app_name = "programmes"

urlpatterns = [
    path("", v.ProgrammeList.as_view(), name="programme_list"),
    path("dashboard/", v.Dashboard.as_view(), name="dashboard"),
    path("coordination/", v.CoordinationList.as_view(), name="coordination_list"),
    path("new/", v.ProgrammeCreate.as_view(), name="programme_create"),
    path("<int:pk>/", v.ProgrammeDetail.as_view(), name="programme_detail"),
    path("<int:pk>/edit/", v.ProgrammeEdit.as_view(), name="programme_edit"),
    path("<int:pk>/publish/", v.ProgrammePublish.as_view(), name="programme_publish"),
    path("<int:pk>/pdf/", v.ProgrammeDocument.as_view(fmt="pdf"), name="programme_pdf"),
    path("<int:pk>/docx/", v.ProgrammeDocument.as_view(fmt="docx"), name="programme_docx"),
    path("<int:pk>/tasks/new/", v.TaskAdd.as_view(), name="task_add"),
    path("tasks/", v.TaskList.as_view(), name="task_list"),
    path("tasks/<int:pk>/edit/", v.TaskEdit.as_view(), name="task_edit"),
    path("briefings/", v.BriefingList.as_view(), name="briefing_list"),
    path("briefings/new/", v.BriefingCreate.as_view(), name="briefing_create"),
    path("briefings/<int:pk>/", v.BriefingDetail.as_view(), name="briefing_detail"),
    path("briefings/<int:pk>/edit/", v.BriefingEdit.as_view(), name="briefing_edit"),
    path("briefings/<int:pk>/refresh/", v.BriefingRefresh.as_view(), name="briefing_refresh"),
    path("briefings/<int:pk>/tasks/new/", v.BriefingTaskAdd.as_view(), name="briefing_task_add"),
    path("briefing-tasks/<int:pk>/edit/", v.BriefingTaskEdit.as_view(), name="briefing_task_edit"),
    path("issued/", v.IssuedDocumentList.as_view(), name="issued_list"),
    path("issued/new/", v.IssuedDocumentCreate.as_view(), name="issued_create"),
    path("issued/<int:pk>/", v.IssuedDocumentDetail.as_view(), name="issued_detail"),
    path("issued/<int:pk>/edit/", v.IssuedDocumentEdit.as_view(), name="issued_edit"),
    path("issued/<int:pk>/file/", v.IssuedDocumentFile.as_view(), name="issued_file"),
    path("assigned/", v.AssignedList.as_view(), name="assigned_list"),
    path("assigned/<int:pk>/done/", v.AssignedDone.as_view(), name="assigned_done"),
]
