from django.urls import path

from .models import CouncilSession, Resolution
from .views import deputy as dp
from .views import documents as d
from .views import resolutions as r
from .views import sessions as s
from .views import voting as v

app_name = "sessions"

urlpatterns = [
    path("", s.SessionList.as_view(), name="session_list"),
    path("calendar/", s.SessionCalendar.as_view(), name="session_calendar"),
    path("new/", s.SessionCreate.as_view(), name="session_create"),
    path("my/", dp.MySessions.as_view(), name="my_sessions"),
    path("<int:pk>/", s.SessionDetail.as_view(), name="session_detail"),
    path("<int:pk>/edit/", s.SessionEdit.as_view(), name="session_edit"),
    path("<int:pk>/status/", s.SessionStatus.as_view(), name="session_status"),
    path("<int:pk>/held/", s.SessionRecordHeld.as_view(), name="session_record_held"),
    path("<int:pk>/groups/new/", s.IssueGroupCreate.as_view(), name="group_create"),
    path("<int:pk>/items/new/", s.AgendaItemCreate.as_view(), name="item_create"),
    path("<int:pk>/reorder/", s.AgendaReorder.as_view(), name="agenda_reorder"),
    path("<int:pk>/attendance/", s.AttendanceEdit.as_view(), name="attendance"),
    path("<int:pk>/documents/new/", d.DocumentCreate.as_view(), name="document_create"),
    path("<int:pk>/minutes/", dp.MinutesPage.as_view(), name="minutes"),
    path("<int:pk>/minutes.pdf", dp.MinutesDownload.as_view(fmt="pdf"), name="minutes_pdf"),
    path("<int:pk>/minutes.docx", dp.MinutesDownload.as_view(fmt="docx"), name="minutes_docx"),
    path(
        "<int:pk>/notice/",
        dp.AttachedFile.as_view(model=CouncilSession, field="notice_file", permission="can_view_session"),
        name="notice_file",
    ),
    path(
        "resolutions/<int:pk>/signed/",
        dp.AttachedFile.as_view(model=Resolution, field="signed_file", permission="can_view_resolution"),
        name="signed_file",
    ),
    path("groups/<int:pk>/edit/", s.IssueGroupEdit.as_view(), name="group_edit"),
    path("items/<int:pk>/edit/", s.AgendaItemEdit.as_view(), name="item_edit"),
    path("items/<int:pk>/move/", s.AgendaItemMove.as_view(), name="item_move"),
    path("items/<int:pk>/delete/", s.AgendaItemDelete.as_view(), name="item_delete"),
    path("items/<int:pk>/vote/", s.VoteRecord.as_view(), name="vote_record"),
    path("items/<int:pk>/poll/", v.PollOpen.as_view(), name="poll_open"),
    path("polls/<int:pk>/", v.PollDetail.as_view(), name="poll_detail"),
    path("polls/<int:pk>/tally/", v.PollTally.as_view(), name="poll_tally"),
    path("polls/<int:pk>/cast/", v.PollCast.as_view(), name="poll_cast"),
    path("polls/<int:pk>/close/", v.PollClose.as_view(), name="poll_close"),
    path("documents/", d.DocumentList.as_view(), name="document_list"),
    path("documents/<int:pk>/", d.DocumentDetail.as_view(), name="document_detail"),
    path("documents/<int:pk>/edit/", d.DocumentEdit.as_view(), name="document_edit"),
    path("documents/<int:pk>/version/", d.DocumentVersionUpload.as_view(), name="document_version"),
    path("documents/<int:pk>/send/", d.DocumentSend.as_view(), name="document_send"),
    path("documents/<int:pk>/file/", d.DocumentDownload.as_view(), name="document_download"),
    path("documents/<int:pk>/verify/", d.VerificationAssign.as_view(), name="verification_assign"),
    path("verifications/", d.VerificationList.as_view(), name="verification_list"),
    path("verifications/<int:pk>/", d.VerificationDetail.as_view(), name="verification_detail"),
    path("verifications/<int:pk>/edit/", d.VerificationEdit.as_view(), name="verification_edit"),
    path("resolutions/", r.ResolutionList.as_view(), name="resolution_list"),
    path("resolutions/new/", r.ResolutionCreate.as_view(), name="resolution_create"),
    path("resolutions/<int:pk>/", r.ResolutionDetail.as_view(), name="resolution_detail"),
    path("resolutions/<int:pk>/edit/", r.ResolutionEdit.as_view(), name="resolution_edit"),
]
