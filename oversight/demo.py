"""Demo and scale data for oversight (seed 000 figures): per year, the province holds about 37
oversight activities with 100 recommendations, 2 questioning sessions and 30 commitments; each
commune about 4 activities and 10 recommendations. Everything is bulk-created; deadlines are
registered in core.deadlines as the services would."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from hdnd_portal.core.models import Body, Deadline

from .models import (
    ActivityKind,
    Commitment,
    CommitmentMilestone,
    CommitmentUpdate,
    ConductingLevel,
    ConfidenceSubject,
    ConfidenceVote,
    ExplanationSession,
    IssueGroup,
    OversightActivity,
    OversightProgramme,
    PlannedTopic,
    Post,
    Question,
    QuestioningSession,
    Recommendation,
    RecommendationReport,
    Respondent,
)
from .services.confidence import confidence_outcome, thresholds

TOPICS = [
    "Việc thực hiện chính sách, pháp luật về quản lý đất đai",
    "Công tác giải phóng mặt bằng các dự án trọng điểm",
    "Việc quản lý, sử dụng nhà chung cư cũ",
    "Công tác bảo vệ môi trường tại các cụm công nghiệp",
    "Việc thu gom, xử lý rác thải sinh hoạt",
    "Chất lượng khám, chữa bệnh tại bệnh viện tuyến cơ sở",
    "Việc thực hiện chương trình giáo dục phổ thông mới",
    "Công tác bảo đảm trật tự an toàn giao thông",
    "Việc quản lý, sử dụng vốn đầu tư công",
    "Việc thực hiện chính sách an sinh xã hội cho người có công",
    "Công tác phòng cháy, chữa cháy tại khu dân cư",
    "Việc quản lý trật tự xây dựng đô thị",
    "Công tác cải cách thủ tục hành chính",
    "Việc giải quyết khiếu nại, tố cáo của công dân",
    "Việc thực hiện chương trình xây dựng nông thôn mới",
    "Việc giải quyết kiến nghị của cử tri gửi đến kỳ họp",
]
ACTIONS = [
    "Khẩn trương hoàn thiện",
    "Rà soát, xử lý dứt điểm",
    "Chỉ đạo kiểm tra, đôn đốc",
    "Bố trí kinh phí để",
    "Báo cáo kết quả",
    "Xây dựng kế hoạch",
    "Công khai kết quả",
    "Tăng cường thanh tra",
]
OBJECTS = [
    "hồ sơ cấp giấy chứng nhận quyền sử dụng đất",
    "các dự án chậm tiến độ",
    "việc bồi thường, hỗ trợ tái định cư",
    "các điểm tập kết rác tự phát",
    "trang thiết bị y tế",
    "việc thu chi ngoài quy định tại trường học",
    "các công trình vi phạm trật tự xây dựng",
    "hạ tầng giao thông nông thôn",
    "hồ sơ tồn đọng",
]


def _text(rng) -> str:
    return f"{rng.choice(ACTIONS)} {rng.choice(OBJECTS)}"


def _with_search(objects):
    for obj in objects:
        obj.search_text = obj.build_search_text()
    return objects


def populate(ctx) -> None:
    with transaction.atomic():
        builder = _Builder(ctx, timezone.localdate())
        plan = [(ctx.province, 37, 100, True)] + [(c, 4, 10, False) for c in ctx.communes]
        builder.build(plan)
        builder.flush()


class _Builder:
    """Builds in phases over all councils at once (one INSERT per model and phase), which keeps
    the scale dataset to seconds."""

    def __init__(self, ctx, today: date) -> None:
        self.ctx, self.rng, self.today = ctx, ctx.rng, today
        self.deadlines: list[Deadline] = []
        self.ct = {
            m: ContentType.objects.get_for_model(m) for m in (Recommendation, Commitment, Question, OversightActivity)
        }

    def years(self):
        return [y for y in self.ctx.years if date(y, 1, 1) <= self.today]

    def deadline(self, obj, kind: str, title: str, start: date, due: date, done: bool, agency_id=None):
        self.deadlines.append(
            Deadline(
                council_id=obj.council_id,
                content_type=self.ct[type(obj)],
                object_id=obj.pk,
                kind=kind,
                title=title[:300],
                start_date=start,
                due_date=due,
                original_due_date=due,
                responsible_agency_id=agency_id,
                state=Deadline.State.DONE if done else Deadline.State.OPEN,
                completed_at=timezone.now() if done else None,
            )
        )

    def flush(self) -> None:
        Deadline.objects.bulk_create(self.deadlines, batch_size=2000, ignore_conflicts=True)

    def build(self, plan) -> None:
        rng, years = self.rng, self.years()
        # Phase 1: one programme per council and year.
        programmes = {}
        for data, _acts, _recs, _province in plan:
            for year in years:
                programmes[(data.council.id, year)] = OversightProgramme(
                    council=data.council,
                    year=year,
                    title=f"Chương trình giám sát năm {year}",
                    resolution_number=f"{rng.randint(10, 60)}/NQ-HĐND",
                    resolution_date=date(year - 1, 12, 10),
                )
        OversightProgramme.objects.bulk_create(_with_search(list(programmes.values())), batch_size=2000)
        # Phase 2: planned topics (about half the activities are planned ones).
        topics: dict[tuple[int, int], list[PlannedTopic]] = {}
        for data, activities, _recs, province in plan:
            bodies = self.bodies(data, province)
            for year in years:
                items = []
                for i in range(max(2, activities // 2)):
                    body = bodies[i % len(bodies)]
                    start = self.ctx.random_date(year)
                    items.append(
                        PlannedTopic(
                            council=data.council,
                            programme=programmes[(data.council.id, year)],
                            topic=rng.choice(TOPICS),
                            body=body,
                            conducting_level=_level(body),
                            kind=rng.choice([ActivityKind.THEMATIC, ActivityKind.SURVEY]),
                            period_start=start,
                            period_end=start + timedelta(days=30),
                        )
                    )
                topics[(data.council.id, year)] = items
        PlannedTopic.objects.bulk_create([t for items in topics.values() for t in items], batch_size=2000)
        # Phase 3: activities with their agencies and teams.
        acts: dict[tuple[int, int], list[OversightActivity]] = {}
        for data, activities, _recs, province in plan:
            bodies = self.bodies(data, province)
            for year in years:
                acts[(data.council.id, year)] = [
                    self.activity(
                        data, year, topics[(data.council.id, year)], i, bodies, programmes[(data.council.id, year)]
                    )
                    for i in range(activities)
                ]
        OversightActivity.objects.bulk_create(
            _with_search([a for items in acts.values() for a in items]), batch_size=2000
        )
        self.m2m([(data, acts[(data.council.id, y)]) for data, *_rest in plan for y in years])
        recent = self.today - timedelta(days=120)
        for data, _activities, _recs, province in plan:
            for year in years:
                for a in acts[(data.council.id, year)]:
                    if province or a.end_date >= recent:
                        self.activity_deadlines(a)
        # Phase 4: recommendations of the concluded activities, and the agencies' reports.
        recs = []
        for data, _activities, count, _province in plan:
            for year in years:
                recs += self.recommendations(
                    data, [a for a in acts[(data.council.id, year)] if a.conclusion_date], count
                )
        recs = Recommendation.objects.bulk_create(_with_search(recs), batch_size=2000)
        self.reports(recs)
        # Phase 5: the province's questioning, commitments and follow-ups; confidence votes.
        for data, _activities, _recs, province in plan:
            if province:
                for year in years:
                    self.questioning(data, year)
                    self.commitments(data, year, 14)  # + 2 × 8 made in questioning = 30 a year
                self.follow_ups(data, [a for y in years for a in acts[(data.council.id, y)]])
            if province or not self.ctx.scale:
                self.confidence(data)

    def bodies(self, data, province: bool) -> list[Body]:
        return [data.standing, *data.committees] + ([*data.groups[:3]] if province else [])

    def activity(self, data, year, topics, i, bodies, programme) -> OversightActivity:
        rng = self.rng
        topic = topics[i] if i < len(topics) else None
        body = topic.body if topic else rng.choice(bodies)
        start = topic.period_start if topic else self.ctx.random_date(year)
        end = start + timedelta(days=rng.randint(5, 30))
        past = end < self.today
        kind = topic.kind if topic else rng.choice(list(ActivityKind.values[:4]))
        return OversightActivity(
            council=data.council,
            programme=programme,
            planned_topic=topic,
            conducting_level=_level(body),
            body=body,
            kind=kind,
            topic=topic.topic if topic else rng.choice(TOPICS),
            field=rng.choice(self.ctx.fields),
            start_date=start,
            end_date=end,
            plan_number=f"{rng.randint(1, 99)}/KH-HĐND",
            plan_sent_on=start - timedelta(days=16),
            programme_sent_on=start - timedelta(days=11),
            report_number=f"{rng.randint(1, 199)}/BC-HĐND" if past else "",
            report_date=end + timedelta(days=10) if past else None,
            conclusion_number=f"{rng.randint(1, 199)}/TB-HĐND" if past else "",
            conclusion_date=end + timedelta(days=14) if past else None,
            conclusion_text="Đoàn giám sát ghi nhận kết quả và đề nghị khắc phục các tồn tại." if past else "",
            status=OversightActivity.Status.CONCLUDED
            if past
            else (OversightActivity.Status.IN_PROGRESS if start <= self.today else OversightActivity.Status.PLANNED),
        )

    def activity_deadlines(self, a: OversightActivity) -> None:
        """As services.activity_save registers them: notices before the visit, report after it."""
        self.deadline(
            a,
            "oversight.plan_notice",
            f"Gửi kế hoạch giám sát: {a.topic}",
            a.start_date - timedelta(days=30),
            a.start_date - timedelta(days=15),
            a.plan_sent_on is not None,
        )
        self.deadline(
            a,
            "oversight.programme_notice",
            f"Gửi chương trình làm việc: {a.topic}",
            a.start_date - timedelta(days=30),
            a.start_date - timedelta(days=10),
            a.programme_sent_on is not None,
        )
        days = {ConductingLevel.STANDING: 15, ConductingLevel.COMMITTEE: 10}.get(a.conducting_level)
        if days:
            self.deadline(
                a,
                "oversight.report",
                f"Báo cáo kết quả giám sát: {a.topic}",
                a.end_date,
                a.end_date + timedelta(days=days),
                a.report_date is not None,
            )

    def follow_ups(self, data, all_activities) -> None:
        # One follow-up oversight per year of a concluded activity.
        follows = []
        for year in self.years()[:-1]:
            earlier = next((a for a in all_activities if a.start_date.year == year and a.conclusion_date), None)
            if earlier:
                start = date(year + 1, 3, 1)
                follows.append(
                    OversightActivity(
                        council=data.council,
                        conducting_level=earlier.conducting_level,
                        body=earlier.body,
                        kind=ActivityKind.FOLLOW_UP,
                        follows=earlier,
                        topic=f"Tái giám sát: {earlier.topic}",
                        field=earlier.field,
                        start_date=start,
                        end_date=start + timedelta(days=10),
                        status=OversightActivity.Status.CONCLUDED
                        if start < self.today
                        else OversightActivity.Status.PLANNED,
                    )
                )
        OversightActivity.objects.bulk_create(_with_search(follows))

    def m2m(self, groups) -> None:
        rng = self.rng
        agencies_through = OversightActivity.agencies.through
        deputies_through = OversightActivity.team_deputies.through
        links, team = [], []
        for data, acts in groups:
            for a in acts:
                for agency in rng.sample(data.agencies, k=min(2, len(data.agencies))):
                    links.append(agencies_through(oversightactivity_id=a.pk, agency_id=agency.pk))
                for deputy in rng.sample(data.deputies, k=min(5, len(data.deputies))):
                    team.append(deputies_through(oversightactivity_id=a.pk, deputy_id=deputy.pk))
        agencies_through.objects.bulk_create(links, ignore_conflicts=True, batch_size=5000)
        deputies_through.objects.bulk_create(team, ignore_conflicts=True, batch_size=5000)

    def recommendations(self, data, acts, count: int) -> list[Recommendation]:
        if not acts:
            return []
        rng, recs = self.rng, []
        for i in range(count):
            activity = acts[i % len(acts)]
            issued = activity.conclusion_date
            deadline = issued + timedelta(days=rng.choice([15, 30, 60, 90]))
            roll = rng.random()
            age = (self.today - deadline).days
            if age > 0 and roll < 0.7 or age <= 0 and roll < 0.25:
                status, evaluation = Recommendation.Status.DONE, Recommendation.Evaluation.ACCEPTED
            elif roll < 0.85:
                status, evaluation = Recommendation.Status.IN_PROGRESS, Recommendation.Evaluation.PENDING
            elif roll < 0.93:
                status, evaluation = Recommendation.Status.PARTLY_DONE, Recommendation.Evaluation.PENDING
            else:
                status, evaluation = Recommendation.Status.NOT_STARTED, Recommendation.Evaluation.PENDING
            done_on = min(deadline + timedelta(days=rng.randint(-10, 10)), self.today) if status == "done" else None
            if done_on and done_on < issued:
                done_on = issued
            recs.append(
                Recommendation(
                    council=data.council,
                    activity=activity,
                    agency=rng.choice(data.agencies),
                    field=activity.field,
                    text=_text(rng),
                    issued_on=issued,
                    deadline=deadline,
                    status=status,
                    done_on=done_on,
                    evaluation=evaluation,
                    evaluated_on=done_on,
                    needs_follow_up=rng.random() < 0.05,
                )
            )
        return recs

    def reports(self, recs) -> None:
        rng, reports = self.rng, []
        for r in recs:
            if r.status != Recommendation.Status.NOT_STARTED:
                reported = r.done_on or min(r.issued_on + timedelta(days=10), self.today)
                reports.append(
                    RecommendationReport(
                        council_id=r.council_id,
                        recommendation=r,
                        reported_on=max(reported, r.issued_on),
                        status=r.status,
                        text="Đơn vị đã triển khai thực hiện kiến nghị.",
                        document_number=f"{rng.randint(1, 999)}/BC",
                    )
                )
            self.deadline(
                r,
                "recommendation.deadline",
                f"Kiến nghị: {r.text}",
                r.issued_on,
                r.deadline,
                r.status == Recommendation.Status.DONE,
                r.agency_id,
            )
        RecommendationReport.objects.bulk_create(reports, batch_size=2000)

    def questioning(self, data, year: int) -> None:
        from sessions.models import CouncilSession

        rng, council = self.rng, data.council
        sessions = list(
            CouncilSession.objects.filter(council=council, planned_start__year=year).order_by("planned_start")
        )
        for n, month in enumerate((7, 12)):
            held = date(year, month, 8)
            if held < self.ctx.term_start or held > self.today:
                continue
            session = sessions[n] if n < len(sessions) else None
            qs = QuestioningSession(
                council=council,
                venue="council_session" if session else "standing_meeting",
                council_session=session,
                title=f"Phiên chất vấn {'kỳ họp giữa năm' if month == 7 else 'kỳ họp cuối năm'} {year}",
                held_on=held,
                status=QuestioningSession.Status.CONCLUDED,
                conclusion_kind="resolution",
                conclusion_number=f"{rng.randint(10, 80)}/NQ-HĐND",
                conclusion_date=held + timedelta(days=2),
                conclusion_text="Hội đồng nhân dân ghi nhận các cam kết và yêu cầu báo cáo kết quả tại kỳ họp sau.",
            )
            QuestioningSession.objects.bulk_create(_with_search([qs]))
            groups = IssueGroup.objects.bulk_create(
                [
                    IssueGroup(council=council, questioning_session=qs, title=t, order=i + 1)
                    for i, t in enumerate(rng.sample(TOPICS, 2))
                ]
            )
            posts = [Post.PC_VICE_CHAIR, Post.DEPARTMENT_HEAD, Post.DEPARTMENT_HEAD]
            respondents = Respondent.objects.bulk_create(
                [
                    Respondent(
                        council=council,
                        questioning_session=qs,
                        official_name=self.ctx.person_name()[0],
                        post=post,
                        agency=agency,
                        official_title=f"Giám đốc {agency.name}"
                        if post == Post.DEPARTMENT_HEAD
                        else "Phó Chủ tịch UBND",
                    )
                    for post, agency in zip(posts, rng.sample(data.agencies[1:], 3), strict=False)
                ]
            )
            questions = Question.objects.bulk_create(
                [
                    Question(
                        council=council,
                        questioning_session=qs,
                        issue_group=groups[i % 2],
                        deputy=rng.choice(data.deputies),
                        respondent=respondents[i % len(respondents)],
                        text=f"Đề nghị cho biết giải pháp và thời hạn {_text(rng).lower()}?",
                        asked_on=held,
                        answer_mode="in_session" if i % 4 else "written",
                        written_due=None if i % 4 else held + timedelta(days=20),
                        answer_text="Cơ quan cam kết hoàn thành trong năm.",
                        answered_on=held if i % 4 else held + timedelta(days=15),
                    )
                    for i in range(12)
                ]
            )
            for q in questions:
                if q.written_due:
                    self.deadline(
                        q,
                        "question.written_answer",
                        f"Trả lời chất vấn: {q.text}",
                        held,
                        q.written_due,
                        True,
                        q.respondent.agency_id,
                    )
            self.commitments(data, year, 8, questions=questions)

    def commitments(self, data, year: int, count: int, questions=()) -> None:
        rng, council = self.rng, data.council
        items = []
        for i in range(count):
            q = questions[i % len(questions)] if questions else None
            made = q.asked_on if q else self.ctx.random_date(year)
            if made > self.today:
                continue
            deadline = made + timedelta(days=rng.choice([60, 90, 180, 365]))
            done = deadline < self.today and rng.random() < 0.7
            status = (
                Commitment.Status.FULFILLED
                if done
                else (
                    Commitment.Status.UNFULFILLED
                    if deadline < self.today and rng.random() < 0.3
                    else Commitment.Status.IN_PROGRESS
                )
            )
            agency = q.respondent.agency if q else rng.choice(data.agencies)
            c = Commitment(
                council=council,
                agency=agency,
                official_name=q.respondent.official_name if q else self.ctx.person_name()[0],
                official_title=q.respondent.official_title if q else "Giám đốc",
                text=f"{_text(rng)} trước ngày {deadline:%d/%m/%Y}",
                made_on=made,
                deadline=deadline,
                status=status,
                percent=100 if done else rng.choice([10, 30, 50, 70]),
                completed_on=deadline if done else None,
                field=rng.choice(self.ctx.fields),
                source_type=self.ct[Question] if q else None,
                source_id=q.pk if q else None,
            )
            items.append(c)
        items = Commitment.objects.bulk_create(_with_search(items))
        through = Commitment.deputies.through
        links = []
        for c in items:
            if c.source_id:
                deputy_id = next(q.deputy_id for q in questions if q.pk == c.source_id)
                links.append(through(commitment_id=c.pk, deputy_id=deputy_id))
            self.deadline(
                c,
                "commitment.deadline",
                f"Cam kết: {c.text}",
                c.made_on,
                c.deadline,
                c.status not in Commitment.OPEN_STATUSES,
                c.agency_id,
            )
        through.objects.bulk_create(links, ignore_conflicts=True)
        # A roadmap of two milestones and the latest progress update for each commitment.
        milestones, updates = [], []
        for c in items:
            middle = c.made_on + (c.deadline - c.made_on) / 2
            milestones += [
                CommitmentMilestone(
                    council_id=c.council_id,
                    commitment=c,
                    title="Xây dựng kế hoạch, phân công thực hiện",
                    due_date=middle,
                    done_on=middle if middle < self.today else None,
                ),
                CommitmentMilestone(
                    council_id=c.council_id,
                    commitment=c,
                    title="Hoàn thành, báo cáo kết quả",
                    due_date=c.deadline,
                    done_on=c.completed_on,
                ),
            ]
            if c.made_on + timedelta(days=30) < self.today:
                updates.append(
                    CommitmentUpdate(
                        council_id=c.council_id,
                        commitment=c,
                        reported_on=min(c.completed_on or self.today, self.today),
                        percent=c.percent,
                        status=c.status,
                        text="Cơ quan báo cáo tiến độ thực hiện cam kết.",
                    )
                )
        CommitmentMilestone.objects.bulk_create(milestones)
        CommitmentUpdate.objects.bulk_create(updates)

    def confidence(self, data) -> None:
        held = date(2023, 12, 8)
        if held > self.today or data.council.level == data.council.Level.COMMUNE:
            return  # commune councils do not take confidence votes (Resolution 96/2023/QH15)
        council, rng = data.council, self.rng
        total = len([d for d in data.deputies if d.start_date <= held and (d.end_date is None or d.end_date >= held)])
        returned = total - rng.randint(0, 3)
        vote = ConfidenceVote(
            council=council,
            title="Lấy phiếu tín nhiệm giữa nhiệm kỳ 2021–2026",
            held_on=held,
            total_deputies=total,
            ballots_issued=returned,
            ballots_returned=returned,
            resolution_number=f"{rng.randint(30, 90)}/NQ-HĐND",
        )
        ConfidenceVote.objects.bulk_create(_with_search([vote]))
        limits = thresholds(council, held)
        posts = [
            "Chủ tịch HĐND",
            "Phó Chủ tịch HĐND",
            "Phó Chủ tịch HĐND",
            "Trưởng Ban Kinh tế - Ngân sách",
            "Trưởng Ban Văn hóa - Xã hội",
            "Chủ tịch UBND",
            "Phó Chủ tịch UBND",
            "Phó Chủ tịch UBND",
        ]
        subjects = []
        for i, post in enumerate(posts):
            low = rng.randint(0, max(1, returned // 10))
            if i == len(posts) - 1:
                low = returned // 2 + 1  # one subject crosses the "more than half" line
            high = rng.randint(0, returned - low)
            conf = returned - low - high
            outcome = confidence_outcome(low=low, total=total, limits=limits)
            deputy = data.deputies[i] if i < 5 else None
            subjects.append(
                ConfidenceSubject(
                    council=council,
                    vote=vote,
                    order=i + 1,
                    full_name=deputy.full_name if deputy else self.ctx.person_name()[0],
                    post=post,
                    deputy=deputy,
                    valid_ballots=returned,
                    high=high,
                    confidence=conf,
                    low=low,
                    may_resign=outcome.may_resign,
                    requires_formal_vote=outcome.formal_vote,
                    requires_dismissal=outcome.dismissal,
                    formal_result="pending" if outcome.formal_vote else "",
                )
            )
        ConfidenceSubject.objects.bulk_create(subjects)
        if self.ctx.scale:
            return
        explanation = ExplanationSession(
            council=council,
            body=data.standing,
            topic="Giải trình về tiến độ giải ngân vốn đầu tư công",
            agency=data.agencies[1],
            officials="Giám đốc Sở — người giải trình",
            held_on=date(2024, 9, 12),
            notice_sent_on=date(2024, 8, 30),
            conclusion_number="25/TB-HĐND",
            conclusion_date=date(2024, 9, 20),
            conclusion_text="Đề nghị đẩy nhanh tiến độ giải ngân.",
        )
        ExplanationSession.objects.bulk_create(_with_search([explanation]))


def _level(body: Body) -> str:
    return {
        Body.Kind.STANDING: ConductingLevel.STANDING,
        Body.Kind.COMMITTEE: ConductingLevel.COMMITTEE,
        Body.Kind.GROUP: ConductingLevel.GROUP,
    }[body.kind]
