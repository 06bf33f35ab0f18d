"""``manage.py demo``: the province, the organisations the seeds name, people, staff, a login per role (D1–D5)."""

from __future__ import annotations

import io
import re
import stat
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from phongdich.core.models import User
from phongdich.demo import catalogue
from phongdich.demo.steps import logins_path
from phongdich.geo.models import Level, Unit
from phongdich.orgs.models import FollowAssignment, Organisation, OrganisationKind, Premises, Role, RoleAssignment
from phongdich.people.models import Person, StaffMembership
from phongdich.people.validators import normalise_phone, validate_cccd

PEOPLE = 300


@pytest.fixture
def var_dir(settings: Any, tmp_path: Path) -> Path:
    settings.VAR_DIR = tmp_path
    return tmp_path


def run_demo(**options: Any) -> str:
    out = io.StringIO()
    call_command("demo", people=PEOPLE, verbosity=0, stdout=out, stderr=io.StringIO(), until="users", **options)
    return out.getvalue()


def printed_logins(output: str) -> dict[str, str]:
    """``username → password`` from the printed table (the last column)."""
    usernames = {spec.username for spec in catalogue.LOGINS}
    logins = {}
    for line in output.splitlines():
        words = line.split()
        if words and words[0] in usernames:
            logins[words[0]] = words[-1]
    return logins


@pytest.mark.django_db
def test_demo_builds_thai_nguyen_with_hamlets_and_people_D1(var_dir: Path) -> None:
    run_demo()
    province = Unit.objects.get(tree="2021", code="19")
    units = Unit.objects.subtree(province)
    assert units.filter(level=Level.DISTRICT).count() == 9
    assert units.filter(level=Level.COMMUNE).count() == 178
    assert not units.filter(level__lte=Level.COMMUNE, population__isnull=True).exists()
    # Hamlets in five communes, Quán Triều among them, with its residents living in them.
    hamlets = units.filter(level=Level.HAMLET)
    assert hamlets.values("parent").distinct().count() == len(catalogue.HAMLETS)
    assert 5 * 5 <= hamlets.count() <= 5 * 10
    quan_trieu = Unit.objects.get(tree="2021", code=catalogue.QUAN_TRIEU)
    assert quan_trieu.children.count() == 8
    assert Person.objects.filter(residence_unit__parent=quan_trieu).exists()
    assert not Person.objects.filter(residence_unit=quan_trieu).exists()

    people = Person.objects.filter(is_synthetic=True)
    # Later steps (quarantine, declarations, outbreak …) draw a few more synthetic people of their own.
    assert PEOPLE <= people.count() == Person.objects.count() <= PEOPLE * 2
    for person in people:
        assert person.name_folded
        assert person.given_name_folded == person.name_folded.split()[-1]
        if person.cccd:
            validate_cccd(person.cccd, sex=person.sex, birth_year=person.birth_year)
        if person.phone:
            assert normalise_phone(person.phone) == person.phone
    # Bulk-written rows read back through the ORM like any other (search keys, uid, dates).
    one = people.exclude(birth_date=None).first()
    assert one is not None
    assert Person.objects.get(uid=one.uid).birth_date == one.birth_date
    assert Person.objects.filter(name_folded__startswith=one.name_folded).exists()


