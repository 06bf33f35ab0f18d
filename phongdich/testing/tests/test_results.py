"""Samples, pools and results (T3): pool resolution, re-tests, case confirmation, Ct, lab capacity and backlog,
and the contract reads other apps use."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from phongdich.cases.models import Case, CaseStatus, DetectedIn
from phongdich.cases.services import case_register
from phongdich.core.errors import ValidationFailed
from phongdich.testing import models as m
from phongdich.testing import selectors as sel
from phongdich.testing import services as s


def retests(order: m.TestOrder) -> list[m.TestOrder]:
    return list(order.follow_ups.order_by("id"))


def test_negative_pool_resolves_every_member_negative_T3(lab: m.Lab, sampled: Callable[..., m.Sample]) -> None:
    members = [sampled() for _ in range(3)]
    pool = s.pool_create(actor=None, lab=lab, samples=members)
    s.result_enter(actor=None, code=pool.code, outcome="negative", ct_value=None)
    for sample in members:
        sample.order.refresh_from_db()
        assert sample.order.status == m.OrderStatus.RESULTED
        assert sample.order.outcome == "negative"
        assert sample.result.via_pool is not None  # type: ignore[union-attr]
        assert retests(sample.order) == []
    assert sel.order_outcomes([x.order.pk for x in members]) == {x.order.pk: "negative" for x in members}
    assert sel.backlog_queryset(lab).count() == 0


def test_positive_pool_orders_individual_pcr_retests_and_they_settle_the_outcome_T3(
    lab: m.Lab, sampled: Callable[..., m.Sample]
) -> None:
    members = [sampled() for _ in range(2)]
    pool = s.pool_create(actor=None, lab=lab, samples=members)
    s.result_enter(actor=None, code=pool.code, outcome="positive", ct_value="24.5")
    first, second = (x.order for x in members)
    (retest,) = retests(first)
    assert retest.reason == m.OrderReason.POOL_RETEST
    assert retest.kind == m.TestKind.PCR
    assert retest.status == "open"
    assert len(retests(second)) == 1
    assert sel.order_outcomes([first.pk]) == {first.pk: None}  # pending its re-test
    assert Case.objects.count() == 0  # a pool alone confirms nobody
    sample = s.sample_take(actor=None, order=retest, lab=lab)
    s.sample_receive(actor=None, lab=lab, code=sample.code)
    s.result_enter(actor=None, code=sample.code, outcome="negative")
    assert sel.order_outcomes([first.pk, second.pk]) == {first.pk: "negative", second.pk: None}


def test_invalid_result_orders_a_retest_of_the_same_kind_T3(lab: m.Lab, sampled: Callable[..., m.Sample]) -> None:
    sample = sampled(kind=m.TestKind.RAPID)
    s.result_enter(actor=None, code=sample.code, outcome="invalid")
    (retest,) = retests(sample.order)
    assert retest.reason == m.OrderReason.RETEST
    assert retest.kind == m.TestKind.RAPID
    assert sel.order_outcomes([sample.order.pk]) == {sample.order.pk: None}
    retest.status = m.OrderStatus.CANCELLED
    retest.save()
    assert sel.order_outcomes([sample.order.pk]) == {sample.order.pk: "invalid"}


def test_pool_limits_T3(lab: m.Lab, sampled: Callable[..., m.Sample]) -> None:
    with override_settings(TESTING_POOL_MAX=2):
        samples = [sampled() for _ in range(3)]
        with pytest.raises(ValidationFailed, match="tối đa 2"):
            s.pool_create(actor=None, lab=lab, samples=samples)
    rapid = sampled(kind=m.TestKind.RAPID)
    with pytest.raises(ValidationFailed, match="RT-PCR"):
        s.pool_create(actor=None, lab=lab, samples=[samples[0], rapid])
    pool = s.pool_create(actor=None, lab=lab, samples=samples[:2])
    with pytest.raises(ValidationFailed, match="mẫu gộp"):
        s.result_enter(actor=None, code=samples[0].code, outcome="negative")
    with pytest.raises(ValidationFailed, match="đã nằm trong"):
        s.pool_create(actor=None, lab=lab, samples=[samples[1], samples[2]])
    assert m.Sample.objects.filter(pool=pool).count() == 2


@pytest.mark.parametrize("ct", ["-1", "45.1", "abc"])
def test_ct_value_outside_0_45_is_refused_T3(sampled: Callable[..., m.Sample], ct: str) -> None:
    sample = sampled()
    with pytest.raises(ValidationFailed) as exc:
        s.result_enter(actor=None, code=sample.code, outcome="positive", ct_value=ct)
    assert exc.value.field == "ct_value"
    assert not m.Result.objects.exists()


def test_ct_only_for_pcr_and_no_result_twice_T3(sampled: Callable[..., m.Sample]) -> None:
    rapid = sampled(kind=m.TestKind.RAPID)
    with pytest.raises(ValidationFailed, match="Ct"):
        s.result_enter(actor=None, code=rapid.code, outcome="negative", ct_value="20")
    s.result_enter(actor=None, code=rapid.code, outcome="negative")
    with pytest.raises(ValidationFailed, match="đã có kết quả"):
        s.result_enter(actor=None, code=rapid.code, outcome="positive")


def test_positive_pcr_registers_a_confirmed_community_case_T3(sampled: Callable[..., m.Sample]) -> None:
    sample = sampled()
    s.result_enter(actor=None, code=sample.code, outcome="positive", ct_value="18")
    case = Case.objects.get(person=sample.order.person)
    assert case.status == CaseStatus.CONFIRMED
    assert case.detected_in == DetectedIn.COMMUNITY
    assert case.confirmation_date == timezone.localdate()
    assert case.sampling_date == timezone.localdate(sample.taken_at)


def test_positive_pcr_in_quarantine_is_detected_in_quarantine_T3(
    tree: Any, resident: Callable[..., Any], sampled: Callable[..., m.Sample]
) -> None:
    from phongdich.quarantine.services import episode_start

    person = resident()
    episode_start(
        actor=None,
        person=person,
        kind="home",
        start_date=timezone.localdate() - timedelta(days=3),
        reason="Về từ vùng dịch",
    )
    sample = sampled(person=person)
    s.result_enter(actor=None, code=sample.code, outcome="positive", ct_value="30")
    assert Case.objects.get(person=person).detected_in == DetectedIn.QUARANTINE


def test_positive_pcr_confirms_the_open_suspected_case_T3(
    resident: Callable[..., Any], sampled: Callable[..., m.Sample]
) -> None:
    person = resident()
    suspected = case_register(actor=None, person=person, detected_in=DetectedIn.COMMUNITY, status=CaseStatus.SUSPECTED)
    sample = sampled(person=person)
    s.result_enter(actor=None, code=sample.code, outcome="positive", ct_value="22")
    suspected.refresh_from_db()
    assert suspected.status == CaseStatus.CONFIRMED
    assert Case.objects.filter(person=person).count() == 1


def test_positive_rapid_registers_a_suspected_case_and_orders_pcr_confirmation_T3(
    sampled: Callable[..., m.Sample],
) -> None:
    sample = sampled(kind=m.TestKind.RAPID)
    s.result_enter(actor=None, code=sample.code, outcome="positive")
    case = Case.objects.get(person=sample.order.person)
    assert case.status == CaseStatus.SUSPECTED
    (confirm,) = retests(sample.order)
    assert confirm.reason == m.OrderReason.CONFIRMATION
    assert confirm.kind == m.TestKind.PCR


def test_results_cannot_be_in_the_future_or_at_an_unreceived_sample_T3(
    lab: m.Lab, resident: Callable[..., Any], sampled: Callable[..., m.Sample]
) -> None:
    sample = sampled()
    with pytest.raises(ValidationFailed) as exc:
        s.result_enter(actor=None, code=sample.code, outcome="negative", resulted_at=timezone.now() + timedelta(days=1))
    assert exc.value.field == "resulted_at"
    order = s.order_create(actor=None, person=resident(), reason="manual", due_on=timezone.localdate(), source_key="x")
    taken = s.sample_take(actor=None, order=order, lab=lab)
    with pytest.raises(ValidationFailed, match="chưa được"):
        s.result_enter(actor=None, code=taken.code, outcome="negative")
    with pytest.raises(ValidationFailed, match="Không có mẫu"):
        s.result_enter(actor=None, code="KHONG-CO", outcome="negative")


def test_lab_use_today_against_capacity_and_backlog_T3(lab: m.Lab, sampled: Callable[..., m.Sample]) -> None:
    samples = [sampled() for _ in range(6)]
    pool = s.pool_create(actor=None, lab=lab, samples=samples[:4])
    assert sel.lab_load(lab).backlog == 6
    s.result_enter(actor=None, code=pool.code, outcome="negative")
    for sample in samples[4:]:
        s.result_enter(actor=None, code=sample.code, outcome="negative")
    load = sel.lab_load(lab)
    assert (load.backlog, load.used_pcr) == (0, 3)  # one pool and two single samples: three PCR runs
    assert not load.over_pcr
    extra = sampled()
    s.result_enter(actor=None, code=extra.code, outcome="negative")
    assert sel.lab_load(lab).over_pcr


def test_contract_reads_due_people_and_tests_and_positives_T3(
    tree: Any, sampled: Callable[..., m.Sample], resident: Callable[..., Any]
) -> None:
    today = timezone.localdate()
    waiting = resident()
    s.order_create(actor=None, person=waiting, reason="screening", due_on=today - timedelta(days=1), source_key="r:1")
    later = resident()
    s.order_create(actor=None, person=later, reason="screening", due_on=today + timedelta(days=3), source_key="r:1")
    positive = sampled()
    negative = sampled()
    s.result_enter(actor=None, code=positive.code, outcome="positive", ct_value="25")
    s.result_enter(actor=None, code=negative.code, outcome="negative")
    assert sel.test_due_person_ids([waiting.pk, later.pk, positive.order.person_id], on=today) == {waiting.pk}
    assert sel.tests_and_positives(unit_path_prefix=tree.city.path, start=today, end=today) == (2, 1)
    assert sel.tests_and_positives(unit_path_prefix=tree.pho_yen.path, start=today, end=today) == (0, 0)
    assert sel.tests_and_positives(
        unit_path_prefix=tree.city.path, start=today - timedelta(days=9), end=today - timedelta(days=1)
    ) == (0, 0)
