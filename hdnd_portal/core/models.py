"""The shared kernel: councils and their people, the rules of law as data, users and roles,
deadlines and document numbering. Every council-owned row has a direct `council` foreign key."""

from datetime import date, timedelta

from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .search import fold_parts, search_index, search_vector, stored_folded_vector, stored_search_vector
from .sorting import SORT_KEY_LENGTH, natural_sort_key, person_sort_key


class PortalHistoricalRecords(HistoricalRecords):
    """History without the columns PostgreSQL generates (the stored search vector): they are
    derived from columns the history keeps, and a history row is never searched."""

    def fields_included(self, model):
        return [field for field in super().fields_included(model) if not field.generated]


_TRACKED_ATTNAMES: dict[type, tuple[str, ...]] = {}  # per model: the attnames PortalModel remembers as loaded


class PortalModel(models.Model):
    """Base of every portal record: timestamps, a version for stale-edit detection, history.

    Two invariants hold on every road a write can take (page, API, import, task), because they
    are enforced here rather than in each door:
    - the fields named in `immutable_fields` (the owning `council`, a council's `parent`) never
      change after creation;
    - every update increases `version` by one, and is written with a compare-and-set on the
      version the row had when it was read (or locked by check_and_bump): a save made from a
      stale copy is refused with StaleEditError instead of silently overwriting."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    history = PortalHistoricalRecords(inherit=True)

    immutable_fields: tuple[str, ...] = ("council",)
    # Dates that must fall within the owning council's existence (a district council dissolved on
    # 30/6/2025 holds no session in July): checked here, on every road a write takes, when the
    # record is created or the date changes.
    council_dated_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._remember_loaded()
        return instance

    def _tracked_attnames(self) -> tuple[str, ...]:
        cls = type(self)
        names = _TRACKED_ATTNAMES.get(cls)
        if names is None:
            found = ["version", *self.council_dated_fields]
            for name in self.immutable_fields:
                try:
                    found.append(self._meta.get_field(name).attname)
                except Exception:
                    continue
            names = _TRACKED_ATTNAMES[cls] = tuple(found)
        return names

    def _remember_loaded(self) -> None:
        # Every row a page lists passes here: read the loaded values straight from the instance's
        # dict (a deferred field is not in it, as get_deferred_fields() tests field by field).
        values = self.__dict__
        self._loaded = {a: values[a] for a in self._tracked_attnames() if a in values}

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)
        if fields is None:
            self._remember_loaded()
            return
        # Loading one deferred field must not move the remembered version or council (a save in
        # progress after check_and_bump would otherwise compare against the wrong version).
        loaded = getattr(self, "_loaded", None)
        if loaded is None:
            return
        names = {self._meta.get_field(f).attname if not f.endswith("_id") else f for f in fields}
        for attname in self._tracked_attnames():
            if attname in names:
                loaded[attname] = getattr(self, attname)

    def save(self, *args, **kwargs):
        from .exceptions import DomainError

        loaded = getattr(self, "_loaded", None)
        updating = self.pk is not None and not self._state.adding and loaded is not None
        self._check_council_dates(loaded if updating else None)
        if updating:
            for name in self.immutable_fields:
                try:
                    attname = self._meta.get_field(name).attname
                except Exception:
                    continue
                if attname in loaded and getattr(self, attname) != loaded[attname]:
                    raise DomainError(
                        _("%(field)s cannot be changed after the record is created.")
                        % {"field": str(self._meta.get_field(name).verbose_name).capitalize()},
                        field=name,
                    )
            if "version" in loaded:
                if self.version == loaded["version"]:
                    self.version = loaded["version"] + 1
                if kwargs.get("update_fields") is not None:
                    kwargs["update_fields"] = set(kwargs["update_fields"]) | {"version"}
        super().save(*args, **kwargs)
        self._remember_loaded()

    def _check_council_dates(self, loaded: dict | None) -> None:
        if not self.council_dated_fields or getattr(self, "council_id", None) is None:
            return
        from .services import check_council_date

        for name in self.council_dated_fields:
            day = getattr(self, name)
            if day is None or (loaded is not None and name in loaded and loaded[name] == day):
                continue
            check_council_date(council=self.council, day=day, field=name)

    def _do_update(self, base_qs, using, pk_val, values, update_fields, forced_update):
        loaded = getattr(self, "_loaded", None)
        if not loaded or "version" not in loaded or not values:
            return super()._do_update(base_qs, using, pk_val, values, update_fields, forced_update)
        # Compare-and-set: the row must still be at the version this copy was read at.
        updated = base_qs.filter(pk=pk_val, version=self.version - 1)._update(values) > 0
        if not updated and base_qs.filter(pk=pk_val).exists():
            from .concurrency import describe_changes, stale_message
            from .exceptions import StaleEditError

            current = base_qs.filter(pk=pk_val).values_list("version", flat=True).first()
            changes = describe_changes(self, self.version - 1)
            raise StaleEditError(stale_message(changes), extra={"current_version": current, "changes": [
                {**c, "at": c["at"].isoformat()} for c in changes]})
        return updated


class SearchableModel(PortalModel):
    """A record with a folded, indexed search column; subclasses list what it is built from."""

    search_text = models.TextField(default="", editable=False)
    search_vector = stored_search_vector()  # what the GIN index and apply_search use
    search_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def build_search_text(self) -> str:
        values = []
        for path in self.search_fields:
            value = self
            for part in path.split("__"):
                value = getattr(value, part, None) if value is not None else None
            values.append(value)
        return fold_parts(*values)

    def save(self, *args, **kwargs):
        # Denormalised search column: kept in step with the row on every save.
        self.search_text = self.build_search_text()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = set(kwargs["update_fields"]) | {"search_text"}
        super().save(*args, **kwargs)


class SortKeyQuerySet(models.QuerySet):
    """bulk_create and bulk_update fill the sort key as save() does (demo data and importers
    write people and groups in bulk). A queryset update() of a name field does not: use save()."""

    def _keyed(self) -> bool:
        # Models rebuilt by migrations have the manager but not the model's methods.
        return hasattr(self.model, "build_sort_key")

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        if self._keyed():
            for obj in objs:
                obj.sort_key = obj.build_sort_key()
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs, fields = list(objs), list(fields)
        if self._keyed() and set(fields) & set(self.model.sort_key_from):
            for obj in objs:
                obj.sort_key = obj.build_sort_key()
            if "sort_key" not in fields:
                fields.append("sort_key")
        return super().bulk_update(objs, fields, *args, **kwargs)


class SortKeyed(models.Model):
    """A record listed in Vietnamese alphabetical order (core.sorting): the key is stored, kept in
    step with `sort_key_from` on every save, and compared byte by byte ("C" collation), so the
    order does not depend on the database's collation. Order lists by `sort_key`, never by name."""

    sort_key = models.CharField(_("sort key"), max_length=SORT_KEY_LENGTH, default="", editable=False, db_collation="C")
    sort_key_from: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def build_sort_key(self) -> str:
        raise NotImplementedError

    def save(self, *args, **kwargs):
        self.sort_key = self.build_sort_key()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = set(kwargs["update_fields"]) | {"sort_key"}
        super().save(*args, **kwargs)


