"""Demo step: QR check-in (M1, C4). Every premises of most demo organisations gets its poster code
(a few are left without one, so the coverage lists have something to show); the staff of those
organisations check in at their office on working days of the last week, and the workers of the
outbreak's factory at their workshop line every day up to their isolation — so the factory's cases
have people who shared a line with them to confirm as F1 (exposure matching).

Check-ins are synthetic and bulk-inserted with ids derived from (person, day), so running the step
again the same day adds nothing.
"""

# Seeded pseudo-random numbers on purpose: the same seed gives the same synthetic data.
# ruff: noqa: S311

from __future__ import annotations

import random
import uuid
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from phongdich.cases.models import CONFIRMED_STATUSES, Case, Cluster
from phongdich.checkins.models import CheckIn, PremisesCode, Source
from phongdich.checkins.services import premises_code_issue
from phongdich.exposures.services import exposures_refresh
from phongdich.orgs.models import Organisation, Premises
from phongdich.people.models import Person

from .outbreak import CLUSTER_NAME

if TYPE_CHECKING:
    from .steps import Demo

# One organisation in this many is left without codes (coverage: "chưa có mã QR").
WITHOUT_CODES_EVERY = 7
STAFF_DAYS = 7
FACTORY_DAYS = 16
NAMESPACE = uuid.UUID("6f1d9c1e-4a51-4c55-9d43-0c7a52f2a8b1")


def _client_id(person_id: int, day: date, slot: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"{person_id}:{day.isoformat()}:{slot}")


def _moment(day: date, hour: int, minute: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _issue_codes() -> tuple[int, set[int]]:
    """Codes for the premises of every organisation but one in ``WITHOUT_CODES_EVERY``; returns the count
    issued now and the organisations that have codes."""
    issued = 0
    with_codes: set[int] = set()
    for index, org in enumerate(Organisation.objects.order_by("id")):
        if index % WITHOUT_CODES_EVERY == WITHOUT_CODES_EVERY - 1:
            continue
        with_codes.add(org.pk)
        for premises in Premises.objects.filter(organisation=org, is_active=True).order_by("id"):
            if not PremisesCode.objects.active().filter(premises=premises).exists():
                premises_code_issue(actor=None, premises=premises)
                issued += 1
    return issued, with_codes


def _staff_checkins(rng: random.Random, org_ids: set[int], today: date) -> list[CheckIn]:
    offices = {
        p.organisation_id: p
        for p in Premises.objects.filter(organisation_id__in=org_ids, kind=Premises.Kind.OFFICE).order_by("-id")
    }
    staff = Person.objects.filter(organisation_id__in=list(offices), merged_into__isnull=True, is_synthetic=True)
    rows = []
    now = timezone.now()
    for person_id, org_id in staff.values_list("id", "organisation_id").order_by("id"):
        for back in range(STAFF_DAYS):
            day = today - timedelta(days=back)
            if day.weekday() >= 5 or rng.random() < 0.1:  # weekends off, and one day in ten away
                continue
            at = _moment(day, 7, rng.randint(0, 45))
            if at > now:
                continue
            rows.append(
                CheckIn(
                    premises=offices[org_id],
                    person_id=person_id,
                    at=at,
                    received_at=at + timedelta(seconds=rng.randint(1, 30)),
                    client_id=_client_id(person_id, day, "office"),
                    source=Source.POSTER,
                )
            )
    return rows


def _factory_checkins(rng: random.Random, cluster: Cluster, today: date) -> list[CheckIn]:
    """Workers at their line at the start of the shift, every day until their isolation."""
    factory = cluster.organisation
    if factory is None:
        return []
    lines = list(Premises.objects.filter(organisation=factory, kind=Premises.Kind.WORKSHOP).order_by("id"))
    if not lines:
        return []
    isolated: dict[int, date] = {}
    for case in Case.objects.filter(cluster=cluster, status__in=CONFIRMED_STATUSES):
        isolated[case.person_id] = case.isolated_on or case.confirmation_date or today
    rows = []
    now = timezone.now()
    for person_id in Person.objects.filter(organisation=factory).order_by("id").values_list("id", flat=True):
        line = lines[person_id % len(lines)]
        last_day = isolated.get(person_id, today)
        for back in range(FACTORY_DAYS):
            day = today - timedelta(days=back)
            if day >= last_day and person_id in isolated:
                continue
            at = _moment(day, 6, 30 + rng.randint(0, 25))
            if at > now:
                continue
            rows.append(
                CheckIn(
                    premises=line,
                    person_id=person_id,
                    at=at,
                    received_at=at + timedelta(seconds=rng.randint(1, 30)),
                    client_id=_client_id(person_id, day, "line"),
                    source=Source.POSTER,
                )
            )
    return rows


def step_checkins(demo: Demo) -> None:
    rng = random.Random(demo.seed + 21)
    today = timezone.localdate()
    with transaction.atomic():
        issued, with_codes = _issue_codes()
        rows = _staff_checkins(rng, with_codes, today)
        cluster = Cluster.objects.filter(name=CLUSTER_NAME).first()
        if cluster is not None:
            rows += _factory_checkins(rng, cluster, today)
        before = CheckIn.objects.count()
        CheckIn.objects.bulk_create(rows, batch_size=2_000, ignore_conflicts=True)
        added = CheckIn.objects.count() - before
    matched = 0
    if cluster is not None and added:
        for case in Case.objects.filter(cluster=cluster, status__in=CONFIRMED_STATUSES).order_by("id"):
            matched += exposures_refresh(actor=None, case=case).created
    codes = PremisesCode.objects.active().count()
    demo.say(
        f"Mã QR: {codes:,} địa điểm có mã ({issued:,} mới cấp); {added:,} lượt quét mã mới"
        + (f", {matched:,} người cùng ca làm việc với ca bệnh cần xác nhận." if matched else ".")
    )
