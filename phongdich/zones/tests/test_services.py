"""Epidemic-area services: retroactive flagging, ending, idempotence, the dated look-back rule, permissions,
audit (M5, D4)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from phongdich.core.errors import ValidationFailed
from phongdich.core.models import AuditAction, AuditLog
from phongdich.zones.models import EpidemicArea, ExposureFlag, LookBackRule, PlaceKind, PlaceVisit
from phongdich.zones.rules import Visit
from phongdich.zones.services import (
    area_declare,
    area_end,
    area_update,
    flags_refresh_for_area,
    flags_refresh_for_person,
    look_back_days_on,
    lookback_rule_set,
    visit_record,
)

pytestmark = pytest.mark.django_db(transaction=False)

SOURCE = {"source_number": "257/TB-VPCP", "source_date": date(2020, 7, 27), "source_issuer": "Văn phòng Chính phủ"}


def _declare_da_nang(actor: Any, da_nang: Any, **kw: Any) -> EpidemicArea:
    return area_declare(
        actor=actor, kind=PlaceKind.UNIT, unit=da_nang.city, start_date=date(2020, 7, 25), **{**SOURCE, **kw}
    )


def _visit(person: Any, unit: Any, day: date, reported: date, source: str = "declaration:1", **kw: Any) -> PlaceVisit:
    return visit_record(
        actor=None,
        person=person,
        kind=PlaceKind.UNIT,
        unit=unit,
        from_date=day,
        to_date=kw.pop("to_date", day),
        reported_on=reported,
        source=source,
    )


def _active(person: Any) -> list[ExposureFlag]:
    return list(ExposureFlag.objects.filter(person=person, cleared_at__isnull=True))


def test_visit_first_area_declared_later_flags_retroactively_M5(
    django_capture_on_commit_callbacks: Any, cast: Any, residents: Any, da_nang: Any
) -> None:
    _visit(residents.an, da_nang.thach_thang, date(2020, 7, 26), date(2020, 8, 3))
    assert _active(residents.an) == []
    with django_capture_on_commit_callbacks(execute=True):
        area = _declare_da_nang(cast.alice, da_nang)
    (flag,) = _active(residents.an)
    assert flag.area == area
    assert flag.source == "declaration:1"
    assert (flag.visit_from, flag.visit_to) == (date(2020, 7, 26), date(2020, 7, 26))
    assert flag.reason.startswith(
        "Đến Phường Thạch Thang ngày 26/07/2020, Thành phố Đà Nẵng là vùng dịch từ 25/07/2020"
    )
    assert "257/TB-VPCP" in flag.reason
    assert _active(residents.binh) == []


def test_area_ended_earlier_clears_the_flag_and_reopening_restores_it_M5(
    django_capture_on_commit_callbacks: Any, cast: Any, residents: Any, da_nang: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        area = _declare_da_nang(cast.alice, da_nang)
    _visit(residents.an, da_nang.hai_chau, date(2020, 8, 1), date(2020, 8, 3))
    assert len(_active(residents.an)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        area_end(actor=cast.alice, area=area, end_date=date(2020, 7, 31))
    assert _active(residents.an) == []
    flag = ExposureFlag.objects.get(person=residents.an)
    assert flag.cleared_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        area_update(actor=cast.alice, area=area, end_date=None)
    assert [f.pk for f in _active(residents.an)] == [flag.pk]  # the same flag, reopened


def test_refresh_is_idempotent_M5(
    django_capture_on_commit_callbacks: Any, cast: Any, residents: Any, da_nang: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        area = _declare_da_nang(cast.alice, da_nang)
    _visit(residents.an, da_nang.thach_thang, date(2020, 7, 28), date(2020, 8, 3))
    _visit(residents.an, da_nang.son_tra, date(2020, 7, 29), date(2020, 8, 3), source="declaration:1")
    _visit(residents.an, da_nang.city, date(2020, 7, 30), date(2020, 8, 4), source="movement:9")
    assert len(_active(residents.an)) == 2  # one flag per (person, area, source)
    earliest = ExposureFlag.objects.get(person=residents.an, source="declaration:1")
    assert earliest.visit_from == date(2020, 7, 28)
    for _ in range(3):
        result = flags_refresh_for_person(person=residents.an)
        assert (result.created, result.reopened, result.cleared) == (0, 0, 0)
        result = flags_refresh_for_area(area=area)
        assert (result.created, result.reopened, result.cleared) == (0, 0, 0)
    assert ExposureFlag.objects.count() == 2


def test_refresh_for_person_with_given_visits_M5(
    django_capture_on_commit_callbacks: Any, cast: Any, residents: Any, da_nang: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        area_declare(actor=cast.alice, kind=PlaceKind.COUNTRY, country="kr", start_date=date(2020, 2, 25), **SOURCE)
    visits = [Visit("KR", date(2020, 3, 1), date(2020, 3, 5), source="travel:42")]
    result = flags_refresh_for_person(person=residents.binh, visits=visits, on=date(2020, 3, 10))
    assert result.created == 1
    assert "Hàn Quốc" in _active(residents.binh)[0].reason
    result = flags_refresh_for_person(person=residents.binh, visits=[], on=date(2020, 3, 10))
    assert result.cleared == 1


def test_look_back_is_a_dated_rule_M5(
    django_capture_on_commit_callbacks: Any, cast: Any, residents: Any, da_nang: Any
) -> None:
    assert look_back_days_on(date(2021, 5, 1)) == 14
    with django_capture_on_commit_callbacks(execute=True):
        area = area_declare(
            actor=cast.alice, kind=PlaceKind.UNIT, unit=da_nang.hai_chau, start_date=date(2021, 4, 1), **SOURCE
        )
    # 18 days before the report: outside 14 days, inside 21 days.
    _visit(residents.an, da_nang.thach_thang, date(2021, 4, 20), date(2021, 5, 8))
    assert _active(residents.an) == []
    with django_capture_on_commit_callbacks(execute=True):
        lookback_rule_set(actor=cast.alice, days=21, effective_from=date(2021, 5, 5), source="Công văn 21 ngày")
    assert look_back_days_on(date(2021, 5, 4)) == 14
    assert look_back_days_on(date(2021, 5, 5)) == 21
    (flag,) = _active(residents.an)
    assert flag.area == area
    with django_capture_on_commit_callbacks(execute=True):
        lookback_rule_set(actor=cast.alice, days=14, effective_from=date(2021, 5, 6), source="Trở lại 14 ngày")
    assert LookBackRule.objects.get(days=21).effective_to == date(2021, 5, 5)
    assert _active(residents.an) == []


def test_only_province_admins_and_health_manage_areas_M5(cast: Any, da_nang: Any) -> None:
    for officer in (cast.dan, cast.cuong, cast.oanh):
        with pytest.raises(PermissionDenied):
            _declare_da_nang(officer, da_nang)
        with pytest.raises(PermissionDenied):
            lookback_rule_set(actor=officer, days=21, effective_from=date(2021, 5, 5), source="x")
    assert not EpidemicArea.objects.exists()


def test_health_officer_may_declare_M5(cast: Any, da_nang: Any, tree: Any) -> None:
    from phongdich.core.models import User
    from phongdich.orgs.models import OrganisationKind, Role
    from phongdich.orgs.services import organisation_create, role_assign

    cdc = organisation_create(
        name="Trung tâm Kiểm soát bệnh tật", kind=OrganisationKind.HEALTH_AGENCY, unit=tree.province
    )
    health = User.objects.create_user(username="yte", password=cast.password)
    role_assign(user=health, role=Role.HEALTH, organisation=cdc)
    assert _declare_da_nang(health, da_nang).created_by == health


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": PlaceKind.UNIT, "unit": None}, "unit"),
        ({"kind": PlaceKind.COUNTRY, "country": ""}, "country"),
        ({"kind": PlaceKind.COUNTRY, "country": "XX"}, "country"),
        ({"kind": "planet"}, "kind"),
        ({"kind": PlaceKind.COUNTRY, "country": "CN", "end_date": date(2020, 1, 1)}, "end_date"),
        ({"kind": PlaceKind.COUNTRY, "country": "CN", "source_number": ""}, "source_number"),
    ],
)
def test_bad_area_input_is_refused_in_vietnamese_M5(cast: Any, fields: dict[str, Any], field: str) -> None:
    before = AuditLog.objects.count()
    with pytest.raises(ValidationFailed) as info:
        area_declare(actor=cast.alice, start_date=date(2020, 7, 25), **{**SOURCE, **fields})
    assert info.value.field == field
    assert any(ch in str(info.value.message) for ch in "ăâđêôơưáàạếệốộ")
    assert not EpidemicArea.objects.exists()
    assert AuditLog.objects.count() == before


def test_bad_visit_input_is_refused_M5(cast: Any, residents: Any, da_nang: Any) -> None:
    with pytest.raises(ValidationFailed) as info:
        _visit(residents.an, da_nang.city, date(2020, 8, 1), date(2020, 8, 3), to_date=date(2020, 7, 1))
    assert info.value.field == "to_date"
    with pytest.raises(ValidationFailed):
        _visit(residents.an, da_nang.city, date(2020, 8, 5), date(2020, 8, 3))  # after the report
    with pytest.raises(PermissionDenied):  # chi may not record for a resident of Quán Triều
        visit_record(
            actor=cast.chi,
            person=residents.an,
            kind=PlaceKind.COUNTRY,
            country="CN",
            from_date=date(2020, 1, 1),
            source="x:1",
        )
    assert not PlaceVisit.objects.exists()


def test_writes_are_audited_M5(
    django_capture_on_commit_callbacks: Any, cast: Any, residents: Any, da_nang: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        area = _declare_da_nang(cast.alice, da_nang)
        area_end(actor=cast.alice, area=area, end_date=date(2020, 9, 1))
        lookback_rule_set(actor=cast.alice, days=21, effective_from=date(2021, 5, 5), source="Công văn")
    visit = visit_record(
        actor=cast.cuong,
        person=residents.an,
        kind=PlaceKind.COUNTRY,
        country="CN",
        from_date=date(2020, 1, 1),
        source="official:1",
    )
    lines = AuditLog.objects.order_by("id")
    assert [(a.action, a.object_uid) for a in lines.filter(object_type="zones.epidemicarea")] == [
        (AuditAction.CREATE, str(area.uid)),
        (AuditAction.UPDATE, str(area.uid)),
    ]
    assert lines.get(object_type="zones.lookbackrule").actor == cast.alice
    visit_line = lines.get(object_type="zones.placevisit")
    assert (visit_line.actor, visit_line.object_uid) == (cast.cuong, str(visit.uid))
