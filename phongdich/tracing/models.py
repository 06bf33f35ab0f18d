"""Contact tracing (C4): who was exposed to whom, the derived F-levels, the dated F1 window rule, chains.

``Contact`` is what officers record: a source person (a case's person, or an F1 for F2 links) and a
contact person, with how, where and when they met. Everything else here is derived from the
contacts, the cases and the quarantine episodes, and rebuilt by the services:

- ``ContactLevel``: one row per person in a chain — F0 (a confirmed case), F1, F2 … or outside the
  window — recomputed for the affected chain whenever a contact, a case or an isolation changes;
- ``ChainSnapshot`` and ``ChainNode``: each chain (connected component of the contact graph) with a
  layered layout by generation, rebuilt in the background for the graph page.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from phongdich.core.models import BaseModel
from phongdich.geo.models import Unit
from phongdich.orgs.models import Organisation, Premises
from phongdich.people.models import Person


class ExposureType(models.TextChoices):
    HOUSEHOLD = "household", _("Cùng hộ gia đình")
    WORKPLACE = "workplace", _("Cùng nơi làm việc")
    SHIFT = "shift", _("Cùng ca, dây chuyền sản xuất")
    MEAL = "meal", _("Ăn uống chung")
    VEHICLE = "vehicle", _("Cùng phương tiện")
    HEALTH_FACILITY = "health_facility", _("Tại cơ sở y tế")
    GATHERING = "gathering", _("Tụ tập, sự kiện đông người")
    OTHER = "other", _("Khác")


class F1WindowRule(BaseModel):
    """How many days before onset (or sampling) exposure to a case makes an F1 — dated data."""

    days_before = models.PositiveSmallIntegerField(_("số ngày trước khởi phát"))
    effective_from = models.DateField(_("áp dụng từ"))
    effective_to = models.DateField(_("áp dụng đến"), null=True, blank=True)
    source = models.CharField(_("văn bản"), max_length=255)
    uncertain = models.BooleanField(_("chưa chắc chắn"), default=False)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("quy định thời gian tiếp xúc F1")
        verbose_name_plural = _("quy định thời gian tiếp xúc F1")
        ordering = ["effective_from", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(effective_to__isnull=True) | models.Q(effective_to__gte=models.F("effective_from")),
                name="tracing_f1rule_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source}: {self.days_before} ({self.effective_from:%d/%m/%Y})"


class Contact(BaseModel):
    """One recorded exposure of ``contact`` to ``source`` (unique per pair, in this direction)."""

    source = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="tracing_contacts", verbose_name=_("người nguồn")
    )
    contact = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="tracing_sources", verbose_name=_("người tiếp xúc")
    )
    exposure_type = models.CharField(_("hình thức tiếp xúc"), max_length=16, choices=ExposureType.choices)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("cơ quan, doanh nghiệp"),
    )
    premises = models.ForeignKey(
        Premises, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("địa điểm")
    )
    place_unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("địa bàn tiếp xúc")
    )
    place_text = models.CharField(_("nơi tiếp xúc"), max_length=255, blank=True)
    first_exposure = models.DateField(_("tiếp xúc từ ngày"))
    last_exposure = models.DateField(_("tiếp xúc đến ngày"))
    notes = models.TextField(_("ghi chú"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("tiếp xúc")
        verbose_name_plural = _("tiếp xúc")
        constraints = [
            models.UniqueConstraint(fields=["source", "contact"], name="tracing_contact_unique_pair"),
            models.CheckConstraint(condition=~models.Q(source=models.F("contact")), name="tracing_contact_not_self"),
            models.CheckConstraint(
                condition=models.Q(last_exposure__gte=models.F("first_exposure")),
                name="tracing_contact_dates_ordered",
            ),
        ]
        indexes = [
            # Keyset pages of one source's / one contact's links (the FK indexes serve the joins).
            models.Index(fields=["source", "id"], name="tracing_contact_source_id"),
            models.Index(fields=["contact", "id"], name="tracing_contact_contact_id"),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} → {self.contact_id} ({self.exposure_type})"


class LevelReason(models.TextChoices):
    CASE = "case", _("Ca bệnh (F0)")
    WITHIN = "within", _("Trong thời gian lây nhiễm")
    OUTSIDE = "outside", _("Ngoài thời gian lây nhiễm")
    NO_CASE = "no_case", _("Chuỗi chưa có ca xác định")


class ContactLevel(models.Model):
    """The derived F-level of one person of a chain (materialised; rebuilt by ``levels_refresh``).

    ``level`` 0 is a confirmed case (F0), 1 an F1, 2 an F2 …; NULL when the person's exposures all
    fall outside the infectious windows (``reason`` says why). ``chain_key`` is the smallest person
    id of the chain (connected component of the contact graph).
    """

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="tracing_level")
    level = models.PositiveSmallIntegerField(_("cấp"), null=True, blank=True)
    reason = models.CharField(_("tình trạng"), max_length=8, choices=LevelReason.choices)
    within_window = models.BooleanField(_("trong thời gian lây nhiễm"), default=False)
    index_case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("ca nguồn")
    )
    via = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("qua người")
    )
    exposed_from = models.DateField(_("có thể lây từ ngày"), null=True, blank=True)
    isolated_on = models.DateField(_("ngày cách ly"), null=True, blank=True)
    chain_key = models.BigIntegerField(_("chuỗi"), db_index=True)
    derived_at = models.DateTimeField(_("tính lúc"), auto_now=True)

    class Meta:
        verbose_name = _("cấp tiếp xúc")
        verbose_name_plural = _("cấp tiếp xúc")
        indexes = [
            models.Index(fields=["level", "id"], name="tracing_level_level_id"),
            models.Index(fields=["index_case", "level"], name="tracing_level_index_case"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}: F{self.level}" if self.level is not None else f"{self.person_id}: {self.reason}"

    @property
    def label(self) -> str:
        return f"F{self.level}" if self.level is not None else str(self.get_reason_display())


class ChainSnapshot(BaseModel):
    """One chain of transmission with its layout, rebuilt in the background (``dirty`` until then)."""

    key = models.BigIntegerField(_("mã chuỗi"), unique=True)
    size = models.PositiveIntegerField(_("số người"), default=0)
    case_count = models.PositiveIntegerField(_("số ca bệnh"), default=0)
    contact_count = models.PositiveIntegerField(_("số tiếp xúc"), default=0)
    generations = models.PositiveSmallIntegerField(_("số thế hệ"), default=0)
    cluster_ids = models.JSONField(_("ổ dịch"), default=list, blank=True)
    first_case_code = models.CharField(_("ca đầu tiên"), max_length=20, blank=True)
    first_date = models.DateField(_("ngày đầu tiên"), null=True, blank=True)
    last_date = models.DateField(_("ngày gần nhất"), null=True, blank=True)
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("địa bàn ca đầu")
    )
    # Summary for the page: nodes per generation, clusters with names, the layout's width.
    json = models.JSONField(default=dict, blank=True)
    dirty = models.BooleanField(default=False)
    computed_at = models.DateTimeField(_("tính lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("chuỗi lây nhiễm")
        verbose_name_plural = _("chuỗi lây nhiễm")
        indexes = [
            models.Index(fields=["size", "id"], name="tracing_chain_size_id"),
            models.Index(fields=["dirty"], condition=models.Q(dirty=True), name="tracing_chain_dirty"),
        ]

    def __str__(self) -> str:
        return f"#{self.key} ({self.size})"


class ChainNode(models.Model):
    """One person of a chain, placed by the layout: ``generation`` (row) and ``position`` (order in it)."""

    chain = models.ForeignKey(ChainSnapshot, on_delete=models.CASCADE, related_name="nodes")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    generation = models.PositiveIntegerField()
    position = models.PositiveIntegerField()
    parent = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    case_code = models.CharField(max_length=20, blank=True)
    status = models.CharField(max_length=12, blank=True)
    cluster_id = models.BigIntegerField(null=True, blank=True)
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    children = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["chain", "person"], name="tracing_node_unique_person"),
        ]
        indexes = [
            models.Index(fields=["chain", "generation", "position"], name="tracing_node_layout"),
            models.Index(fields=["unit", "chain"], name="tracing_node_unit_chain"),
            models.Index(fields=["cluster_id", "chain"], name="tracing_node_cluster_chain"),
        ]

    def __str__(self) -> str:
        return f"{self.chain_id}/{self.person_id} g{self.generation}"
