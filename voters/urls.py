from django.urls import path

from . import views

app_name = "voters"

urlpatterns = [
    path("meetings/", views.MeetingList.as_view(), name="meeting_list"),
    path("meetings/new/", views.MeetingCreate.as_view(), name="meeting_create"),
    path("meetings/<int:pk>/", views.MeetingDetail.as_view(), name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.MeetingEdit.as_view(), name="meeting_edit"),
    path("meetings/<int:pk>/delete/", views.MeetingDelete.as_view(), name="meeting_delete"),
    path("meetings/<int:pk>/minutes/", views.MeetingMinutes.as_view(), name="meeting_minutes"),
    path("meetings/<int:pk>/intake/", views.MeetingIntake.as_view(), name="meeting_intake"),
    path("petitions/", views.PetitionList.as_view(), name="petition_list"),
    path("petitions/new/", views.PetitionCreate.as_view(), name="petition_create"),
    path("petitions/similar/", views.PetitionSimilar.as_view(), name="petition_similar"),
    path("petitions/forward/", views.PetitionForward.as_view(), name="petition_forward"),
    path("petitions/import/", views.PetitionImport.as_view(), name="petition_import"),
    path("petitions/import/template.xlsx", views.ImportTemplate.as_view(), name="import_template"),
    path("petitions/<int:pk>/", views.PetitionDetail.as_view(), name="petition_detail"),
    path("petitions/<int:pk>/edit/", views.PetitionEdit.as_view(), name="petition_edit"),
    path("petitions/<int:pk>/merge/", views.PetitionMerge.as_view(), name="petition_merge"),
    path("petitions/<int:pk>/answer/", views.PetitionAnswer.as_view(), name="petition_answer"),
    path(
        "petitions/<int:pk>/response-document/",
        views.PetitionResponseDocument.as_view(),
        name="petition_response_document",
    ),
    path("petitions/<int:pk>/evaluate/", views.PetitionEvaluate.as_view(), name="petition_evaluate"),
    path("letters/", views.LetterList.as_view(), name="letter_list"),
    path("letters/<int:pk>/", views.LetterDetail.as_view(), name="letter_detail"),
    path("letters/<int:pk>/pdf/", views.LetterPdf.as_view(), name="letter_pdf"),
    path("mine/", views.MyPetitions.as_view(), name="my_petitions"),
]
