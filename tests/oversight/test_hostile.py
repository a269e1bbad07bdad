"""The oversight app as a hostile user would try it: a staff member of another council, an
agency responder of another agency, garbled versions, ids and files, over-long text. Each
test states the exact answer and that nothing was saved."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from hdnd_portal.core.constraints import constraint_info
from hdnd_portal.core.models import Agency, Body, CouncilRole, Term
from oversight import services
from oversight.models import (
    Commitment,
    CommitmentUpdate,
    Evidence,
    OversightActivity,
    OversightProgramme,
    PlannedTopic,
    Question,
    Recommendation,
    RecommendationReport,
)

pytestmark = pytest.mark.django_db

HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def hostile(make_user, other_council):
    """Staff of another council, with a few records of their own there."""
    user = make_user("thudich", other_council, CouncilRole.Role.STAFF)
    Term.objects.create(council=other_council, numeral="XVI", start_year=2021, end_year=2026, is_current=True)
    agency = Agency.objects.create(council=other_council, name="Sở Tài chính", short_name="STC")
    programme = services.programme_save(
        programme=OversightProgramme(council=other_council, year=2025, title="Chương trình của tỉnh khác")
    )
    activity = services.activity_save(
        activity=OversightActivity(
            council=other_council,
            topic="Giám sát của tỉnh khác",
            start_date=date(2025, 5, 5),
            end_date=date(2025, 5, 30),
            conducting_level="council",
        )
    )
    return {"user": user, "api": _api(user), "agency": agency, "programme": programme, "activity": activity}


def _files(name: str, content: bytes, kind: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=kind)


# --- The council of a record ------------------------------------------------------------------


def test_api_a_record_cannot_be_moved_to_another_council(api_client, other_council, council, world, hostile):
    for endpoint, obj in [
        ("programmes", world["programme"]),
        ("activities", world["activity"]),
        ("questioning-sessions", world["qs"]),
        ("explanation-sessions", world["explanation"]),
        ("commitments", world["commitment"]),
        ("confidence-votes", world["vote"]),
    ]:
        response = api_client.patch(
            f"/api/oversight/{endpoint}/{obj.pk}/", {"council": other_council.pk, "version": obj.version}, format="json"
        )
        assert response.status_code == 400, (endpoint, response.content)
        obj.refresh_from_db()
        assert obj.council_id == council.pk, endpoint
    # The hostile user cannot move their own record into our council either.
    programme = hostile["programme"]
    response = hostile["api"].patch(
        f"/api/oversight/programmes/{programme.pk}/", {"council": council.pk, "version": programme.version}, format="json"
    )
    assert response.status_code == 400
    programme.refresh_from_db()
    assert programme.council_id == other_council.pk


def test_api_creating_in_another_council_is_refused(hostile, council, world):
    before = OversightProgramme.objects.count()
    response = hostile["api"].post(
        "/api/oversight/programmes/", {"council": council.pk, "year": 2027, "title": "Cài cắm"}, format="json"
    )
    assert response.status_code == 400
    # A child record under our parent takes our council: refused the same way.
    response = hostile["api"].post(
        "/api/oversight/topics/",
        {"programme": world["programme"].pk, "topic": "Cài cắm", "conducting_level": "council",
         "period_start": "2025-06-01", "period_end": "2025-06-30"},
        format="json",
    )
    assert response.status_code == 400
    assert OversightProgramme.objects.count() == before
    assert not PlannedTopic.objects.filter(topic="Cài cắm").exists()


# --- Relations into another council -----------------------------------------------------------


def test_api_relations_into_another_council_are_refused(hostile, agency, world, make_deputy, council):
    api, activity = hostile["api"], hostile["activity"]
    our_deputy = world["deputy"]
    before = Recommendation.objects.count()
    # The agency of a recommendation.
    response = api.post(
        "/api/oversight/recommendations/",
        {"activity": activity.pk, "agency": agency.pk, "text": "Cài cắm", "deadline": "2025-12-01",
         "issued_on": "2025-06-05"},
        format="json",
    )
    assert response.status_code == 400, response.content
    # The activity of a recommendation (it would land in our council).
    response = api.post(
        "/api/oversight/recommendations/",
        {"activity": world["activity"].pk, "agency": hostile["agency"].pk, "text": "Cài cắm",
         "deadline": "2025-12-01", "issued_on": "2025-06-05"},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert Recommendation.objects.count() == before
    # The conducting deputy and the supervised agencies of an activity.
    response = api.patch(
        f"/api/oversight/activities/{activity.pk}/",
        {"conducting_level": "deputy", "lead_deputy": our_deputy.pk, "version": activity.version},
        format="json",
    )
    assert response.status_code == 400
    response = api.patch(
        f"/api/oversight/activities/{activity.pk}/", {"agencies": [agency.pk], "version": activity.version},
        format="json",
    )
    assert response.status_code == 400
    activity.refresh_from_db()
    assert activity.lead_deputy_id is None and not activity.agencies.exists()
    # The deputies a commitment was made to.
    response = api.post(
        "/api/oversight/commitments/",
        {"council": hostile["activity"].council_id, "agency": hostile["agency"].pk, "official_name": "A",
         "text": "B", "made_on": "2025-07-10", "deputies": [our_deputy.pk]},
        format="json",
    )
    assert response.status_code == 400
    assert not Commitment.objects.filter(official_name="A").exists()


def test_api_the_adopting_resolution_must_be_of_the_same_council(api_client, hostile, world, council):
    from sessions.services.voting import resolution_adopt

    ours = resolution_adopt(council=council, title="Chương trình giám sát năm 2025", kind="regular",
                            adopted_on=date(2024, 12, 10))
    programme = hostile["programme"]
    response = hostile["api"].patch(
        f"/api/oversight/programmes/{programme.pk}/", {"resolution": ours.pk, "version": programme.version},
        format="json",
    )
    assert response.status_code == 400
    programme.refresh_from_db()
    assert programme.resolution_id is None
    # Our own resolution links, and the programme takes its number and date.
    mine = world["programme"]
    response = api_client.patch(
        f"/api/oversight/programmes/{mine.pk}/", {"resolution": ours.pk, "version": mine.version}, format="json"
    )
    assert response.status_code == 200, response.content
    mine.refresh_from_db()
    assert mine.resolution == ours and mine.resolution_number == ours.number
    assert mine.resolution_date == date(2024, 12, 10)


def test_the_programme_page_links_its_adopting_resolution(staff_client, world, council):
    from sessions.services.voting import resolution_adopt

    resolution = resolution_adopt(council=council, title="Chương trình giám sát năm 2025", kind="regular",
                                  adopted_on=date(2024, 12, 10))
    programme = world["programme"]
    response = staff_client.post(
        reverse("oversight:programme_edit", args=[programme.pk]),
        {"year": 2025, "title": programme.title, "resolution": resolution.pk, "_version": programme.version},
    )
    assert response.status_code == 302, response.context["form"].errors
    page = staff_client.get(reverse("oversight:programme_detail", args=[programme.pk])).content.decode()
    assert f'href="{reverse("sessions:resolution_detail", args=[resolution.pk])}"' in page
    assert resolution.number in page


def test_pages_refuse_another_councils_records_in_a_form(hostile, client_for, agency, world):
    client = client_for(hostile["user"])
    activity = hostile["activity"]
    response = client.post(
        reverse("oversight:activity_edit", args=[activity.pk]),
        {"topic": activity.topic, "kind": "thematic", "conducting_level": "council", "start_date": "05/05/2025",
         "end_date": "30/05/2025", "status": "planned", "agencies": [agency.pk], "_version": activity.version},
    )
    assert response.status_code == 200
    assert "agencies" in response.context["form"].errors
    activity.refresh_from_db()
    assert not activity.agencies.exists() and activity.version == 1
    # Our records' pages do not exist for them.
    for name, obj in [("activity_edit", world["activity"]), ("recommendation_report", world["rec"]),
                      ("question_answer", world["question"])]:
        assert client.post(reverse(f"oversight:{name}", args=[obj.pk]), {}).status_code == 404, name


# --- Versions ---------------------------------------------------------------------------------


def _resources(w):
    return [
        ("programmes", w["programme"], {"title": "Đổi"}),
        ("topics", w["topic"], {"topic": "Đổi"}),
        ("activities", w["activity"], {"topic": "Đổi"}),
        ("recommendations", w["rec"], {"text": "Đổi"}),
        ("questioning-sessions", w["qs"], {"title": "Đổi"}),
        ("explanation-sessions", w["explanation"], {"topic": "Đổi"}),
        ("commitments", w["commitment"], {"text": "Đổi"}),
        ("confidence-votes", w["vote"], {"title": "Đổi"}),
        ("confidence-subjects", w["subject"], {"full_name": "Đổi"}),
    ]


def test_api_every_update_needs_the_version_it_was_made_on(api_client, world):
    for endpoint, obj, change in _resources(world):
        url = f"/api/oversight/{endpoint}/{obj.pk}/"
        version = api_client.get(url).json()["version"]
        assert api_client.patch(url, change, format="json").status_code == 400, endpoint
        assert api_client.patch(url, {}, format="json").status_code == 400, endpoint
        assert api_client.patch(url, {**change, "version": "abc"}, format="json").status_code == 400, endpoint
        assert api_client.patch(url, {**change, "version": [version]}, format="json").status_code == 400, endpoint
        assert api_client.patch(url, {**change, "version": 0}, format="json").status_code == 409, endpoint
        assert api_client.patch(url, {**change, "version": version - 1}, format="json").status_code == 409, endpoint
        assert api_client.get(url).json()["version"] == version, endpoint
        saved = api_client.patch(url, {**change, "version": version}, format="json")
        assert saved.status_code == 200, (endpoint, saved.content)
        assert saved.json()["version"] == version + 1, endpoint
        # The copy that was just overwritten is stale now.
        assert api_client.patch(url, {**change, "version": version}, format="json").status_code == 409, endpoint


def test_api_evaluate_and_answer_need_the_version(api_client, world):
    rec, question = world["rec"], world["question"]
    services.recommendation_report(recommendation=rec, status="done", text="Đã xong", user=None,
                                   reported_on=date(2025, 8, 1))
    rec.refresh_from_db()
    url = f"/api/oversight/recommendations/{rec.pk}/evaluate/"
    assert api_client.post(url, {"accepted": True}, format="json").status_code == 400
    assert api_client.post(url, {"accepted": True, "version": "abc"}, format="json").status_code == 400
    assert api_client.post(url, {"accepted": True, "version": rec.version - 1}, format="json").status_code == 409
    rec.refresh_from_db()
    assert rec.evaluation == "pending"
    done = api_client.post(url, {"accepted": True, "version": rec.version}, format="json")
    assert done.status_code == 200 and done.json()["version"] == rec.version + 1
    url = f"/api/oversight/questions/{question.pk}/answer/"
    assert api_client.post(url, {"answer_text": "Trả lời"}, format="json").status_code == 400
    assert api_client.post(url, {"answer_text": "Trả lời", "version": 0}, format="json").status_code == 409
    question.refresh_from_db()
    assert question.answer_text == ""
    answered = api_client.post(url, {"answer_text": "Trả lời", "version": question.version}, format="json")
    assert answered.status_code == 200 and answered.json()["answer_text"] == "Trả lời"


def test_a_page_edit_without_or_with_a_stale_version_saves_nothing(staff_client, world):
    programme = world["programme"]
    url = reverse("oversight:programme_edit", args=[programme.pk])
    for version in (None, "abc", 0, programme.version + 5):
        data = {"year": 2025, "title": "Đổi tên"}
        if version is not None:
            data["_version"] = version
        response = staff_client.post(url, data)
        assert response.status_code == 200, version
        assert response.context["form"].errors, version
    programme.refresh_from_db()
    assert programme.title != "Đổi tên" and programme.version == 1


# --- Malformed input --------------------------------------------------------------------------


def test_api_malformed_ids_and_values_answer_400(api_client, world, agency):
    base = {"activity": world["activity"].pk, "agency": agency.pk, "text": "Mới", "deadline": "2025-12-01",
            "issued_on": "2025-06-05"}
    before = Recommendation.objects.count()
    for bad in [{"agency": "abc"}, {"agency": 987654321}, {"agency": [agency.pk]}, {"activity": {"id": 1}},
                {"text": ["a", "b"]}, {"deadline": "31/31/2025"}, {"is_complex": "maybe"}, {"agency": 10**30}]:
        response = api_client.post("/api/oversight/recommendations/", {**base, **bad}, format="json")
        assert response.status_code == 400, (bad, response.content)
    assert Recommendation.objects.count() == before
    for query in ["agency=abc", "agency=99999999999999999999", "year=x", "status=nope"]:
        assert api_client.get(f"/api/oversight/recommendations/?{query}").status_code == 400, query
    assert api_client.get("/api/oversight/commitments/requestioning/?council=abc").status_code == 400
    assert api_client.get("/api/oversight/recommendations/abc/").status_code == 404


def test_over_long_text_is_refused_and_nothing_saved(api_client, staff_client, world, agency):
    long = "x" * 10_001
    before = Recommendation.objects.count()
    response = api_client.post(
        "/api/oversight/recommendations/",
        {"activity": world["activity"].pk, "agency": agency.pk, "text": long, "deadline": "2025-12-01",
         "issued_on": "2025-06-05"},
        format="json",
    )
    assert response.status_code == 400 and "text" in response.json()
    assert Recommendation.objects.count() == before
    response = api_client.post(f"/api/oversight/recommendations/{world['rec'].pk}/report/",
                               {"status": "in_progress", "text": long}, format="json")
    assert response.status_code == 400
    assert api_client.post("/api/oversight/programmes/", {"council": world["programme"].council_id, "year": 2030,
                                                          "title": "x" * 301}, format="json").status_code == 400
    assert not RecommendationReport.objects.exists()
    response = staff_client.post(
        reverse("oversight:commitment_create"),
        {"agency": agency.pk, "official_name": "Lê Văn Cường", "text": long, "made_on": "10/07/2025"},
    )
    assert response.status_code == 200 and "text" in response.context["form"].errors
    assert not Commitment.objects.filter(text=long).exists()


# --- Agency responders ------------------------------------------------------------------------


def test_a_responder_of_another_agency_can_neither_read_nor_report(responder_user, responder_client, world):
    api = _api(responder_user)
    other_rec, other_commitment = world["other_rec"], world["other_commitment"]
    assert api.get(f"/api/oversight/recommendations/{other_rec.pk}/").status_code == 404
    assert api.get(f"/api/oversight/recommendations/{other_rec.pk}/reports/").status_code == 404
    assert api.get(f"/api/oversight/recommendations/{world['rec'].pk}/reports/").status_code == 200
    assert api.get(f"/api/oversight/commitments/{other_commitment.pk}/updates/").status_code == 404
    assert api.post(f"/api/oversight/recommendations/{other_rec.pk}/report/",
                    {"status": "done", "text": "Giả mạo"}, format="json").status_code == 404
    assert api.get(f"/api/oversight/commitments/{other_commitment.pk}/").status_code == 404
    assert api.post(f"/api/oversight/commitments/{other_commitment.pk}/progress/",
                    {"percent": 100, "status": "fulfilled", "text": "Giả mạo"}, format="json").status_code == 404
    page = responder_client.post(reverse("oversight:recommendation_report", args=[other_rec.pk]),
                                 {"status": "done", "text": "Giả mạo"})
    assert page.status_code == 404
    assert not RecommendationReport.objects.filter(recommendation=other_rec).exists()
    assert not CommitmentUpdate.objects.filter(commitment=other_commitment).exists()
    # The service refuses it too, whichever door it is called from.
    from hdnd_portal.core.writes import WriteDenied

    with pytest.raises(WriteDenied):
        services.recommendation_report(recommendation=other_rec, status="done", text="x", user=responder_user)


def test_stored_files_only_through_checked_views(responder_client, other_staff_client, staff_client, world,
                                                 responder_user):
    rec, other_rec = world["rec"], world["other_rec"]
    mine = services.recommendation_report(recommendation=rec, status="in_progress", text="Đang làm",
                                          user=responder_user, files=[_files("bao-cao.pdf", PDF)])
    theirs = services.recommendation_report(recommendation=other_rec, status="in_progress", text="Đang làm",
                                            user=None, files=[_files("y-te.pdf", PDF)])
    own = reverse("oversight:evidence", args=[rec.pk, mine.evidence.get().pk])
    response = responder_client.get(own)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf" and response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    assert "sandbox" in response["Content-Security-Policy"]
    other = reverse("oversight:evidence", args=[other_rec.pk, theirs.evidence.get().pk])
    assert responder_client.get(other).status_code == 404
    # An evidence id of another recommendation, under one the responder may see.
    assert responder_client.get(reverse("oversight:evidence", args=[rec.pk, theirs.evidence.get().pk])).status_code == 404
    assert other_staff_client.get(own).status_code == 404
    # Written answers: the respondent's own agency and the council's readers, nobody else.
    question = world["question"]
    services.question_answer(question=question, answer_text="Trả lời", answer_file=_files("tra-loi.pdf", PDF))
    url = reverse("oversight:answer_file", args=[question.pk])
    assert staff_client.get(url).status_code == 200
    assert responder_client.get(url).status_code == 200  # the question was put to the responder's agency
    assert other_staff_client.get(url).status_code == 404
    # Commitment documents.
    update = services.commitment_progress_report(commitment=world["other_commitment"], percent=10,
                                                 status="in_progress", text="Đang làm",
                                                 document=_files("cv.pdf", PDF))
    url = reverse("oversight:commitment_update_file", args=[world["other_commitment"].pk, update.pk])
    assert staff_client.get(url).status_code == 200
    assert responder_client.get(url).status_code == 404
    assert other_staff_client.get(url).status_code == 404
    # Activity documents: no public /media/ link on the page.
    page = staff_client.get(reverse("oversight:activity_detail", args=[world["activity"].pk])).content.decode()
    assert "/media/" not in page


# --- Uploads ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name,content,kind", [("x.html", HTML, "text/html"), ("hoa-don.pdf", EXE, "application/pdf")])
def test_bad_uploads_are_refused_through_the_api_and_the_pages(api_client, staff_client, world, name, content, kind):
    rec, question = world["rec"], world["question"]
    response = api_client.post(f"/api/oversight/recommendations/{rec.pk}/report/",
                               {"status": "in_progress", "text": "Kèm tệp", "evidence": _files(name, content, kind)},
                               format="multipart")
    assert response.status_code == 400 and "evidence" in response.json(), response.content
    response = api_client.post(f"/api/oversight/questions/{question.pk}/answer/",
                               {"answer_text": "Trả lời", "version": question.version,
                                "answer_file": _files(name, content, kind)}, format="multipart")
    assert response.status_code == 400, response.content
    response = api_client.post(f"/api/oversight/commitments/{world['commitment'].pk}/progress/",
                               {"percent": 10, "status": "in_progress", "text": "x",
                                "document": _files(name, content, kind)}, format="multipart")
    assert response.status_code == 400, response.content
    page = staff_client.post(reverse("oversight:recommendation_report", args=[rec.pk]),
                             {"status": "in_progress", "text": "Kèm tệp", "evidence": _files(name, content, kind)})
    assert page.status_code == 200 and "evidence" in page.context["form"].errors
    activity = world["activity"]
    page = staff_client.post(
        reverse("oversight:activity_edit", args=[activity.pk]),
        {"topic": activity.topic, "kind": "thematic", "conducting_level": "standing", "body": activity.body_id,
         "start_date": "05/05/2025", "end_date": "30/05/2025", "status": "planned", "_version": activity.version,
         "plan_file": _files(name, content, kind)},
    )
    assert page.status_code == 200 and "plan_file" in page.context["form"].errors
    assert not RecommendationReport.objects.exists() and not Evidence.objects.exists()
    assert not CommitmentUpdate.objects.exists()
    question.refresh_from_db()
    activity.refresh_from_db()
    assert not question.answer_file and not activity.plan_file and activity.version == 1
    # The service refuses it too (an importer or a task has no form field in front of it).
    from hdnd_portal.core.exceptions import DomainError

    with pytest.raises(DomainError):
        services.recommendation_report(recommendation=rec, status="in_progress", text="x", user=None,
                                       files=[_files(name, content, kind)])


# --- Readable errors --------------------------------------------------------------------------


def test_a_constraint_message_shows_in_vietnamese_beside_its_field(staff_client, world):
    activity = world["activity"]
    response = staff_client.post(
        reverse("oversight:activity_edit", args=[activity.pk]),
        {"topic": activity.topic, "kind": "thematic", "conducting_level": "standing", "body": activity.body_id,
         "start_date": "30/05/2025", "end_date": "05/05/2025", "status": "planned", "_version": activity.version},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["end_date"] == ["Ngày kết thúc không được trước ngày bắt đầu."]
    assert "Constraint" not in response.content.decode()
    response = staff_client.post(
        reverse("oversight:topic_add", args=[world["programme"].pk]),
        {"topic": "Chủ đề", "conducting_level": "council", "kind": "thematic", "period_start": "30/06/2025",
         "period_end": "01/06/2025"},
    )
    assert response.context["form"].errors["period_end"] == [
        "Ngày kết thúc của thời gian dự kiến không được trước ngày bắt đầu."
    ]
    activity.refresh_from_db()
    assert activity.start_date == date(2025, 5, 5) and activity.version == 1


def test_a_database_constraint_names_its_field_in_vietnamese(council, world):
    with translation.override("vi"), pytest.raises(IntegrityError) as error, transaction.atomic():
        OversightProgramme.objects.create(council=council, year=2025, title="Trùng năm")
    with translation.override("vi"):
        message, field = constraint_info(error.value)
    assert field == "year" and message == "HĐND này đã có chương trình giám sát của năm này."


def test_the_api_reports_a_rule_with_its_field(api_client, world, council):
    response = api_client.post("/api/oversight/programmes/", {"council": council.pk, "year": 2025, "title": "Trùng"},
                               format="json")
    assert response.status_code == 400 and response.json()["field"] == "year"
    body = Body.objects.filter(council=council).first()
    response = api_client.post(
        "/api/oversight/activities/",
        {"council": council.pk, "topic": "Ngược ngày", "conducting_level": "standing", "body": body.pk,
         "start_date": "2025-06-30", "end_date": "2025-06-01"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"message": "Ngày kết thúc không được trước ngày bắt đầu.", "extra": None,
                               "field": "end_date"}
    assert not OversightActivity.objects.filter(topic="Ngược ngày").exists()
    assert not Question.objects.filter(text="").exists()


def test_page_actions_that_edit_a_record_need_its_version(staff_client, world):
    rec, question = world["rec"], world["question"]
    services.recommendation_report(recommendation=rec, status="done", text="Đã xong", user=None,
                                   reported_on=date(2025, 8, 1))
    rec.refresh_from_db()
    url = reverse("oversight:recommendation_evaluate", args=[rec.pk])
    for version in (None, rec.version - 1):
        data = {"accepted": "yes"} if version is None else {"accepted": "yes", "_version": version}
        response = staff_client.post(url, data)
        assert response.status_code == 200 and response.context["form"].errors, version
    rec.refresh_from_db()
    assert rec.evaluation == "pending"
    assert staff_client.post(url, {"accepted": "yes", "_version": rec.version}).status_code == 302
    rec.refresh_from_db()
    assert rec.evaluation == "accepted"
    url = reverse("oversight:question_answer", args=[question.pk])
    stale = staff_client.post(url, {"answer_mode": "in_session", "answer_text": "Trả lời", "_version": 0})
    assert stale.status_code == 200 and stale.context["form"].errors
    question.refresh_from_db()
    assert question.answer_text == ""
    fresh = staff_client.post(url, {"answer_mode": "in_session", "answer_text": "Trả lời",
                                    "_version": question.version})
    assert fresh.status_code == 302
    question.refresh_from_db()
    assert question.answer_text == "Trả lời" and question.version == 2