class Council(SearchableModel):
    """A People's Council (Hội đồng nhân dân) at one level of government."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province level")
        DISTRICT = "district", _("District level (historical)")
        COMMUNE = "commune", _("Commune level")

    class UnitKind(models.TextChoices):
        PROVINCE = "tinh", _("Province")
        CITY = "thanh_pho", _("Centrally-run city")
        DISTRICT = "huyen", _("District")
        URBAN_DISTRICT = "quan", _("Urban district")
        TOWN = "thi_xa", _("Town")
        PROVINCIAL_CITY = "thanh_pho_thuoc_tinh", _("Provincial city")
        COMMUNE = "xa", _("Commune")
        WARD = "phuong", _("Ward")
        TOWNSHIP = "thi_tran", _("Township")
        SPECIAL_ZONE = "dac_khu", _("Special zone")

    name = models.CharField(_("name"), max_length=200, help_text=_("e.g. Thành phố Hà Nội, Phường Hoàn Kiếm"))
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    unit_kind = models.CharField(_("unit kind"), max_length=32, choices=UnitKind.choices)
    code = models.CharField(_("administrative code"), max_length=16, unique=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent council"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    place_name = models.CharField(
        _("place name"), max_length=100, blank=True, help_text=_("Used in the place and date line of documents, e.g. Hà Nội")
    )
    is_active = models.BooleanField(_("active"), default=True)
    established_on = models.DateField(
        _("established on"), null=True, blank=True,
        help_text=_("First day the council existed; empty if it existed before the records begin"),
    )
    dissolved_on = models.DateField(
        _("dissolved on"), null=True, blank=True,
        help_text=_("Last day the council existed (district councils: 30/06/2025); empty while it exists"),
    )
    predecessors = models.ManyToManyField(
        "self", verbose_name=_("predecessor councils"), symmetrical=False, blank=True, related_name="successors",
        help_text=_("The councils this one replaced (merged communes, an abolished district)"),
    )
    search_fields = ("name", "code", "place_name")
    # A council keeps its place in the hierarchy; a reorganisation creates successor councils.
    immutable_fields = ("parent",)

    # The two-tier reform: district councils ceased on 30 June 2025 (2025 law on local government).
    REFORM_DATE = date(2025, 7, 1)
    UNIT_KINDS_BY_LEVEL = {
        Level.PROVINCE: {UnitKind.PROVINCE, UnitKind.CITY},
        Level.DISTRICT: {UnitKind.DISTRICT, UnitKind.URBAN_DISTRICT, UnitKind.TOWN, UnitKind.PROVINCIAL_CITY},
        Level.COMMUNE: {UnitKind.COMMUNE, UnitKind.WARD, UnitKind.TOWNSHIP, UnitKind.SPECIAL_ZONE},
    }

    class Meta:
        verbose_name = _("council")
        verbose_name_plural = _("councils")
        ordering = ["level", "name"]
        indexes = [search_index("council_search"), models.Index(fields=["parent", "name"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True) | Q(established_on__isnull=True)
                | Q(dissolved_on__gte=F("established_on")),
                name="council_dates_ordered",
                violation_error_message=_("A council cannot be dissolved before it was established."),
            ),
        ]

    def __str__(self) -> str:
        return str(_("People's Council of %(name)s") % {"name": self.name})

    @staticmethod
    def historical(level: str, dissolved_on: date | None, today: date) -> bool:
        """Dissolved before today; a district council without a recorded end date is historical too."""
        if dissolved_on is not None:
            return dissolved_on < today
        return level == Council.Level.DISTRICT

    @property
    def is_historical(self) -> bool:
        """Dissolved (a district council after the reform, a commune merged into another)."""
        return self.historical(self.level, self.dissolved_on, timezone.localdate())

    @property
    def label(self) -> str:
        """The name as lists and the switcher show it, marking a dissolved council."""
        if self.is_historical:
            return str(_("%(name)s (dissolved)") % {"name": self.name})
        return self.name

    def exists_on(self, day: date) -> bool:
        if self.established_on and day < self.established_on:
            return False
        return not (self.dissolved_on and day > self.dissolved_on)

    @property
    def heading_name(self) -> str:
        """The issuing body's name in the document header: HỘI ĐỒNG NHÂN DÂN / THÀNH PHỐ HÀ NỘI."""
        return self.name.upper()

    def clean(self) -> None:
        errors = {}
        if self.parent_id and self.parent_id == self.pk:
            errors["parent"] = _("A council cannot be its own parent.")
        kinds = self.UNIT_KINDS_BY_LEVEL.get(self.level)
        if kinds and self.unit_kind and self.unit_kind not in kinds:
            errors["unit_kind"] = _("This unit kind does not belong to the chosen level.")
        parent = self.parent if self.parent_id else None
        if self.level == self.Level.PROVINCE and parent is not None:
            errors["parent"] = _("A province-level council has no parent council.")
        elif self.level in (self.Level.DISTRICT, self.Level.COMMUNE) and parent is None:
            errors["parent"] = _("Choose the council this one belongs to.")
        elif self.level == self.Level.DISTRICT and parent.level != self.Level.PROVINCE:
            errors["parent"] = _("A district council belongs to a province-level council.")
        elif self.level == self.Level.COMMUNE and parent.level == self.Level.COMMUNE:
            errors["parent"] = _("A commune council belongs to a province or (before 1/7/2025) a district council.")
        elif self.level == self.Level.COMMUNE and parent.level == self.Level.DISTRICT and (
            self.dissolved_on is None or self.dissolved_on >= self.REFORM_DATE
        ):
            errors["dissolved_on"] = _("A commune under a district council ceased with the reform; its last day "
                                       "is at the latest 30/06/2025.")
        if self.level == self.Level.DISTRICT and (self.dissolved_on is None or self.dissolved_on >= self.REFORM_DATE):
            errors["dissolved_on"] = _("District councils were abolished on 1/7/2025: give the last day, at the "
                                       "latest 30/06/2025.")
        if self.established_on and self.dissolved_on and self.dissolved_on < self.established_on:
            errors["dissolved_on"] = _("A council cannot be dissolved before it was established.")
        if errors:
            raise ValidationError(errors)


