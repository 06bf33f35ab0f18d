"""Writes for exposure matching (C4): refresh a case's candidates, confirm them as F1, dismiss them.

``exposures_refresh`` re-runs the query and rewrites the undecided candidates of a case in one
transaction: new matches are added, changed ones updated, ones that no longer match removed;
decided ones (confirmed, dismissed) are never touched. Running it twice changes nothing.
It runs in the background when a case is confirmed (``apps.py`` → ``tasks.refresh_case``) and on
demand.

``exposures_confirm`` and ``exposures_dismiss`` act on many candidates at once, all or nothing:
when any item is refused, nothing is stored and the error names every refused item. Confirming
records the contact through ``tracing.services.contact_record`` (shared workplace, place = the
premises, dates = the overlap days), so the F-levels are derived by tracing as for any contact.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phongdich.cases.models import CONFIRMED_STATUSES, Case
from phongdich.cases.selectors import visible_cases
from phongdich.core.audit import audit
from phongdich.core.errors import ApplicationError, NotInScope, ValidationFailed
from phongdich.core.models import AuditAction, User
from phongdich.tracing.models import Contact, ExposureType
from phongdich.tracing.services import contact_record

from .models import CandidateStatus, ExposureCandidate
from .selectors import exposure_query

CASE_NOT_IN_SCOPE = _("Ca bệnh không thuộc địa bàn của bạn.")
NOTHING_CHOSEN = _("Vui lòng chọn ít nhất một người.")
TOO_MANY = _("Mỗi lần xử lý tối đa %(n)s người.")
NOT_FOUND = _("Không có trong danh sách người có thể tiếp xúc của ca bệnh này.")
ALREADY_DECIDED = _("Đã được xử lý trước đó (%(status)s).")
CASE_NOT_CONFIRMED = _("Ca bệnh chưa được xác định, chưa thể xác nhận F1.")
SOME_REFUSED = _("Không lưu thay đổi nào: %(n)s mục không hợp lệ.")

MAX_BATCH = 1000


def _check_case(actor: Any, case: Case) -> None:
    if actor is None:
        return
    if not visible_cases(actor).filter(pk=case.pk).exists():
        raise NotInScope(CASE_NOT_IN_SCOPE)


def _user(actor: Any) -> User | None:
    return actor if isinstance(actor, User) else None


# --- refresh ----------------------------------------------------------------------------------


@dataclass
class RefreshResult:
    created: int = 0
    updated: int = 0
    removed: int = 0
    decided: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.removed)


def exposures_refresh(*, actor: Any, case: Case, now: datetime | None = None) -> RefreshResult:
    """Match the case's check-ins again and rewrite its undecided candidates (idempotent)."""
    _check_case(actor, case)
    found = exposure_query(case, now=now)
    result = RefreshResult()
    with transaction.atomic():
        existing = {
            (r.person_id, r.premises_id): r for r in ExposureCandidate.objects.select_for_update().filter(case=case)
        }
        to_create: list[ExposureCandidate] = []
        to_update: list[ExposureCandidate] = []
        seen: set[tuple[int, int]] = set()
        for c in found:
            key = (c.person_id, c.premises_id)
            seen.add(key)
            row = existing.get(key)
            if row is None:
                to_create.append(
                    ExposureCandidate(
                        case=case,
                        person_id=c.person_id,
                        premises_id=c.premises_id,
                        first_overlap_start=c.start,
                        overlap_end=c.end,
                        overlap_minutes=c.minutes,
                    )
                )
            elif row.status != CandidateStatus.NEW:
                result.decided += 1
            elif (row.first_overlap_start, row.overlap_end, row.overlap_minutes) != (c.start, c.end, c.minutes):
                row.first_overlap_start, row.overlap_end, row.overlap_minutes = c.start, c.end, c.minutes
                row.updated_at = timezone.now()
                to_update.append(row)
        stale = [r.pk for key, r in existing.items() if key not in seen and r.status == CandidateStatus.NEW]
        if to_create:
            ExposureCandidate.objects.bulk_create(to_create, batch_size=1000, ignore_conflicts=True)
        if to_update:
            ExposureCandidate.objects.bulk_update(
                to_update, ["first_overlap_start", "overlap_end", "overlap_minutes", "updated_at"], batch_size=1000
            )
        if stale:
            ExposureCandidate.objects.filter(pk__in=stale).delete()
        result.created, result.updated, result.removed = len(to_create), len(to_update), len(stale)
        if actor is not None or result.changed:
            audit(
                actor=_user(actor),
                action=AuditAction.UPDATE,
                obj=case,
                summary=f"{case.case_code}: đối chiếu quét mã",
                detail={"created": result.created, "updated": result.updated, "removed": result.removed},
            )
    return result


def exposures_queue_refresh(*, case: Case) -> None:
    """After the current transaction commits, refresh the case's candidates in the background."""
    case_id = case.pk

    def queue() -> None:
        from .tasks import refresh_case

        refresh_case.delay(case_id)

    transaction.on_commit(queue)


# --- decisions --------------------------------------------------------------------------------


