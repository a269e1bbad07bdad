"""Questioning (chất vấn) and explanation (giải trình) sessions."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hdnd_portal.core.models import PortalModel, SearchableModel
from hdnd_portal.core.search import search_index

from .constraints import check, unique

LONG_TEXT = 10_000


class QuestioningSession(SearchableModel):
    """A questioning session at a council session or a standing-committee meeting."""

    council_dated_fields = ("held_on",)

    class Venue(models.TextChoices):
        COUNCIL_SESSION = "council_session", _("At a council session")
        STANDING_MEETING = "standing_meeting", _("At a standing-committee meeting")

    class ConclusionKind(models.TextChoices):
        RESOLUTION = "resolution", _("Questioning resolution")
        NOTICE = "notice", _("Conclusion notice")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CONCLUDED = "concluded", _("Concluded")

    council = models.ForeignKey(
        "core.Council", verbose_name=_("council"), on_delete=models.PROTECT, related_name="questioning_sessions"
    )
    venue = models.CharField(_("held"), max_length=20, choices=Venue.choices, default=Venue.COUNCIL_SESSION)
    council_session = models.ForeignKey(
        "council_sessions.CouncilSession",
        verbose_name=_("council session"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="questioning_sessions",
    )
    title = models.CharField(_("title"), max_length=300)
    held_on = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PLANNED)
    conclusion_kind = models.CharField(_("concluded by"), max_length=16, choices=ConclusionKind.choices, blank=True)
    conclusion_number = models.CharField(_("conclusion document number"), max_length=60, blank=True)
    conclusion_date = models.DateField(_("conclusion date"), null=True, blank=True)
    conclusion_text = models.TextField(_("conclusion"), blank=True, max_length=LONG_TEXT)
    search_fields = ("title", "conclusion_number")

    class Meta:
        verbose_name = _("questioning session")
        verbose_name_plural = _("questioning sessions")
        ordering = ["-held_on", "-id"]
        indexes = [
            search_index("questioningsession_search"),
            models.Index(fields=["council", "-held_on"], name="qsession_council_date"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("oversight:questioning_detail", args=[self.pk])


class IssueGroup(PortalModel):
    """A group of issues (nhóm vấn đề) questioned together."""

    council = models.ForeignKey("core.Council", verbose_name=_("council"), on_delete=models.PROTECT, related_name="+")
    questioning_session = models.ForeignKey(
        QuestioningSession, verbose_name=_("questioning session"), on_delete=models.CASCADE, related_name="groups"
    )
    title = models.CharField(_("issue group"), max_length=300)
    field = models.ForeignKey(
        "core.Field", verbose_name=_("field"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)

    class Meta:
        verbose_name = _("issue group")
        verbose_name_plural = _("issue groups")
        ordering = ["questioning_session", "order", "id"]

    def __str__(self) -> str:
        return self.title


class Post(models.TextChoices):
    """Posts a respondent may hold. Only QUESTIONABLE ones may be questioned (rule question.questionable_posts)."""

    PC_CHAIR = "pc_chair", _("Chair of the People's Committee")
    PC_VICE_CHAIR = "pc_vice_chair", _("Vice-chair of the People's Committee")
    PC_MEMBER = "pc_member", _("Member of the People's Committee")
    CHIEF_JUDGE = "chief_judge", _("Chief judge of the People's Court")
    CHIEF_PROCURATOR = "chief_procurator", _("Chief procurator of the People's Procuracy")
    DEPARTMENT_HEAD = "department_head", _("Head of a People's Committee department")
    DEPUTY_DEPARTMENT_HEAD = "deputy_department_head", _("Deputy head of a department")
    OTHER = "other", _("Other post")


QUESTIONABLE_POSTS = (
    Post.PC_CHAIR,
    Post.PC_VICE_CHAIR,
    Post.PC_MEMBER,
    Post.CHIEF_JUDGE,
    Post.CHIEF_PROCURATOR,
    Post.DEPARTMENT_HEAD,
)


class Respondent(PortalModel):
    """A person questioned in a questioning session (answers in person, cannot delegate)."""

    council = models.ForeignKey("core.Council", verbose_name=_("council"), on_delete=models.PROTECT, related_name="+")
    questioning_session = models.ForeignKey(
        QuestioningSession,
        verbose_name=_("questioning session"),
        on_delete=models.CASCADE,
        related_name="respondents",
    )
    official_name = models.CharField(_("full name"), max_length=120)
    post = models.CharField(_("post"), max_length=24, choices=Post.choices)
    official_title = models.CharField(_("title as written"), max_length=200, blank=True)
    agency = models.ForeignKey("core.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("respondent")
        verbose_name_plural = _("respondents")
        ordering = ["questioning_session", "id"]
        constraints = [
            check(
                condition=Q(post__in=[p.value for p in QUESTIONABLE_POSTS]),
                name="respondent_questionable_post",
                message=_("This post may not be questioned."),
                field="post",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.official_name} — {self.official_title or self.get_post_display()}"


class Question(PortalModel):
    """A question (câu hỏi chất vấn) from a deputy to a respondent, with its answer."""

    class Form(models.TextChoices):
        ORAL = "oral", _("Asked orally in the session")
        SLIP = "slip", _("Questioning slip")

    class AnswerMode(models.TextChoices):
        IN_SESSION = "in_session", _("Answered in the session")
        WRITTEN = "written", _("To be answered in writing")

    council = models.ForeignKey("core.Council", verbose_name=_("council"), on_delete=models.PROTECT, related_name="+")
    questioning_session = models.ForeignKey(
        QuestioningSession, verbose_name=_("questioning session"), on_delete=models.CASCADE, related_name="questions"
    )
    issue_group = models.ForeignKey(
        IssueGroup,
        verbose_name=_("issue group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
    )
    deputy = models.ForeignKey(
        "core.Deputy", verbose_name=_("deputy asking"), on_delete=models.PROTECT, related_name="oversight_questions"
    )
    respondent = models.ForeignKey(
        Respondent, verbose_name=_("addressed to"), on_delete=models.PROTECT, related_name="questions"
    )
    form = models.CharField(_("form"), max_length=8, choices=Form.choices, default=Form.ORAL)
    text = models.TextField(_("question"), max_length=LONG_TEXT)
    asked_on = models.DateField(_("asked on"))
    answer_mode = models.CharField(
        _("answer"), max_length=12, choices=AnswerMode.choices, default=AnswerMode.IN_SESSION
    )
    written_due = models.DateField(_("written answer due"), null=True, blank=True)
    answer_text = models.TextField(_("answer"), blank=True, max_length=LONG_TEXT)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answer_file = models.FileField(_("written answer"), upload_to="oversight/answers/%Y/", blank=True)
    requestion_of = models.ForeignKey(
        "self",
        verbose_name=_("re-questioning of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requestions",
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["questioning_session", "id"]
        indexes = [models.Index(fields=["council", "deputy"], name="question_council_deputy")]

    def __str__(self) -> str:
        return self.text[:100]

    @property
    def is_answered(self) -> bool:
        return self.answered_on is not None


class ExplanationSession(SearchableModel):
    """An explanation session (phiên giải trình) held by the standing committee or a committee."""

    council = models.ForeignKey(
        "core.Council", verbose_name=_("council"), on_delete=models.PROTECT, related_name="explanation_sessions"
    )
    body = models.ForeignKey(
        "core.Body", verbose_name=_("held by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    topic = models.CharField(_("topic"), max_length=300)
    field = models.ForeignKey(
        "core.Field", verbose_name=_("field"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(
        "core.Agency", verbose_name=_("explaining agency"), on_delete=models.PROTECT, related_name="+"
    )
    officials = models.TextField(_("explaining officials"), max_length=LONG_TEXT, help_text=_("One per line: name — post"))
    held_on = models.DateField(_("date"))
    notice_sent_on = models.DateField(_("notice sent on"), null=True, blank=True)
    conclusion_number = models.CharField(_("conclusion notice number"), max_length=60, blank=True)
    conclusion_date = models.DateField(_("conclusion date"), null=True, blank=True)
    conclusion_text = models.TextField(_("conclusion"), blank=True, max_length=LONG_TEXT)
    search_fields = ("topic", "officials", "agency__name", "conclusion_number")

    class Meta:
        verbose_name = _("explanation session")
        verbose_name_plural = _("explanation sessions")
        ordering = ["-held_on", "-id"]
        indexes = [
            search_index("explanationsession_search"),
            models.Index(fields=["council", "-held_on"], name="explanation_council_date"),
        ]

    def __str__(self) -> str:
        return self.topic

    def get_absolute_url(self) -> str:
        return reverse("oversight:explanation_detail", args=[self.pk])


class RespondentReport(PortalModel):
    """The report a respondent owes before the next session (at the latest 10 days before it
    opens) on implementing the questioning resolution and the promises made."""

    council = models.ForeignKey("core.Council", verbose_name=_("council"), on_delete=models.PROTECT, related_name="+")
    council_session = models.ForeignKey(
        "council_sessions.CouncilSession",
        verbose_name=_("next session"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    agency = models.ForeignKey("core.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+")
    official_name = models.CharField(_("official"), max_length=120, blank=True)
    due_date = models.DateField(_("due date"))
    received_on = models.DateField(_("received on"), null=True, blank=True)
    file = models.FileField(_("report"), upload_to="oversight/respondent_reports/%Y/", blank=True)

    class Meta:
        verbose_name = _("respondent's report")
        verbose_name_plural = _("respondents' reports")
        ordering = ["due_date", "agency__name"]
        constraints = [
            unique(
                fields=["council_session", "agency"],
                name="respondent_report_one_per_session",
                message=_("This agency already owes a report before this session."),
                field="agency",
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency} — {self.due_date:%d/%m/%Y}"