class Term(PortalModel):
    """A council term (khóa, nhiệm kỳ), e.g. khóa XVI, 2021–2026."""

    council = models.ForeignKey(Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="terms")
    numeral = models.CharField(_("term number"), max_length=10, help_text=_("Roman numeral, e.g. XVI"))
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    is_current = models.BooleanField(_("current term"), default=False)

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["council", "-start_year"]
        constraints = [
            models.UniqueConstraint(fields=["council", "numeral"], name="term_unique_numeral", violation_error_message=_("This council already has a term with this number.")),
            models.UniqueConstraint(fields=["council"], condition=Q(is_current=True), name="term_one_current", violation_error_message=_("Another term of this council is marked current; unmark it first.")),
            models.CheckConstraint(condition=Q(end_year__gte=F("start_year")), name="term_years_ordered", violation_error_message=_("The last year of a term cannot be before its first year.")),
        ]

    def __str__(self) -> str:
        return str(_("Term %(numeral)s, %(start)s–%(end)s") % {
            "numeral": self.numeral, "start": self.start_year, "end": self.end_year
        })

    def clean(self) -> None:
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": _("The last year cannot be before the first year.")})


class Field(SearchableModel):
    """A subject field (lĩnh vực): đất đai, giao thông, môi trường… shared by all councils."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    search_fields = ("name", "code")

    class Meta:
        verbose_name = _("field")
        verbose_name_plural = _("fields")
        ordering = ["name"]
        indexes = [search_index("field_search")]

    def __str__(self) -> str:
        return self.name


class Body(SortKeyed, SearchableModel):
    """Thường trực HĐND, a committee (Ban) or a delegate group (Tổ đại biểu)."""

    class Kind(models.TextChoices):
        STANDING = "standing", _("Standing committee")
        COMMITTEE = "committee", _("Committee")
        GROUP = "group", _("Delegate group")

    council = models.ForeignKey(Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="bodies")
    term = models.ForeignKey(Term, verbose_name=_("term"), null=True, blank=True, on_delete=models.PROTECT)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    abbreviation = models.CharField(
        _("abbreviation"), max_length=20, blank=True, help_text=_("Used in document numbers, e.g. KTNS")
    )
    area = models.CharField(_("area"), max_length=200, blank=True, help_text=_("For delegate groups: the area they cover"))
    fields = models.ManyToManyField(Field, verbose_name=_("fields"), blank=True, related_name="bodies")
    is_active = models.BooleanField(_("active"), default=True)
    search_fields = ("name", "abbreviation", "area")
    sort_key_from = ("name",)

    objects = SortKeyQuerySet.as_manager()

    class Meta:
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        ordering = ["council", "kind", "sort_key"]
        indexes = [search_index("body_search"), models.Index(fields=["council", "kind", "sort_key"])]
        constraints = [models.UniqueConstraint(fields=["council", "term", "name"], name="body_unique_name", violation_error_message=_("This council already has a body with this name in this term."))]

    def __str__(self) -> str:
        return self.name

    def build_sort_key(self) -> str:
        # "Tổ đại biểu số 2" before "Tổ đại biểu số 10".
        return natural_sort_key(self.name)


class Deputy(SortKeyed, SearchableModel):
    """A deputy (đại biểu HĐND) of one council in one term."""

    class Gender(models.TextChoices):
        MALE = "male", _("Male")
        FEMALE = "female", _("Female")

    council = models.ForeignKey(Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="deputies")
    term = models.ForeignKey(Term, verbose_name=_("term"), on_delete=models.PROTECT, related_name="deputies")
    full_name = models.CharField(_("full name"), max_length=120)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    constituency = models.CharField(_("constituency"), max_length=200, blank=True)
    occupation = models.CharField(_("position and workplace"), max_length=255, blank=True)
    is_full_time = models.BooleanField(_("full-time deputy"), default=False)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True, help_text=_("Leave empty while the deputy sits"))
    end_reason = models.CharField(_("reason for leaving"), max_length=200, blank=True)
    search_fields = ("full_name", "constituency", "occupation", "email", "phone")
    sort_key_from = ("full_name",)

    objects = SortKeyQuerySet.as_manager()

    class Meta:
        verbose_name = _("deputy")
        verbose_name_plural = _("deputies")
        ordering = ["council", "sort_key"]
        indexes = [
            search_index("deputy_search"),
            models.Index(fields=["council", "sort_key"]),
            models.Index(fields=["council", "start_date", "end_date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")), name="deputy_dates_ordered", violation_error_message=_("The end date cannot be before the start date.")
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    def build_sort_key(self) -> str:
        return person_sort_key(self.full_name)

    def clean(self) -> None:
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})
        if self.term_id and self.council_id and self.term.council_id != self.council_id:
            raise ValidationError({"term": _("The term belongs to another council.")})

    def sits_on(self, day) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


class Membership(PortalModel):
    """A deputy's post in a body (Chủ tịch, Trưởng ban, Tổ trưởng, thành viên…) with dates."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        VICE_CHAIR = "vice_chair", _("Vice-chair")
        STANDING_MEMBER = "standing_member", _("Standing committee member")
        HEAD = "head", _("Committee head")
        DEPUTY_HEAD = "deputy_head", _("Committee deputy head")
        GROUP_LEADER = "group_leader", _("Group leader")
        GROUP_DEPUTY_LEADER = "group_deputy_leader", _("Group deputy leader")
        MEMBER = "member", _("Member")

    council = models.ForeignKey(Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="+")
    deputy = models.ForeignKey(Deputy, verbose_name=_("deputy"), on_delete=models.PROTECT, related_name="memberships")
    body = models.ForeignKey(Body, verbose_name=_("body"), on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=24, choices=Role.choices, default=Role.MEMBER)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["body", "role", "deputy__sort_key"]
        indexes = [models.Index(fields=["council", "body"]), models.Index(fields=["deputy", "start_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")), name="membership_dates_ordered", violation_error_message=_("The membership cannot end before it starts.")
            )
        ]

    def __str__(self) -> str:
        return f"{self.deputy} — {self.get_role_display()} — {self.body}"