@dataclass
class Decision:
    candidates: list[ExposureCandidate] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)


def _select(case: Case, uids: Iterable[Any]) -> tuple[list[ExposureCandidate], dict[str, str]]:
    """The case's undecided candidates named by ``uids`` (locked), and the error of every other item."""
    refs = [str(u).strip() for u in uids]
    if not refs:
        raise ValidationFailed(NOTHING_CHOSEN, field="candidates")
    if len(refs) > MAX_BATCH:
        raise ValidationFailed(TOO_MANY % {"n": MAX_BATCH}, field="candidates")
    parsed: dict[str, uuid.UUID] = {}
    errors: dict[str, str] = {}
    for ref in refs:
        try:
            parsed[ref] = uuid.UUID(ref)
        except ValueError:
            errors[ref] = str(NOT_FOUND)
    rows = {
        r.uid: r
        for r in ExposureCandidate.objects.select_for_update()
        .select_related("person", "premises", "premises__organisation")
        .filter(case=case, uid__in=set(parsed.values()))
    }
    chosen: list[ExposureCandidate] = []
    for ref, key in parsed.items():
        row = rows.get(key)
        if row is None:
            errors[ref] = str(NOT_FOUND)
        elif row.status != CandidateStatus.NEW:
            errors[ref] = str(ALREADY_DECIDED % {"status": row.get_status_display()})
        elif row not in chosen:
            chosen.append(row)
    return chosen, errors


def _refuse(errors: dict[str, str]) -> ValidationFailed:
    return ValidationFailed(SOME_REFUSED % {"n": len(errors)}, field="candidates", extra={"errors": errors})


def exposures_confirm(*, actor: Any, case: Case, candidate_uids: Iterable[Any]) -> Decision:
    """Confirm candidates as F1 contacts of the case, all or nothing (per-item errors when refused).

    One contact per person: several candidates of the same person (different premises) make one
    contact spanning their overlap days, placed at the earliest premises. A person already recorded
    as a contact of the case's person keeps that contact; the candidate is linked to it.
    """
    _check_case(actor, case)
    uids = list(candidate_uids)
    if case.status not in CONFIRMED_STATUSES:
        raise ValidationFailed(CASE_NOT_CONFIRMED, field="case")
    decision = Decision()
    now = timezone.now()
    with transaction.atomic():
        chosen, errors = _select(case, uids)
        by_person: dict[int, list[ExposureCandidate]] = defaultdict(list)
        for row in chosen:
            by_person[row.person_id].append(row)
        source = case.person
        for rows in by_person.values():
            rows.sort(key=lambda r: r.first_overlap_start)
            first = rows[0]
            existing = Contact.objects.filter(
                Q(source=source, contact_id=first.person_id) | Q(source_id=first.person_id, contact=source)
            ).first()
            try:
                with transaction.atomic():
                    contact = existing or contact_record(
                        actor=actor,
                        source=source,
                        contact=first.person,
                        exposure_type=ExposureType.WORKPLACE,
                        first_exposure=timezone.localdate(first.first_overlap_start),
                        last_exposure=max(timezone.localdate(r.overlap_end) for r in rows),
                        premises=first.premises,
                        notes=str(_("Trùng thời gian quét mã QR với ca %(code)s.") % {"code": case.case_code}),
                    )
            except ApplicationError as exc:
                for r in rows:
                    errors[str(r.uid)] = str(exc.message)
                continue
            for r in rows:
                r.status, r.decided_by, r.decided_at, r.contact = CandidateStatus.CONFIRMED, _user(actor), now, contact
                r.updated_at = now
                decision.candidates.append(r)
            if contact not in decision.contacts:
                decision.contacts.append(contact)
        if errors:
            raise _refuse(errors)
        ExposureCandidate.objects.bulk_update(
            decision.candidates, ["status", "decided_by", "decided_at", "contact", "updated_at"]
        )
        for r in decision.candidates:
            audit(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=r,
                summary=f"{case.case_code}: {r.person.full_name} xác nhận F1 ({r.premises.name})",
                detail={"status": r.status, "contact": str(r.contact.uid) if r.contact else ""},
            )
    return decision


def exposures_dismiss(*, actor: Any, case: Case, candidate_uids: Iterable[Any]) -> Decision:
    """Dismiss candidates (not a contact after checking), all or nothing (per-item errors when refused)."""
    _check_case(actor, case)
    uids = list(candidate_uids)
    decision = Decision()
    now = timezone.now()
    with transaction.atomic():
        chosen, errors = _select(case, uids)
        if errors:
            raise _refuse(errors)
        for r in chosen:
            r.status, r.decided_by, r.decided_at, r.updated_at = CandidateStatus.DISMISSED, _user(actor), now, now
            audit(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=r,
                summary=f"{case.case_code}: {r.person.full_name} loại ({r.premises.name})",
                detail={"status": r.status},
            )
        ExposureCandidate.objects.bulk_update(chosen, ["status", "decided_by", "decided_at", "updated_at"])
        decision.candidates = chosen
    return decision
