from django.urls import path

from .views import letters as lv
from .views import other
from .views import reception as rv

app_name = "citizens"

urlpatterns = [
    path("schedules/", rv.ScheduleList.as_view(), name="schedule_list"),
    path("schedules/new/", rv.ScheduleCreate.as_view(), name="schedule_create"),
    path("schedules/<int:pk>/", rv.ScheduleDetail.as_view(), name="schedule_detail"),
    path("schedules/<int:pk>/edit/", rv.ScheduleEdit.as_view(), name="schedule_edit"),
    path("schedules/<int:pk>/publish/", rv.SchedulePublish.as_view(), name="schedule_publish"),
    path("schedules/<int:pk>/generate/", rv.ScheduleGenerate.as_view(), name="schedule_generate"),
    path("days/", rv.DayList.as_view(), name="day_list"),
    path("days/new/", rv.DayCreate.as_view(), name="day_create"),
    path("days/<int:pk>/", rv.DayDetail.as_view(), name="day_detail"),
    path("days/<int:pk>/edit/", rv.DayEdit.as_view(), name="day_edit"),
    path("days/<int:pk>/cancel/", rv.DayCancel.as_view(), name="day_cancel"),
    path("days/<int:pk>/substitute/", rv.DaySubstitute.as_view(), name="day_substitute"),
    path("days/<int:pk>/held/", rv.DayHeld.as_view(), name="day_held"),
    path("days/<int:day>/visits/new/", rv.VisitCreate.as_view(), name="visit_create"),
    path("visits/", rv.VisitList.as_view(), name="visit_list"),
    path("visits/<int:pk>/", rv.VisitDetail.as_view(), name="visit_detail"),
    path("visits/<int:pk>/edit/", rv.VisitEdit.as_view(), name="visit_edit"),
    path("visits/<int:pk>/answer/", rv.VisitAnswer.as_view(), name="visit_answer"),
    path("visits/<int:pk>/lift-protection/", rv.VisitLiftProtection.as_view(), name="visit_lift_protection"),
    path("visits/<int:pk>/protect/", rv.VisitProtect.as_view(), name="visit_protect"),
    path("cases/", rv.CaseList.as_view(), name="case_list"),
    path("cases/new/", rv.CaseCreate.as_view(), name="case_create"),
    path("cases/<int:pk>/", rv.CaseDetail.as_view(), name="case_detail"),
    path("cases/<int:pk>/edit/", rv.CaseEdit.as_view(), name="case_edit"),
    path("letters/", lv.LetterList.as_view(), name="letter_list"),
    path("letters/new/", lv.LetterCreate.as_view(), name="letter_create"),
    path("letters/<int:pk>/", lv.LetterDetail.as_view(), name="letter_detail"),
    path("letters/<int:pk>/edit/", lv.LetterEdit.as_view(), name="letter_edit"),
    path("letters/<int:pk>/decide/", lv.LetterDecide.as_view(), name="letter_decide"),
    path("letters/<int:pk>/accept/", lv.LetterAccept.as_view(), name="letter_accept"),
    path("letters/<int:pk>/extend/", lv.LetterExtend.as_view(), name="letter_extend"),
    path("letters/<int:pk>/result/", lv.LetterResult.as_view(), name="letter_result"),
    path("letters/<int:pk>/report/", lv.LetterReport.as_view(), name="letter_report"),
    path("letters/<int:pk>/notify/", lv.LetterNotify.as_view(), name="letter_notify"),
    path("letters/<int:pk>/split/", lv.LetterSplit.as_view(), name="letter_split"),
    path("letters/<int:pk>/duplicate/", lv.LetterDuplicate.as_view(), name="letter_duplicate"),
    path("letters/<int:pk>/lift-protection/", lv.LetterLiftProtection.as_view(), name="letter_lift_protection"),
    path("letters/<int:pk>/protect/", lv.LetterProtect.as_view(), name="letter_protect"),
    path("letters/<int:pk>/scans/new/", lv.LetterScanUpload.as_view(), name="letter_scan_upload"),
    path("letters/<int:pk>/forwarding.pdf", lv.ForwardingPdf.as_view(), name="letter_forwarding_pdf"),
    path("scans/<int:pk>/", lv.ScanDownload.as_view(), name="scan_download"),
    path("identity-log/", lv.IdentityLogList.as_view(), name="identity_log"),
    path("statistics/", other.Statistics.as_view(), name="statistics"),
    path("public/<int:council_id>/schedule/", other.public_schedule, name="public_schedule"),
]