class Agency(SearchableModel):
    """An agency (cơ quan, đơn vị): UBND, a department, the court, the procuracy, MTTQ, a lower
    council… Respondents and assignees of petitions, recommendations and letters."""

    class Kind(models.TextChoices):
        PEOPLES_COMMITTEE = "peoples_committee", _("People's Committee")
        DEPARTMENT = "department", _("Department")
        COURT = "court", _("People's Court")
        PROCURACY = "procuracy", _("People's Procuracy")
        FATHERLAND_FRONT = "fatherland_front", _("Fatherland Front Committee")
        LOWER_COUNCIL = "lower_council", _("Lower-level council")
        CENTRAL = "central", _("Central agency")
        OTHER = "other", _("Other")

    council = models.ForeignKey(Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="agencies")
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices, default=Kind.DEPARTMENT)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent agency"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    lower_council = models.ForeignKey(
        Council, verbose_name=_("lower council"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    head_name = models.CharField(_("head of agency"), max_length=120, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    search_fields = ("name", "short_name", "head_name")

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["council", "name"]
        indexes = [search_index("agency_search"), models.Index(fields=["council", "name"])]
        constraints = [models.UniqueConstraint(fields=["council", "name"], name="agency_unique_name", violation_error_message=_("This council already has an agency with this name."))]

    def __str__(self) -> str:
        return self.label(self.name, self.short_name)

    @staticmethod
    def label(name: str | None, short_name: str | None) -> str:
        """An agency as a list names it — its short name, else its name — from those two (a list
        reading them as columns writes what str(agency) writes; "" for no agency)."""
        return short_name or name or ""


class Rule(SearchableModel):
    """A rule of law or practice as data: a deadline, threshold or count with its citation.

    A record uses the rule in force on its own start date; a row with a council overrides the
    national row for that council (and the councils below it)."""

    class Unit(models.TextChoices):
        CALENDAR_DAYS = "calendar_days", _("calendar days")
        WORKING_DAYS = "working_days", _("working days")
        MONTHS = "months", _("months")
        FRACTION = "fraction", _("fraction")
        COUNT = "count", _("count")

    class Status(models.TextChoices):
        LAW = "law", _("Read in the legal text")
        PRACTICE = "practice", _("Common practice (editable default)")
        UNCONFIRMED = "unconfirmed", _("Unconfirmed — check before relying on it")

    code = models.CharField(_("code"), max_length=80)
    name = models.CharField(_("name"), max_length=255)
    value = models.DecimalField(_("value"), max_digits=10, decimal_places=4)
    unit = models.CharField(_("unit"), max_length=16, choices=Unit.choices)
    citation = models.CharField(_("legal citation"), max_length=500)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.LAW)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(
        _("in force until"), null=True, blank=True,
        help_text=_("Last day this row applies (the law it comes from was replaced); empty while in force"),
    )
    law = models.CharField(
        _("legal source"), max_length=300, blank=True,
        help_text=_("The legal document the rule comes from, with its number and the date it took effect"),
    )
    council = models.ForeignKey(
        Council,
        verbose_name=_("council (override)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rule_overrides",
        help_text=_("Empty for the national rule; set to override it for one council"),
    )
    note = models.TextField(_("note"), blank=True)
    search_fields = ("code", "name", "citation")

    class Meta:
        verbose_name = _("rule")
        verbose_name_plural = _("rules")
        ordering = ["code", "council", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "council", "effective_from"], name="rule_unique_version", violation_error_message=_("This rule already has a row taking effect on that date for this council."),
                nulls_distinct=False,
            )
        ]
        indexes = [models.Index(fields=["code", "effective_from"]), search_index("rule_search")]

    def __str__(self) -> str:
        return f"{self.name}: {self.display_value}"

    @property
    def display_value(self) -> str:
        number = self.value.normalize()
        if self.unit == self.Unit.FRACTION:
            return f"{number}"
        return f"{number:f} {self.get_unit_display()}"

    @property
    def int_value(self) -> int:
        return int(self.value)


