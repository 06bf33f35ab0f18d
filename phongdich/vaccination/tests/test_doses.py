"""Dose validation (V1): one dose per number, not before birth nor in the future, lot of the product
and not expired, minimum interval, eligibility refused unless a reason is recorded, scope."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from phongdich.core.errors import NotInScope, ValidationFailed
from phongdich.core.models import AuditLog
from phongdich.people.tests.factories import PersonFactory
from phongdich.vaccination import services as s
from phongdich.vaccination.models import Dose, DoseKind, VaccineProduct

pytestmark = pytest.mark.django_db
TODAY = date(2021, 11, 20)


def record(person: Any, product: Any, day: date, **kw: Any) -> Dose:
    return s.dose_record(actor=None, person=person, product=product, given_on=day, today=TODAY, **kw)


def refused(words: str, person: Any, product: Any, day: date, **kw: Any) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as err:
        record(person, product, day, **kw)
    assert words in str(err.value.message), err.value.message
    return err.value


def test_two_doses_complete_the_series_and_third_is_booster_V1(tree: Any, az: Any, pfizer: Any) -> None:
    p = PersonFactory(residence_unit=tree.quan_trieu)
    d1 = record(p, az, date(2021, 7, 1))
    d2 = record(p, pfizer, date(2021, 8, 1))
    d3 = record(p, pfizer, date(2021, 11, 1))
    assert (d1.dose_number, d1.kind, d1.completes_series) == (1, DoseKind.PRIMARY, False)
    assert (d2.dose_number, d2.kind, d2.completes_series) == (2, DoseKind.PRIMARY, True)
    assert (d3.dose_number, d3.kind, d3.completes_series) == (3, DoseKind.BOOSTER, False)


def test_abdala_needs_three_primary_doses_V1(tree: Any) -> None:
    abdala = VaccineProduct.objects.get(code="abdala")
    p = PersonFactory(residence_unit=tree.quan_trieu)
    record(p, abdala, date(2021, 9, 1))
    assert not record(p, abdala, date(2021, 9, 15)).completes_series
    assert record(p, abdala, date(2021, 9, 29)).completes_series


def test_one_dose_per_number_V1(tree: Any, az: Any) -> None:
    p = PersonFactory(residence_unit=tree.quan_trieu)
    record(p, az, date(2021, 7, 1))
    refused("đã có mũi 1", p, az, date(2021, 8, 1), dose_number=1)
    refused("Mũi tiếp theo của người này là mũi 2", p, az, date(2021, 8, 1), dose_number=3)
    assert Dose.objects.filter(person=p).count() == 1


def test_not_in_future_nor_before_birth_V1(tree: Any, az: Any) -> None:
    p = PersonFactory(residence_unit=tree.quan_trieu, birth_date=date(1990, 5, 1), birth_year=1990)
    refused("tương lai", p, az, date(2021, 11, 21))
    refused("trước ngày sinh", p, az, date(1990, 4, 30))
    assert not Dose.objects.exists()


def test_lot_must_match_product_and_not_be_expired_V1(tree: Any, az: Any, pfizer: Any, az_lot: Any) -> None:
    p = PersonFactory(residence_unit=tree.quan_trieu)
    refused("không phải Pfizer", p, pfizer, date(2021, 7, 1), lot=az_lot)
    old = s.lot_create(actor=None, product=az, lot_number="old1", expiry_date=date(2021, 6, 30))
    refused("đã hết hạn sử dụng ngày 30/06/2021", p, az, date(2021, 7, 1), lot=old)
    assert record(p, az, date(2021, 6, 30), lot=old).lot == old  # the last day of validity is fine


def test_minimum_interval_of_the_previous_product_V1(tree: Any, az: Any, pfizer: Any) -> None:
    p = PersonFactory(residence_unit=tree.quan_trieu)
    record(p, az, date(2021, 7, 1))
    refused("ít nhất 28 ngày, tức là từ ngày 29/07/2021", p, pfizer, date(2021, 7, 28))
    refused("phải sau ngày tiêm mũi 1", p, pfizer, date(2021, 7, 1))
    record(p, pfizer, date(2021, 7, 29))
    refused("ít nhất 90 ngày", p, pfizer, date(2021, 10, 1))  # booster: 3 months after the series


def test_ineligible_refused_unless_reason_recorded_V1(tree: Any, az: Any) -> None:
    teen = PersonFactory(residence_unit=tree.quan_trieu, birth_date=date(2003, 9, 1), birth_year=2003)
    err = refused("17 tuổi", teen, az, date(2021, 8, 31))
    assert err.field == "exception_reason"
    dose = record(teen, az, date(2021, 8, 31), exception_reason="Chỉ định của Sở Y tế")
    assert dose.exception_reason == "Chỉ định của Sở Y tế"
    log = AuditLog.objects.filter(object_uid=str(dose.uid)).get()
    assert log.detail["exception_reason"] == "Chỉ định của Sở Y tế"


def test_recording_needs_scope_and_role_V1(tree: Any, cast: Any, az: Any) -> None:
    p = PersonFactory(residence_unit=tree.quan_trieu)
    with pytest.raises(NotInScope):
        s.dose_record(actor=cast.chi, person=p, product=az, given_on=date(2021, 7, 1))
    with pytest.raises(s.PermissionDenied):
        s.dose_record(actor=cast.hoa, person=p, product=az, given_on=date(2021, 7, 1))
    assert s.dose_record(actor=cast.cuong, person=p, product=az, given_on=date(2021, 7, 1)).recorded_by == cast.cuong


def test_delete_only_the_last_dose_V1(tree: Any, cast: Any, az: Any) -> None:
    p = PersonFactory(residence_unit=tree.quan_trieu)
    d1 = record(p, az, date(2021, 7, 1))
    d2 = record(p, az, date(2021, 8, 1))
    with pytest.raises(ValidationFailed):
        s.dose_delete(actor=cast.cuong, dose=d1, reason="nhập nhầm")
    s.dose_delete(actor=cast.cuong, dose=d2, reason="nhập nhầm")
    assert list(Dose.objects.values_list("dose_number", flat=True)) == [1]
