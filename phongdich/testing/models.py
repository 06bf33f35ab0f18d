"""Testing (T1, T3): the dated mandatory-testing rules, test orders, samples, labs, pools and results.

A ``TestOrder`` says that a person must be tested (why, how, by when); it is idempotent per person
through ``source_key`` (the event that caused it). A ``Sample`` is taken for an order, sent to a
``Lab``, maybe put into a PCR ``Pool``; a ``Result`` belongs to one sample or to one pool.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phongdich.core.models import BaseModel
from phongdich.geo.models import Unit
from phongdich.orgs.models import Organisation
from phongdich.people.models import Person
from phongdich.quarantine.models import AppliesTo

# The most samples one PCR pool may hold (settings.TESTING_POOL_MAX overrides).
POOL_MAX = 10
# The highest cycle threshold a PCR result may report.
CT_MAX = 45


def pool_max() -> int:
    return int(getattr(settings, "TESTING_POOL_MAX", POOL_MAX))


class TestKind(models.TextChoices):
    RAPID = "rapid", _("Test nhanh kháng nguyên")
    PCR = "pcr", _("RT-PCR")


class Trigger(models.TextChoices):
    NEW_HIRE = "new_hire", _("Mới tuyển dụng")
    EPIDEMIC_AREA_ARRIVAL = "epidemic_area_arrival", _("Đến, trở về từ vùng dịch")
    SYMPTOMS = "symptoms", _("Có triệu chứng sốt, ho, khó thở")
    F1_SCHEDULE = "f1_schedule", _("F1 theo lịch cách ly")


class OrderReason(models.TextChoices):
    NEW_HIRE = "new_hire", _("Mới tuyển dụng")
    EPIDEMIC_AREA_ARRIVAL = "epidemic_area_arrival", _("Đến, trở về từ vùng dịch")
    SYMPTOMS = "symptoms", _("Có triệu chứng sốt, ho, khó thở")
    F1_SCHEDULE = "f1_schedule", _("F1 theo lịch cách ly")
    SCREENING = "screening", _("Sàng lọc ngẫu nhiên")
    POOL_RETEST = "pool_retest", _("Xét nghiệm lại mẫu đơn (mẫu gộp dương tính)")
    RETEST = "retest", _("Xét nghiệm lại (mẫu không hợp lệ)")
    CONFIRMATION = "confirmation", _("Khẳng định bằng RT-PCR (test nhanh dương tính)")
    MANUAL = "manual", _("Chỉ định khác")


# Reasons a system follow-up creates (never chosen by hand).
FOLLOW_UP_REASONS = (OrderReason.POOL_RETEST, OrderReason.RETEST, OrderReason.CONFIRMATION)


class OrderStatus(models.TextChoices):
    OPEN = "open", _("Chờ lấy mẫu")
    SAMPLED = "sampled", _("Đã lấy mẫu")
    RESULTED = "resulted", _("Đã có kết quả")
    CANCELLED = "cancelled", _("Đã hủy")


# Orders still waiting for a result.
PENDING_STATUSES = (OrderStatus.OPEN, OrderStatus.SAMPLED)


class Outcome(models.TextChoices):
    POSITIVE = "positive", _("Dương tính")
    NEGATIVE = "negative", _("Âm tính")
    INVALID = "invalid", _("Không hợp lệ")


class MandatoryTestRule(BaseModel):
    """One dated row of who must be tested (T1), kept as editable data with its source document."""

    trigger = models.CharField(_("trường hợp"), max_length=24, choices=Trigger.choices)
    kind = models.CharField(_("loại xét nghiệm"), max_length=8, choices=TestKind.choices)
    due_within_days = models.PositiveSmallIntegerField(_("thực hiện trong (ngày)"), default=1)
    # For F1: day numbers counted from the first day of quarantine (day 1 = the start date).
    schedule_days = models.JSONField(_("ngày xét nghiệm (F1)"), default=list, blank=True)
    applies_to = models.CharField(_("áp dụng cho"), max_length=20, choices=AppliesTo.choices, default=AppliesTo.ANY)
    effective_from = models.DateField(_("áp dụng từ"))
    effective_to = models.DateField(_("áp dụng đến"), null=True, blank=True)
    source = models.CharField(_("văn bản"), max_length=255)
    uncertain = models.BooleanField(_("chưa chắc chắn"), default=False)
    note = models.CharField(_("ghi chú"), max_length=400, blank=True)

    class Meta:
        verbose_name = _("quy định xét nghiệm bắt buộc")
        verbose_name_plural = _("quy định xét nghiệm bắt buộc")
        ordering = ["trigger", "effective_from", "applies_to", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(effective_to__isnull=True) | models.Q(effective_to__gte=models.F("effective_from")),
                name="testing_rule_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_trigger_display()} — {self.source} ({self.effective_from:%d/%m/%Y})"

    @property
    def schedule_label(self) -> str:
        return ", ".join(str(d) for d in self.schedule_days or [])


class TestOrder(BaseModel):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="test_orders", verbose_name=_("người"))
    reason = models.CharField(_("lý do"), max_length=24, choices=OrderReason.choices)
    kind = models.CharField(_("loại xét nghiệm"), max_length=8, choices=TestKind.choices)
    due_on = models.DateField(_("hạn xét nghiệm"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=OrderStatus.choices, default=OrderStatus.OPEN)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="test_orders",
        verbose_name=_("cơ quan, đơn vị"),
    )
    # The person's residence commune when the order was made (the unit that follows it up).
    residence_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("xã, phường"))
    rule = models.ForeignKey(
        MandatoryTestRule,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders",
        verbose_name=_("quy định"),
    )
    # What caused the order ("membership:<uid>", "declaration:<uid>:symptoms", "episode:<uid>:day:7" …).
    source_key = models.CharField(_("nguồn chỉ định"), max_length=120)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="follow_ups",
        verbose_name=_("chỉ định trước"),
    )
    outcome = models.CharField(_("kết quả"), max_length=10, choices=Outcome.choices, blank=True)
    resulted_at = models.DateTimeField(_("có kết quả lúc"), null=True, blank=True)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("chỉ định xét nghiệm")
        verbose_name_plural = _("chỉ định xét nghiệm")
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "source_key"], name="testing_order_one_per_source"),
        ]
        indexes = [
            models.Index(fields=["status", "due_on", "id"], name="testing_order_status_due"),
            models.Index(fields=["residence_unit", "status", "due_on"], name="testing_order_unit_due"),
            models.Index(fields=["organisation", "status", "due_on"], name="testing_order_org_due"),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_kind_display()} ({self.due_on:%d/%m/%Y})"

    @property
    def is_pending(self) -> bool:
        return self.status in PENDING_STATUSES

    def is_overdue(self, today: object = None) -> bool:
        day = today or timezone.localdate()
        return self.status == OrderStatus.OPEN and self.due_on < day  # type: ignore[operator]


class Lab(BaseModel):
    name = models.CharField(_("tên phòng xét nghiệm"), max_length=255)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("địa bàn"))
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="labs",
        verbose_name=_("cơ sở y tế"),
    )
    capacity_rapid = models.PositiveIntegerField(_("công suất test nhanh/ngày"), default=0)
    capacity_pcr = models.PositiveIntegerField(_("công suất RT-PCR/ngày"), default=0)
    active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("phòng xét nghiệm")
        verbose_name_plural = _("phòng xét nghiệm")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def capacity(self, kind: str) -> int:
        return self.capacity_pcr if kind == TestKind.PCR else self.capacity_rapid


class Pool(BaseModel):
    """A PCR pool: up to ``pool_max()`` samples tested together."""

    code = models.CharField(_("mã mẫu gộp"), max_length=40, unique=True)
    lab = models.ForeignKey(Lab, on_delete=models.PROTECT, related_name="pools", verbose_name=_("phòng xét nghiệm"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("mẫu gộp")
        verbose_name_plural = _("mẫu gộp")
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.code


class Sample(BaseModel):
    code = models.CharField(_("mã mẫu"), max_length=40, unique=True)
    order = models.OneToOneField(TestOrder, on_delete=models.PROTECT, related_name="sample", verbose_name=_("chỉ định"))
    kind = models.CharField(_("loại xét nghiệm"), max_length=8, choices=TestKind.choices)
    taken_at = models.DateTimeField(_("lấy mẫu lúc"))
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người lấy mẫu"),
    )
    lab = models.ForeignKey(
        Lab,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="samples",
        verbose_name=_("phòng xét nghiệm"),
    )
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    received_at = models.DateTimeField(_("phòng xét nghiệm nhận lúc"), null=True, blank=True)
    pool = models.ForeignKey(
        Pool, null=True, blank=True, on_delete=models.PROTECT, related_name="samples", verbose_name=_("mẫu gộp")
    )

    class Meta:
        verbose_name = _("mẫu xét nghiệm")
        verbose_name_plural = _("mẫu xét nghiệm")
        ordering = ["-taken_at", "-id"]
        indexes = [models.Index(fields=["lab", "received_at"], name="testing_sample_lab_received")]

    def __str__(self) -> str:
        return self.code


class Result(BaseModel):
    """The result of one sample or of one pool. Members of a negative pool get their own negative result
    pointing at the pool's (``via_pool``)."""

    sample = models.OneToOneField(
        Sample, null=True, blank=True, on_delete=models.PROTECT, related_name="result", verbose_name=_("mẫu")
    )
    pool = models.OneToOneField(
        Pool, null=True, blank=True, on_delete=models.PROTECT, related_name="result", verbose_name=_("mẫu gộp")
    )
    via_pool = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="member_results",
        verbose_name=_("theo kết quả mẫu gộp"),
    )
    lab = models.ForeignKey(Lab, on_delete=models.PROTECT, related_name="results", verbose_name=_("phòng xét nghiệm"))
    kind = models.CharField(_("loại xét nghiệm"), max_length=8, choices=TestKind.choices)
    outcome = models.CharField(_("kết quả"), max_length=10, choices=Outcome.choices)
    ct_value = models.DecimalField(_("giá trị Ct"), max_digits=4, decimal_places=1, null=True, blank=True)
    resulted_at = models.DateTimeField(_("có kết quả lúc"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("kết quả xét nghiệm")
        verbose_name_plural = _("kết quả xét nghiệm")
        ordering = ["-resulted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(sample__isnull=False) & models.Q(pool__isnull=True))
                | (models.Q(sample__isnull=True) & models.Q(pool__isnull=False)),
                name="testing_result_sample_or_pool",
            ),
            models.CheckConstraint(
                condition=models.Q(ct_value__isnull=True)
                | (models.Q(ct_value__gte=0) & models.Q(ct_value__lte=CT_MAX)),
                name="testing_result_ct_range",
            ),
        ]
        indexes = [models.Index(fields=["lab", "resulted_at"], name="testing_result_lab_time")]

    def __str__(self) -> str:
        return f"{self.sample or self.pool}: {self.get_outcome_display()}"
