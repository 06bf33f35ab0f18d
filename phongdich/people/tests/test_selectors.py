"""Reads (D3, D4): diacritic-insensitive search, keyset pages, scope, indexes, the management chain."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from phongdich.core.models import AuditAction, AuditLog
from phongdich.orgs.models import OrganisationKind
from phongdich.orgs.services import organisation_create
from phongdich.people import selectors as sel
from phongdich.people.models import Person, StaffMembership
from phongdich.people.services import person_merge

from .conftest import PERSONAS, VISIBLE, People, make_person


def names(page: sel.PersonPage) -> list[str]:
    return [p.full_name for p in page.items]


@pytest.mark.parametrize(
    "q",
    ["nguyen van an", "NGUYEN VAN AN", "Nguyễn Văn An", "nguyễn văn", "  Nguyen   VAN ", "ngu", "NGUYỄN"],
)
def test_search_is_diacritic_and_case_insensitive_D3(people: People, cast: Any, q: str) -> None:
    assert names(sel.person_search(user=cast.alice, q=q)) == ["Nguyễn Văn An"]


@pytest.mark.parametrize(
    ("q", "expected"), [("do duc dung", ["Đỗ Đức Dũng"]), ("Đỗ Đức", ["Đỗ Đức Dũng"]), ("đao", ["Trần Thị Đào"])]
)
def test_d_with_stroke_folds_to_d_D3(people: People, cast: Any, q: str, expected: list[str]) -> None:
    assert names(sel.person_search(user=cast.alice, q=q)) == expected


def test_one_word_query_matches_the_given_name_D3(people: People, cast: Any, tree: Any) -> None:
    make_person(full_name="An Thị Hạnh", birth_year=1960, sex="F", residence_unit=tree.quan_trieu)
    make_person(full_name="Vũ Thị Anh", birth_year=1961, sex="F", residence_unit=tree.quan_trieu)
    # "an": the family name An (prefix) and the given name An (whole word), not "Anh"
    assert names(sel.person_search(user=cast.alice, q="an")) == ["An Thị Hạnh", "Nguyễn Văn An"]


@pytest.mark.parametrize(
    ("q", "who"),
    [
        ("019085000101", "an"),
        ("0912 345 678", "an"),
        ("+84912345678", "an"),
        ("m12345678", "kim"),
        ("0367000111", "dung"),
        ("0999999999", None),
        ("12345", None),
    ],
)
def test_search_by_cccd_phone_or_passport_D3(people: People, cast: Any, q: str, who: str | None) -> None:
    expected = [getattr(people, who).full_name] if who else []
    assert names(sel.person_search(user=cast.alice, q=q)) == expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_search_and_list_stay_in_scope_D4(people: People, cast: Any, persona: str) -> None:
    user = getattr(cast, persona)
    expected = {getattr(people, key).full_name for key in VISIBLE[persona]}
    assert set(names(sel.person_list(user=user))) == expected
    everyone = {p.full_name for p in people.all()}
    for person in people.all():
        found = set(names(sel.person_search(user=user, q=person.full_name)))
        assert found <= expected
        assert (person.full_name in found) == (person.full_name in expected)
    assert set(names(sel.person_search(user=user, q=""))) <= everyone


def test_keyset_pages_cover_everyone_once_in_name_order_D3(people: People, cast: Any, tree: Any) -> None:
    for i in range(5):
        make_person(full_name="Nguyễn Văn An", birth_year=1950 + i, sex="M", residence_unit=tree.quang_vinh)
    seen: list[Person] = []
    after = None
    pages = 0
    while True:
        page = sel.person_list(user=cast.alice, after=after, limit=3)
        seen.extend(page.items)
        pages += 1
        if page.next_after is None:
            break
        after = page.next_after
    assert pages == 4
    assert len(seen) == len({p.pk for p in seen}) == 12
    assert [(p.name_folded, p.pk) for p in seen] == sorted((p.name_folded, p.pk) for p in seen)
    # The same for a search whose matches share one name: ties are ordered by key.
    found: list[Person] = []
    after = None
    while True:
        page = sel.person_search(user=cast.alice, q="nguyen van an", after=after, limit=2)
        found.extend(page.items)
        if page.next_after is None:
            break
        after = page.next_after
    assert len(found) == len({p.pk for p in found}) == 6


def test_list_filters_by_unit_subtree_and_organisation_D3(people: People, cast: Any, tree: Any) -> None:
    assert {p.full_name for p in sel.person_list(user=cast.alice, unit=tree.quan_trieu).items} == {
        "Nguyễn Văn An",
        "Trần Thị Đào",
        "Phạm Thị Lan",
        "Kim Min Jun",
    }
    assert names(sel.person_list(user=cast.alice, unit=tree.xom1)) == ["Phạm Thị Lan"]
    assert set(names(sel.person_list(user=cast.alice, organisation=cast.enterprise))) == {"Đỗ Đức Dũng", "Hoàng Văn Em"}
    # a filter never widens the scope
    assert names(sel.person_list(user=cast.chi, unit=tree.quan_trieu)) == []


def test_foreigners_list_M6(people: People, cast: Any, tree: Any) -> None:
    make_person(full_name="Vàng A Páo", birth_year=1990, sex="M", residence_unit=tree.quan_trieu, illegal_entry=True)
    assert names(sel.foreigner_list(user=cast.cuong)) == ["Kim Min Jun", "Vàng A Páo"]
    assert names(sel.foreigner_list(user=cast.chi)) == []


def test_merged_records_are_hidden_from_lists_and_search_D3(people: People, cast: Any, tree: Any) -> None:
    twin = make_person(full_name="Nguyễn Văn An", birth_year=1985, sex="M", residence_unit=tree.quan_trieu)
    person_merge(keep=people.an, drop=twin, actor=cast.cuong)
    assert names(sel.person_search(user=cast.cuong, q="nguyen van an")) == ["Nguyễn Văn An"]
    assert twin.pk not in {p.pk for p in sel.person_list(user=cast.cuong).items}


def test_person_get_is_an_audited_read_and_404_out_of_scope_D4(people: People, cast: Any) -> None:
    assert sel.person_get(user=cast.cuong, uid=people.an.uid) == people.an
    line = AuditLog.objects.get(action=AuditAction.READ, object_uid=str(people.an.uid))
    assert line.actor == cast.cuong
    with pytest.raises(Http404):
        sel.person_get(user=cast.chi, uid=people.an.uid)
    with pytest.raises(Http404):
        sel.person_get(user=cast.chi, uid="not-a-uuid")
    assert AuditLog.objects.filter(action=AuditAction.READ).count() == 1


# --- Indexes ---------------------------------------------------------------------------------


OPERATIONS = {
    "list": lambda user, after: sel.person_list(user=user),
    "list_next_page": lambda user, after: sel.person_list(user=user, after=after, limit=1),
    "list_unit": lambda user, after: sel.person_list(user=user, unit=user.test_unit),
    "search_name": lambda user, after: sel.person_search(user=user, q="Nguyen Van"),
    "search_given_name": lambda user, after: sel.person_search(user=user, q="an"),
    "search_phone": lambda user, after: sel.person_search(user=user, q="0912 345 678"),
    "search_cccd": lambda user, after: sel.person_search(user=user, q="019085000101"),
    "search_passport": lambda user, after: sel.person_search(user=user, q="M12345678"),
    "foreigners": lambda user, after: sel.foreigner_list(user=user),
}


def _plans(fn: Any) -> list[str]:
    """EXPLAIN each query on people_person that ``fn`` runs (PostgreSQL: with sequential scans off)."""
    with CaptureQueriesContext(connection) as ctx:
        fn()
    plans = []
    for query in ctx.captured_queries:
        sql = query["sql"]
        if not sql.startswith("SELECT") or '"people_person"' not in sql.split(" WHERE ")[0]:
            continue
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL enable_seqscan = off")
                cursor.execute("EXPLAIN " + sql)
            else:
                cursor.execute("EXPLAIN QUERY PLAN " + sql)
            plans.append("\n".join(str(row[-1]) for row in cursor.fetchall()))
    assert plans
    return plans


@pytest.mark.parametrize("persona", ["alice", "cuong"])
@pytest.mark.parametrize("operation", OPERATIONS)
def test_lists_and_searches_are_index_scans_D3(
    people: People, cast: Any, tree: Any, persona: str, operation: str
) -> None:
    user = getattr(cast, persona)
    user.test_unit = tree.city if persona == "alice" else tree.xom1
    after = sel.person_list(user=user, limit=1).next_after
    for plan in _plans(lambda: OPERATIONS[operation](user, after)):
        if connection.vendor == "postgresql":
            assert "Seq Scan on people_person" not in plan, plan
        else:
            lines = [line for line in plan.splitlines() if "people_person" in line]
            assert all(line.startswith("SEARCH") or "USING INDEX" in line for line in lines), plan
            if persona == "alice" and operation not in ("search_phone", "search_cccd", "search_passport"):
                # the province: walk a name index in order and stop after a page, never sort everyone
                assert "TEMP B-TREE" not in plan, plan


# --- Management chain ------------------------------------------------------------------------


@pytest.fixture
def chain(tree: Any) -> dict[str, StaffMembership]:
    """Sở Y tế (director) ⊃ Phòng Nghiệp vụ (head) ⊃ deputy → officer; a peer; another department's head."""
    dept = organisation_create(name="Sở Y tế", kind=OrganisationKind.DEPARTMENT, unit=tree.province)
    office = organisation_create(
        name="Phòng Nghiệp vụ Y", kind=OrganisationKind.DEPARTMENT, unit=tree.province, parent=dept
    )
    other = organisation_create(name="Sở Tài chính", kind=OrganisationKind.DEPARTMENT, unit=tree.province)
    start = date(2020, 1, 1)

    def member(name: str, org: Any, **extra: Any) -> StaffMembership:
        person = make_person(full_name=name, birth_year=1975, sex="M", residence_unit=tree.quang_vinh)
        return StaffMembership.objects.create(person=person, organisation=org, start_date=start, **extra)

    director = member("Giám Đốc", dept, position="Giám đốc", is_head=True)
    head = member("Trưởng Phòng", office, position="Trưởng phòng", is_head=True, manager=director)
    deputy = member("Phó Phòng", office, position="Phó trưởng phòng", manager=head)
    officer = member("Chuyên Viên", office, position="Chuyên viên", manager=deputy)
    peer = member("Đồng Nghiệp", office, position="Chuyên viên", manager=deputy)
    outsider = member("Giám Đốc Khác", other, position="Giám đốc", is_head=True)
    retired = member("Nguyên Trưởng Phòng", office, is_head=True, end_date=timezone.localdate() - timedelta(days=1))
    return {
        "director": director,
        "head": head,
        "deputy": deputy,
        "officer": officer,
        "peer": peer,
        "outsider": outsider,
        "retired": retired,
    }


def test_approvers_are_the_chain_nearest_first_D3(chain: dict[str, StaffMembership]) -> None:
    approvers = sel.approvers_for(membership=chain["officer"])
    assert approvers == [chain["deputy"], chain["head"], chain["director"]]


def test_approvers_for_someone_without_a_manager_are_the_heads_up_the_chain_D3(
    chain: dict[str, StaffMembership],
) -> None:
    chain["peer"].manager = None
    chain["peer"].save()
    assert sel.approvers_for(membership=chain["peer"]) == [chain["head"], chain["director"]]
    assert sel.approvers_for(membership=chain["director"]) == []


@pytest.mark.parametrize(
    ("approver", "expected"),
    [
        ("deputy", True),  # direct head
        ("head", True),  # higher leader
        ("director", True),  # head of the parent organisation
        ("peer", False),  # a colleague at the same level
        ("officer", False),  # oneself
        ("outsider", False),  # the head of another organisation
        ("retired", False),  # a head whose post has ended
    ],
)
def test_may_approve_D3(chain: dict[str, StaffMembership], approver: str, expected: bool) -> None:
    assert sel.may_approve(approver=chain[approver].person, for_membership=chain["officer"]) is expected