@pytest.mark.django_db
def test_demo_creates_the_organisations_the_seeds_name_with_premises_and_staff_D2_D3(var_dir: Path) -> None:
    run_demo()
    for name in (
        "Tỉnh ủy Thái Nguyên",
        "UBND tỉnh Thái Nguyên",
        "Ban Chỉ đạo phòng, chống dịch COVID-19 tỉnh Thái Nguyên",
        "Sở Y tế tỉnh Thái Nguyên",
        "Trung tâm Kiểm soát bệnh tật tỉnh Thái Nguyên",
        "Công an tỉnh Thái Nguyên",
        "Bộ Chỉ huy Quân sự tỉnh Thái Nguyên",
        "Sở Thông tin và Truyền thông tỉnh Thái Nguyên",
        "Sở Tài chính tỉnh Thái Nguyên",
        "Sở Giáo dục và Đào tạo tỉnh Thái Nguyên",
        "Sở Khoa học và Công nghệ tỉnh Thái Nguyên",
        "Sở Công Thương tỉnh Thái Nguyên",
        "Cục Quản lý thị trường tỉnh Thái Nguyên",
        "Đại học Thái Nguyên",
        "Bệnh viện Trung ương Thái Nguyên",
        "Ủy ban MTTQ Việt Nam tỉnh Thái Nguyên",
        "UBND thành phố Thái Nguyên",
        "UBND thị xã Phổ Yên",
        "UBND huyện Định Hóa",
        "Khu công nghiệp Yên Bình",
        "Khu công nghiệp Điềm Thụy",
        "Công ty TNHH Điện tử Minh Phát",
    ):
        assert Organisation.objects.filter(name=name).exists(), name
    assert Organisation.objects.filter(kind=OrganisationKind.PEOPLES_COMMITTEE, unit__level=Level.DISTRICT).count() == 9
    assert Organisation.objects.filter(kind=OrganisationKind.SCHOOL).count() >= 2
    cdc = Organisation.objects.get(short_name="CDC Thái Nguyên")
    assert cdc.parent is not None
    assert cdc.parent.name == "Sở Y tế tỉnh Thái Nguyên"
    park = Organisation.objects.get(name="Khu công nghiệp Yên Bình")
    enterprises = Organisation.objects.filter(parent=park)
    assert enterprises.count() >= 3
    assert all(e.kind == OrganisationKind.ENTERPRISE and e.path.startswith(park.path) for e in enterprises)
    assert park.unit.parent is not None
    assert park.unit.parent.name == "Thị xã Phổ Yên"

    for org in Organisation.objects.all():
        kinds = set(org.premises.values_list("kind", flat=True))
        assert {Premises.Kind.OFFICE, Premises.Kind.GATE} <= kinds, org.name
        if org.kind == OrganisationKind.ENTERPRISE:
            assert Premises.Kind.WORKSHOP in kinds
        assert org.sector or org.kind == OrganisationKind.PEOPLES_COMMITTEE, org.name
        # One head; deputies answer to the head, staff to a deputy (or the head).
        heads = list(StaffMembership.objects.filter(organisation=org, is_head=True))
        assert len(heads) == 1, org.name
        for m in StaffMembership.objects.filter(organisation=org, is_head=False).select_related("manager"):
            assert m.manager is not None
            assert m.manager.organisation_id == org.pk
            assert m.manager.is_head or m.manager.manager_id == heads[0].pk
            assert m.person.organisation_id == org.pk


@pytest.mark.django_db
def test_demo_creates_a_user_for_every_role_who_can_log_in_D4_D5(var_dir: Path) -> None:
    output = run_demo()
    assert "http://127.0.0.1:8000/" in output
    logins = printed_logins(output)
    assert set(logins) == {spec.username for spec in catalogue.LOGINS}
    held = set(RoleAssignment.objects.filter(user__username__in=logins).values_list("role", flat=True))
    assert held == set(Role.values)
    for username, password in logins.items():
        assert Client().login(username=username, password=password), username
    assert User.objects.get(username="admin").is_superuser
    assert logins_path() == var_dir / "demo-logins.json"
    assert stat.S_IMODE(logins_path().stat().st_mode) == 0o600

    # Every user but the superuser is a synthetic person of the registry.
    linked = Person.objects.filter(user__username__in=logins, is_synthetic=True)
    assert linked.count() == len(logins) - 1
    head = User.objects.get(username="dn_minhphat").person
    assert StaffMembership.objects.filter(person=head, is_head=True, organisation__name__contains="Minh Phát").exists()

    follows = FollowAssignment.objects.filter(user__username="tinh_thuongvu")
    assert {(f.unit.name if f.unit else f.sector) for f in follows} == {"Thị xã Phổ Yên", "health"}

    # The commune officer sees the people of Quán Triều and no one else; the hamlet head only theirs.
    officer = User.objects.get(username="xa_quantrieu")
    quan_trieu = Unit.objects.get(tree="2021", code=catalogue.QUAN_TRIEU)
    visible = Person.objects.for_user(officer)
    assert visible.exists()
    assert set(visible.values_list("residence_unit__parent", flat=True)) == {quan_trieu.pk}
    hamlet_head = User.objects.get(username="to1_quantrieu")
    assert set(Person.objects.for_user(hamlet_head).values_list("residence_unit__code", flat=True)) <= {
        f"{catalogue.QUAN_TRIEU}-01"
    }


@pytest.mark.django_db
def test_demo_run_again_keeps_everything_and_prints_the_same_logins_D1(var_dir: Path) -> None:
    first = run_demo()
    models = (Unit, Organisation, Premises, Person, StaffMembership, User, RoleAssignment, FollowAssignment)
    counts = {m: m.objects.count() for m in models}
    second = run_demo(seed=7)
    assert {m: m.objects.count() for m in models} == counts
    assert printed_logins(second) == printed_logins(first)
    assert re.search(r"\(giữ nguyên\)", second)
