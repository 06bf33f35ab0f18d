"""Writes to the registry (D3, D4): create with de-duplication, update, merge — all audited."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from phongdich.core.errors import NotInScope, ValidationFailed
from phongdich.core.models import AuditAction, AuditLog
from phongdich.orgs.models import OrganisationKind
from phongdich.orgs.services import organisation_create
from phongdich.people import services as s
from phongdich.people.models import Person, StaffMembership
from phongdich.people.validators import CCCD_SEX, PHONE_PREFIX, cccd_make

from .conftest import People


def base_fields(tree: Any, **extra: Any) -> dict[str, Any]:
    return {
        "full_name": "nguyễn  thị   mai",
        "birth_year": 1988,
        "sex": "F",
        "residence_unit": tree.quan_trieu,
        **extra,
    }


def test_create_normalises_and_audits_D3(tree: Any, cast: Any) -> None:
    result = s.person_create(actor=cast.cuong, phone="+84 912.000.111", **base_fields(tree))
    assert result.outcome is s.CreateOutcome.CREATED
    person = result.person
    assert person is not None
    assert (person.full_name, person.name_folded, person.given_name_folded) == (
        "Nguyễn Thị Mai",
        "nguyen thi mai",
        "mai",
    )
    assert person.phone == "0912000111"
    line = AuditLog.objects.get(action=AuditAction.CREATE, object_uid=str(person.uid))
    assert line.actor == cast.cuong


def test_same_cccd_returns_the_existing_person_without_a_new_row_D3(people: People, tree: Any, cast: Any) -> None:
    before = Person.objects.count()
    result = s.person_create(
        actor=cast.cuong,
        full_name="Nguyen Van An",
        birth_year=1985,
        sex="M",
        cccd=people.an.cccd,
        residence_unit=tree.quan_trieu,
    )
    assert result.outcome is s.CreateOutcome.EXISTING
    assert result.person == people.an
    assert Person.objects.count() == before


def test_same_cccd_of_a_merged_record_returns_the_kept_one_D3(people: People, tree: Any, cast: Any) -> None:
    twin = s.person_create(
        actor=None, full_name="Nguyễn Văn An", birth_year=1985, sex="M", residence_unit=tree.quan_trieu
    )
    assert twin.person is not None
    s.person_merge(keep=twin.person, drop=people.an, actor=cast.cuong)
    result = s.person_create(
        actor=cast.cuong,
        full_name="An",
        birth_year=1985,
        sex="M",
        cccd=twin.person.cccd,
        residence_unit=tree.quan_trieu,
    )
    assert result.person == twin.person


def test_same_cccd_outside_the_actors_scope_is_refused_not_revealed_D4(people: People, tree: Any, cast: Any) -> None:
    with pytest.raises(ValidationFailed) as exc:
        s.person_create(
            actor=cast.chi,
            full_name="Ai Đó",
            birth_year=1985,
            sex="M",
            cccd=people.an.cccd,
            residence_unit=tree.quang_vinh,
        )
    assert exc.value.field == "cccd"
    assert "An" not in str(exc.value.message)


def test_same_phone_name_and_year_is_a_possible_duplicate_D3(people: People, tree: Any, cast: Any) -> None:
    before = Person.objects.count()
    fields = {
        "full_name": "NGUYEN VAN AN",
        "birth_year": 1985,
        "sex": "M",
        "phone": "0912 345 678",
        "residence_unit": tree.xom1,
    }
    result = s.person_create(actor=cast.cuong, **fields)
    assert result.outcome is s.CreateOutcome.POSSIBLE_DUPLICATE
    assert result.person is None
    assert result.candidates == [people.an]
    assert Person.objects.count() == before
    forced = s.person_create(actor=cast.cuong, force=True, **fields)
    assert forced.outcome is s.CreateOutcome.CREATED
    assert Person.objects.count() == before + 1
    assert AuditLog.objects.get(action=AuditAction.CREATE, object_uid=str(forced.person.uid)).detail == {"forced": True}


def test_different_birth_year_is_not_a_duplicate_D3(people: People, tree: Any, cast: Any) -> None:
    result = s.person_create(
        actor=cast.cuong,
        full_name="Nguyễn Văn An",
        birth_year=1986,
        sex="M",
        phone="0912345678",
        residence_unit=tree.xom1,
    )
    assert result.outcome is s.CreateOutcome.CREATED


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"phone": "0312345678"}, "phone"),
        ({"cccd": "019185000101", "birth_year": 1985, "sex": "M"}, "cccd"),
        ({"birth_date": date(2999, 1, 1)}, "birth_date"),
        ({"full_name": "   "}, "full_name"),
        ({"passport_no": "??"}, "passport_no"),
        ({"nationality": "Vietnam"}, "nationality"),
    ],
)
def test_invalid_fields_are_refused_with_field_names_and_nothing_written_D3(
    tree: Any, cast: Any, extra: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationFailed) as exc:
        s.person_create(actor=cast.cuong, **base_fields(tree, **extra))
    assert exc.value.field == field
    assert not Person.objects.exists()
    assert not AuditLog.objects.filter(action=AuditAction.CREATE, object_type="people.person").exists()


@pytest.mark.parametrize("persona", ["chi", "hoa", "oanh"])
def test_create_outside_scope_refused_D4(tree: Any, cast: Any, persona: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        s.person_create(actor=getattr(cast, persona), **base_fields(tree))
    assert exc.value.field == "residence_unit"


def test_organisation_head_registers_staff_living_anywhere_D4(tree: Any, cast: Any) -> None:
    result = s.person_create(actor=cast.oanh, organisation=cast.enterprise, **base_fields(tree))
    assert result.created


def test_update_revalidates_and_audits_changed_fields_D3(people: People, cast: Any) -> None:
    s.person_update(person=people.dao, actor=cast.cuong, phone="0367 111 222", address="Tổ 3")
    people.dao.refresh_from_db()
    assert people.dao.phone == "0367111222"
    line = AuditLog.objects.get(action=AuditAction.UPDATE, object_uid=str(people.dao.uid))
    assert line.detail == {"changed": ["address", "phone"]}
    with pytest.raises(ValidationFailed) as exc:
        s.person_update(person=people.dao, actor=cast.cuong, phone="0312345678")
    assert str(exc.value.message) == str(PHONE_PREFIX)
    with pytest.raises(ValidationFailed) as exc:
        s.person_update(person=people.dao, actor=cast.cuong, sex="M")  # CCCD says woman
    assert str(exc.value.message) == str(CCCD_SEX)


def test_update_refuses_a_cccd_held_by_someone_else_D3(people: People, cast: Any) -> None:
    with pytest.raises(ValidationFailed) as exc:
        s.person_update(
            person=people.lan,
            actor=cast.cuong,
            cccd=cccd_make(province_code="19", sex="F", birth_year=1990, serial="000202"),
            birth_year=1990,
        )
    assert exc.value.field == "cccd"


def test_update_out_of_scope_refused_D4(people: People, cast: Any, tree: Any) -> None:
    with pytest.raises(NotInScope):
        s.person_update(person=people.an, actor=cast.chi, address="x")
    with pytest.raises(ValidationFailed):  # moving a resident out of one's own scope
        s.person_update(person=people.an, actor=cast.cuong, residence_unit=tree.dac_son)


# --- Merge -------------------------------------------------------------------------------------


@pytest.fixture
def twin(people: People, tree: Any) -> Person:
    """A second record of Nguyễn Văn An (no CCCD, another phone, an address, a job)."""
    result = s.person_create(
        actor=None,
        force=True,
        full_name="Nguyen Van An",
        birth_year=1985,
        sex="M",
        phone="0988000111",
        email="an@example.vn",
        occupation="Giáo viên",
        residence_unit=tree.xom1,
    )
    assert result.person is not None
    return result.person


def _membership(person: Person, org: Any, **extra: Any) -> StaffMembership:
    return StaffMembership.objects.create(person=person, organisation=org, start_date=date(2020, 1, 1), **extra)


def test_merge_moves_every_linked_record_and_leaves_a_tombstone_D3(
    people: People, twin: Person, tree: Any, cast: Any
) -> None:
    school = organisation_create(name="Trường Tiểu học Quán Triều", kind=OrganisationKind.SCHOOL, unit=tree.quan_trieu)
    m1 = _membership(twin, school, position="Giáo viên")
    m2 = _membership(twin, cast.enterprise, position="Kế toán")
    kept = s.person_merge(keep=people.an, drop=twin, actor=cast.cuong)

    assert kept == people.an
    assert set(StaffMembership.objects.filter(person=people.an)) == {m1, m2}
    assert not StaffMembership.objects.filter(person=twin).exists()
    twin.refresh_from_db()
    people.an.refresh_from_db()
    assert twin.merged_into == people.an
    # blanks filled from the dropped record; what the kept record had stays
    assert (people.an.email, people.an.occupation, people.an.phone) == ("an@example.vn", "Giáo viên", "0912345678")
    assert twin not in Person.objects.active()
    assert Person.objects.filter(pk=twin.pk).exists()  # kept as a tombstone
    line = AuditLog.objects.get(action=AuditAction.MERGE)
    assert line.actor == cast.cuong
    assert line.object_uid == str(people.an.uid)
    assert line.detail["drop"] == str(twin.uid)
    assert line.detail["moved"] == {"people.staffmembership.person": 2}
    assert set(line.detail["filled"]) == {"email", "occupation"}


def test_merge_moves_a_cccd_and_account_to_the_kept_record_D3(people: People, twin: Person, cast: Any) -> None:
    from phongdich.core.models import User

    account = User.objects.create_user(username="an1985")
    s.person_update(person=people.an, actor=None, user=account)
    cccd = people.an.cccd
    s.person_merge(keep=twin, drop=people.an, actor=cast.cuong)
    twin.refresh_from_db()
    people.an.refresh_from_db()
    assert (twin.cccd, twin.user) == (cccd, account)
    assert (people.an.cccd, people.an.user) == (None, None)


@pytest.mark.parametrize("case", ["self", "tombstone_keep", "tombstone_drop"])
def test_merge_refusals_D3(people: People, twin: Person, cast: Any, case: str) -> None:
    other = s.person_create(
        actor=None, force=True, full_name="X Y", birth_year=1980, sex="M", residence_unit=people.an.residence_unit
    ).person
    assert other is not None
    s.person_merge(keep=people.an, drop=other, actor=cast.cuong)  # other is now a tombstone
    before = AuditLog.objects.filter(action=AuditAction.MERGE).count()
    keep, drop = {"self": (twin, twin), "tombstone_keep": (other, twin), "tombstone_drop": (twin, other)}[case]
    with pytest.raises(ValidationFailed):
        s.person_merge(keep=keep, drop=drop, actor=cast.cuong)
    assert AuditLog.objects.filter(action=AuditAction.MERGE).count() == before


@pytest.mark.parametrize("persona", ["chi", "hoa"])
def test_merge_across_scope_refused_D4(people: People, twin: Person, cast: Any, persona: str) -> None:
    # hoa sees the twin (Tổ dân phố 1) but not An (Quán Triều); chi sees neither
    with pytest.raises(NotInScope):
        s.person_merge(keep=people.an, drop=twin, actor=getattr(cast, persona))
    twin.refresh_from_db()
    assert twin.merged_into is None


def test_merge_is_one_transaction_D3(people: People, twin: Person, cast: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    school = organisation_create(name="Trường A", kind=OrganisationKind.SCHOOL, unit=people.an.residence_unit)
    _membership(twin, school)

    def boom(**kwargs: Any) -> None:
        raise RuntimeError("audit store down")

    monkeypatch.setattr(s, "audit", boom)
    with pytest.raises(RuntimeError):
        s.person_merge(keep=people.an, drop=twin, actor=cast.cuong)
    twin.refresh_from_db()
    assert twin.merged_into is None
    assert StaffMembership.objects.filter(person=twin).count() == 1
