"""Exposure candidates (C4): people whose check-ins met a case's at the same premises.

One row per (case, person, premises), derived by ``services.exposures_refresh`` from the check-ins
(``rules.match``) and kept when an officer has decided on it: confirmed as an F1 (the recorded
``tracing.Contact`` is linked) or dismissed. Undecided rows are rewritten by each refresh.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from phongdich.cases.models import Case
from phongdich.core.models import BaseModel
from phongdich.orgs.models import Premises
from phongdich.people.models import Person
from phongdich.tracing.models import Contact


class CandidateStatus(models.TextChoices):
    NEW = "new", _("Chờ xác minh")
    CONFIRMED = "confirmed", _("Đã xác nhận F1")
    DISMISSED = "dismissed", _("Đã loại")


class ExposureCandidate(BaseModel):
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="exposure_candidates", verbose_name=_("ca bệnh")
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="exposure_candidates", verbose_name=_("người có thể tiếp xúc")
    )
    premises = models.ForeignKey(Premises, on_delete=models.CASCADE, related_name="+", verbose_name=_("địa điểm"))
    first_overlap_start = models.DateTimeField(_("trùng từ"))
    overlap_end = models.DateTimeField(_("trùng đến"))
    overlap_minutes = models.PositiveIntegerField(_("số phút trùng"))
    status = models.CharField(_("tình trạng"), max_length=10, choices=CandidateStatus.choices, default="new")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người xử lý"),
    )
    decided_at = models.DateTimeField(_("xử lý lúc"), null=True, blank=True)
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("tiếp xúc")
    )

    class Meta:
        verbose_name = _("người có thể tiếp xúc (quét mã)")
        verbose_name_plural = _("người có thể tiếp xúc (quét mã)")
        constraints = [
            models.UniqueConstraint(fields=["case", "person", "premises"], name="exposures_candidate_unique"),
            models.CheckConstraint(
                condition=models.Q(overlap_end__gte=models.F("first_overlap_start")),
                name="exposures_candidate_dates_ordered",
            ),
        ]
        indexes = [
            # A case's candidates, keyset paged; the cases with candidates still to decide.
            models.Index(fields=["case", "id"], name="exposures_candidate_case_id"),
            models.Index(fields=["status", "case"], name="exposures_candidate_status"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.person_id} @ {self.premises_id}"