class CalendarException(SearchableModel):
    """A day that differs from the holiday library: an extra day off or a make-up working day."""

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Extra day off")
        WORKING_DAY = "working_day", _("Make-up working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("reason"), max_length=200)
    search_fields = ("name",)

    class Meta:
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")
        ordering = ["-date"]
        indexes = [search_index("calendar_search")]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} — {self.name}"


class PortalUserManager(UserManager.from_queryset(SortKeyQuerySet)):
    """Django's user manager, whose bulk_create and bulk_update also fill the sort key."""


class User(SortKeyed, AbstractUser):
    """A portal user. Roles on councils (CouncilRole) decide what they see and do."""

    class Digest(models.TextChoices):
        IMMEDIATE = "immediate", _("Immediately")
        DAILY = "daily", _("One daily digest")

    full_name = models.CharField(_("full name"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email_mode = models.CharField(_("e-mail notifications"), max_length=16, choices=Digest.choices, default=Digest.IMMEDIATE)
    search_text = models.TextField(default="", editable=False)
    sort_key_from = ("full_name", "username")

    objects = PortalUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        # Users are few and not SearchableModels: an index on the expression.
        indexes = [GinIndex(search_vector(), name="user_search"), models.Index(fields=["sort_key"], name="user_sort_key")]

    def __str__(self) -> str:
        return self.label(self.full_name, self.username)

    @staticmethod
    def label(full_name: str | None, username: str | None) -> str:
        """A user as pages name them — the full name, else the username — from those two (a list
        reading them as columns writes what str(user) writes; "" for nobody)."""
        return full_name or username or ""

    def build_sort_key(self) -> str:
        # Listed by what is shown (__str__): the full name, or the username when there is none.
        return person_sort_key(self.full_name or self.username)

    def save(self, *args, **kwargs):
        self.search_text = fold_parts(self.username, self.full_name, self.email)
        super().save(*args, **kwargs)


class CouncilRole(PortalModel):
    """A user's role on a council. Permissions follow from the role (core.permissions)."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Council administrator")
        STAFF = "staff", _("Office staff")
        LEADER = "leader", _("Leader (standing committee)")
        DEPUTY = "deputy", _("Deputy")
        RESPONDER = "responder", _("Agency responder")
        VIEWER = "viewer", _("Viewer")
        ARCHIVIST = "archivist", _("Archive entry (dissolved councils)")

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="council_roles")
    council = models.ForeignKey(Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="roles")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    deputy = models.ForeignKey(
        Deputy, verbose_name=_("deputy record"), null=True, blank=True, on_delete=models.PROTECT, related_name="user_roles"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), null=True, blank=True, on_delete=models.PROTECT, related_name="user_roles"
    )
    extra_permissions = models.JSONField(
        _("extra permissions"), default=list, blank=True,
        help_text=_("Permissions granted on top of the role, e.g. can_view_denouncer_identity"),
    )

    class Meta:
        verbose_name = _("council role")
        verbose_name_plural = _("council roles")
        ordering = ["council", "user__sort_key", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "council", "role"], name="role_unique", violation_error_message=_("This user already has this role on this council.")),
            models.CheckConstraint(condition=~Q(role="deputy") | Q(deputy__isnull=False), name="role_deputy_linked", violation_error_message=_("A deputy role must be linked to a deputy record.")),
            models.CheckConstraint(condition=~Q(role="responder") | Q(agency__isnull=False), name="role_responder_linked", violation_error_message=_("An agency responder must be linked to an agency.")),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.council.name}"

    def clean(self) -> None:
        if self.role == self.Role.DEPUTY and not self.deputy_id:
            raise ValidationError({"deputy": _("A deputy role must be linked to a deputy record.")})
        if self.role == self.Role.RESPONDER and not self.agency_id:
            raise ValidationError({"agency": _("An agency responder must be linked to an agency.")})
        if self.deputy_id and self.council_id and self.deputy.council_id != self.council_id:
            raise ValidationError({"deputy": _("The deputy belongs to another council.")})
        if self.agency_id and self.council_id and self.agency.council_id != self.council_id:
            raise ValidationError({"agency": _("The agency belongs to another council.")})


class PermissionGrant(models.Model):
    """The log of every role and permission granted or revoked: who, to whom, on which council."""

    council = models.ForeignKey(Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.PROTECT, related_name="+")
    permission = models.CharField(_("permission"), max_length=64)
    granted = models.BooleanField(_("granted"), help_text=_("False: revoked"))
    by = models.ForeignKey(User, verbose_name=_("by"), null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("permission grant")
        verbose_name_plural = _("permission grants")
        indexes = [models.Index(fields=["council", "-at"])]

    def __str__(self) -> str:
        return f"{self.permission} {'+' if self.granted else '-'} {self.user}"


class FormSubmission(models.Model):
    """One row per create form submitted: the form's one-time token, claimed in the transaction
    that saves, so a double click or the back button followed by "save" never creates a second
    record — the repeat is sent to what the first one created."""

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    result_url = models.CharField(max_length=500, blank=True)
    # What was sent (the page and its fields, without the tokens): a browser that reloads the form
    # on "back" sends a new token, but the same content from the same user is still a repeat.
    fingerprint = models.CharField(max_length=64, blank=True)

    REPEAT_WINDOW = timedelta(minutes=15)

    class Meta:
        indexes = [models.Index(fields=["created_at"]), models.Index(fields=["user", "fingerprint"])]


class Deadline(models.Model):
    """One deadline of any record in any app (one mechanism for all, see core.deadlines).

    `kind` is a stable code such as "petition.response"; the record is reached through a
    generic relation so that every app can put its deadlines here without a schema change."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="deadlines")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(_("kind"), max_length=60)
    title = models.CharField(_("title"), max_length=300)
    start_date = models.DateField(_("start date"))
    due_date = models.DateField(_("due date"))
    original_due_date = models.DateField(_("original due date"))
    rule = models.ForeignKey(Rule, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    responsible_user = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    responsible_agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.OPEN)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    closed_reason = models.CharField(_("reason for closing"), max_length=500, blank=True)
    closed_by = models.ForeignKey(User, verbose_name=_("closed by"), null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # The reminder scan's cursor: the first day the scan must look at this deadline again (its next
    # reminder point, or today while a reached point found nobody to tell); NULL: look at it on the
    # next scan. Written by the scan only (notifications.services.scan); a database trigger
    # (migration core 0012) sets it back to NULL whenever the due date, the state, the council or
    # the people responsible change — whichever road the change took (service, admin, bulk update).
    next_reminder_on = models.DateField(null=True, blank=True, editable=False)
    # The title's folded words, kept by PostgreSQL whatever road wrote the row (services, bulk
    # imports, demo data): the deadlines search (notifications.queries.search_deadlines) reads it
    # through its GIN index instead of folding every title of the council's deadlines.
    title_vector = stored_folded_vector("title")
    history = HistoricalRecords(excluded_fields=["next_reminder_on", "title_vector"])

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["due_date"]
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id", "kind"], name="deadline_one_per_kind", violation_error_message=_("This record already has an open deadline of this kind.")),
        ]
        indexes = [
            models.Index(fields=["state", "due_date"]),
            # The deadlines pages: their ids in the list's order, their count and their summary are
            # read from this index alone (with the id in it), without visiting the table's rows.
            models.Index(fields=["council", "state", "due_date"], include=["id"], name="deadline_council_state_due"),
            models.Index(fields=["responsible_agency", "state", "due_date"]),
            # The scan's "what is due" read: open deadlines whose cursor is NULL or reached.
            models.Index(
                fields=["next_reminder_on", "due_date"], condition=models.Q(state="open"), name="deadline_reminder_cursor"
            ),
            GinIndex(fields=["title_vector"], name="deadline_title_search"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.due_date:%d/%m/%Y})"


class DeadlineExtension(models.Model):
    """A decision that moves a deadline (extension or pause), with its legal basis."""

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="extensions")
    old_due_date = models.DateField(_("old due date"))
    new_due_date = models.DateField(_("new due date"))
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    decision_number = models.CharField(_("decision document"), max_length=60, blank=True)
    is_pause = models.BooleanField(_("pause"), default=False)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]


class DocumentCounter(models.Model):
    """The last number issued in one numbering series (issuer, type, year). See core.numbering."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="+")
    issuer = models.CharField(max_length=40)
    series = models.CharField(max_length=40)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["council", "issuer", "series", "year"], name="counter_unique_series", violation_error_message=_("This numbering series already exists."))
        ]


class RowCountDelta(models.Model):
    """Rows added (+) or removed (−) in one council of a counted table: appended by the table's
    triggers, folded into one row per council by core.rowcounts.compact(). The council is a plain
    number, not a foreign key: a delta outlives nothing and checks nothing."""

    table_name = models.CharField(max_length=63)
    council_id = models.BigIntegerField()
    delta = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["table_name", "council_id"], include=["delta"], name="rowcount_scope")]
