from django.urls import path

from .views import activities as a
from .views import commitments as c
from .views import confidence as cv
from .views import deputies as d
from .views import questioning as q

app_name = "oversight"

urlpatterns = [
    path("programmes/", a.ProgrammeList.as_view(), name="programme_list"),
    path("programmes/new/", a.ProgrammeCreate.as_view(), name="programme_create"),
    path("programmes/<int:pk>/", a.ProgrammeDetail.as_view(), name="programme_detail"),
    path("programmes/<int:pk>/edit/", a.ProgrammeEdit.as_view(), name="programme_edit"),
    path("programmes/<int:pk>/topics/new/", a.TopicAdd.as_view(), name="topic_add"),
    path("topics/<int:pk>/edit/", a.TopicEdit.as_view(), name="topic_edit"),
    path("activities/", a.ActivityList.as_view(), name="activity_list"),
    path("activities/new/", a.ActivityCreate.as_view(), name="activity_create"),
    path("activities/<int:pk>/", a.ActivityDetail.as_view(), name="activity_detail"),
    path("activities/<int:pk>/edit/", a.ActivityEdit.as_view(), name="activity_edit"),
    path("activities/<int:pk>/files/<str:name>/", a.ActivityFile.as_view(), name="activity_file"),
    path("activities/<int:pk>/recommendations/new/", a.RecommendationAdd.as_view(), name="recommendation_add"),
    path("recommendations/", a.RecommendationList.as_view(), name="recommendation_list"),
    path("recommendations/new/", a.RecommendationCreate.as_view(), name="recommendation_create"),
    path("recommendations/<int:pk>/", a.RecommendationDetail.as_view(), name="recommendation_detail"),
    path("recommendations/<int:pk>/edit/", a.RecommendationEdit.as_view(), name="recommendation_edit"),
    path("recommendations/<int:pk>/report/", a.RecommendationReportView.as_view(), name="recommendation_report"),
    path("recommendations/<int:pk>/evaluate/", a.RecommendationEvaluate.as_view(), name="recommendation_evaluate"),
    path("recommendations/<int:pk>/evidence/<int:evidence_pk>/", a.EvidenceDownload.as_view(), name="evidence"),
    path("questioning/", q.QuestioningList.as_view(), name="questioning_list"),
    path("questioning/new/", q.QuestioningCreate.as_view(), name="questioning_create"),
    path("questioning/<int:pk>/", q.QuestioningDetail.as_view(), name="questioning_detail"),
    path("questioning/<int:pk>/edit/", q.QuestioningEdit.as_view(), name="questioning_edit"),
    path("questioning/<int:pk>/groups/new/", q.IssueGroupAdd.as_view(), name="group_add"),
    path("questioning/<int:pk>/respondents/new/", q.RespondentAdd.as_view(), name="respondent_add"),
    path("questioning/<int:pk>/questions/new/", q.QuestionAdd.as_view(), name="question_add"),
    path("questions/<int:pk>/answer/", q.QuestionAnswer.as_view(), name="question_answer"),
    path("questions/<int:pk>/answer/file/", q.AnswerFile.as_view(), name="answer_file"),
    path("explanation/", q.ExplanationList.as_view(), name="explanation_list"),
    path("explanation/new/", q.ExplanationCreate.as_view(), name="explanation_create"),
    path("explanation/<int:pk>/", q.ExplanationDetail.as_view(), name="explanation_detail"),
    path("explanation/<int:pk>/edit/", q.ExplanationEdit.as_view(), name="explanation_edit"),
    path("commitments/", c.CommitmentList.as_view(), name="commitment_list"),
    path("commitments/new/", c.CommitmentCreate.as_view(), name="commitment_create"),
    path("commitments/requestioning/", c.RequestioningList.as_view(), name="requestioning"),
    path("commitments/<int:pk>/", c.CommitmentDetail.as_view(), name="commitment_detail"),
    path("commitments/<int:pk>/edit/", c.CommitmentEdit.as_view(), name="commitment_edit"),
    path("commitments/<int:pk>/milestones/new/", c.MilestoneAdd.as_view(), name="milestone_add"),
    path("milestones/<int:pk>/edit/", c.MilestoneEdit.as_view(), name="milestone_edit"),
    path("commitments/<int:pk>/progress/", c.CommitmentProgress.as_view(), name="commitment_progress"),
    path(
        "commitments/<int:pk>/updates/<int:update_pk>/file/",
        c.CommitmentUpdateFile.as_view(),
        name="commitment_update_file",
    ),
    path("respondent-reports/<int:pk>/receive/", c.RespondentReportReceive.as_view(), name="respondent_report_receive"),
    path("respondent-reports/<int:pk>/file/", c.RespondentReportFile.as_view(), name="respondent_report_file"),
    path("confidence/", cv.ConfidenceList.as_view(), name="confidence_list"),
    path("confidence/new/", cv.ConfidenceCreate.as_view(), name="confidence_create"),
    path("confidence/<int:pk>/", cv.ConfidenceDetail.as_view(), name="confidence_detail"),
    path("confidence/<int:pk>/edit/", cv.ConfidenceEdit.as_view(), name="confidence_edit"),
    path("confidence/<int:pk>/pdf/", cv.ConfidencePdf.as_view(), name="confidence_pdf"),
    path("confidence/<int:pk>/subjects/new/", cv.SubjectAdd.as_view(), name="subject_add"),
    path("confidence-subjects/<int:pk>/edit/", cv.SubjectEdit.as_view(), name="subject_edit"),
    path("deputies/", d.DeputyRecordList.as_view(), name="deputy_list"),
    path("deputies/<int:pk>/", d.DeputyRecord.as_view(), name="deputy_record"),
]
