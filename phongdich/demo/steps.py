"""The demo, step by step. Each step is idempotent: it builds what is missing and keeps the rest.

``STEPS`` is the ordered list the ``demo`` command runs; later features append their own
steps (a step is a function taking the shared ``Demo`` state).
"""

# Seeded pseudo-random numbers on purpose: the same seed gives the same synthetic data.
# ruff: noqa: S311

from __future__ import annotations

import io
import json
import random
import secrets
import string
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Protocol, TextIO

from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.db.models import Q

from phongdich.core.models import User
from phongdich.geo.models import Level, PopulationSource, Unit, UnitType
from phongdich.geo.services import hamlet_create, unit_set_population
from phongdich.orgs.models import FollowAssignment, Organisation, OrganisationKind, Role, RoleAssignment, Sector
from phongdich.orgs.services import follow_assign, organisation_create, premises_create, role_assign
from phongdich.people.models import Person, StaffCategory, StaffMembership

from . import catalogue
from .catalogue import LoginSpec, OrgSpec
from .checkins import step_checkins
from .command import step_command
from .control_zones import step_control_zones
from .declarations import step_declarations
from .enforcement import step_enforcement
from .epidemic_areas import step_epidemic_areas
from .hotlines import step_hotlines
from .levels import step_levels
from .movements import step_movements
from .outbreak import step_outbreak
from .quarantine import step_quarantine
from .reports import step_reports
from .screening import step_screening
from .supplies import step_supplies
from .synthetic import REFERENCE_YEAR, Employer, PopulationGenerator, people_bulk_create, residences_for
from .testing import step_testing
from .travel import step_travel
from .vaccination import step_vaccination
from .welfare import step_welfare

LOGINS_FILE = "demo-logins.json"


class Writer(Protocol):
    def write(self, text: str, /) -> Any: ...


@dataclass
class Login:
    username: str
    role: str
    scope: str
    password: str


@dataclass
class Demo:
    """The state the steps share: options, output, and what earlier steps found or made."""

    people: int = 20_000
    seed: int = 2021
    out: Writer = sys.stdout
    progress: TextIO | None = sys.stderr
    province: Unit | None = None
    orgs: dict[str, Organisation] = field(default_factory=dict)
    logins: list[Login] = field(default_factory=list)

    def say(self, message: str) -> None:
        self.out.write(message + "\n")

    def unit(self, code: str) -> Unit:
        if code == "province":
            assert self.province is not None
            return self.province
        return Unit.objects.get(tree=catalogue.TREE, code=code)


Step = Callable[[Demo], None]


# --- the province -------------------------------------------------------------------------------
def province_load(*, province_code: str = catalogue.PROVINCE_CODE, tree: str = catalogue.TREE) -> Unit:
    """Thái Nguyên's units (load_units) with census-2019 and synthesized populations; kept if loaded."""
    province = Unit.objects.filter(tree=tree, code=province_code, level=Level.PROVINCE).first()
    if province is None:
        call_command("load_units", province=province_code, tree=tree, verbosity=0, stdout=io.StringIO())
        province = Unit.objects.get(tree=tree, code=province_code, level=Level.PROVINCE)
    _populations(province)
    return province


def _populations(province: Unit) -> None:
    """District figures from the 2019 census; communes without a figure get a synthesized share."""
    from phongdich.geo import services as geo

    if province.population is None and province.code == catalogue.PROVINCE_CODE:
        geo.apply_census_2019_thai_nguyen(tree=province.tree)
    for district in Unit.objects.subtree(province).filter(level=Level.DISTRICT, population__isnull=False):
        if district.children.filter(level=Level.COMMUNE, population__isnull=True).exists():
            geo.synthesize_commune_populations(district=district)


def step_units(demo: Demo) -> None:
    demo.province = province_load()
    communes = Unit.objects.subtree(demo.province).filter(level=Level.COMMUNE).count()
    demo.say(f"Đơn vị hành chính: {demo.province.name} (bộ {catalogue.TREE}), {communes} xã, phường, thị trấn.")


def step_hamlets(demo: Demo) -> None:
    """Hamlets (xóm, tổ dân phố) in a few communes, each with a share of the commune's population."""
    rng = random.Random(demo.seed)
    added = 0
    for commune_code, unit_type, names in catalogue.HAMLETS:
        commune = demo.unit(commune_code)
        if commune.children.exists():
            continue
        shares = [rng.uniform(0.7, 1.3) for _ in names]
        for n, (name, share) in enumerate(zip(names, shares, strict=True), start=1):
            hamlet = hamlet_create(
                commune=commune, name=name, unit_type=unit_type, code=f"{commune.code}-{n:02d}", actor=None
            )
            if commune.population:
                # The commune's figure split among its hamlets: synthesized, like the commune's own.
                unit_set_population(
                    unit=hamlet,
                    population=round(commune.population * share / sum(shares)),
                    year=commune.population_year,
                    source=PopulationSource.SYNTHESIZED,
                    actor=None,
                )
            added += 1
    total = Unit.objects.subtree(_province(demo)).filter(level=Level.HAMLET).count()
    demo.say(f"Thôn, xóm, tổ dân phố: {total}" + (f" (thêm {added})." if added else "."))


def _province(demo: Demo) -> Unit:
    assert demo.province is not None, "step_units runs first"
    return demo.province


# --- organisations ------------------------------------------------------------------------------
_DISTRICT_SEATS = {"164": catalogue.TRUNG_VUONG, "172": "05860"}  # Phường Trưng Vương, Phường Ba Hàng


def district_committees(province: Unit) -> list[OrgSpec]:
    """The People's Committee of each district-level unit, seated in its town."""
    specs = []
    for district in Unit.objects.subtree(province).filter(level=Level.DISTRICT).order_by("code"):
        communes = district.children.order_by("code")
        seat = _DISTRICT_SEATS.get(district.code) or next(
            (c.code for c in communes if c.unit_type == UnitType.THI_TRAN), communes[0].code
        )
        name = district.name[:1].lower() + district.name[1:]
        specs.append(
            OrgSpec(
                key=f"ubnd_{district.code}",
                name=f"UBND {name}",
                kind=OrganisationKind.PEOPLES_COMMITTEE,
                unit=district.code,
                site=seat,
                parent="ubnd_tinh",
                head_title="Chủ tịch",
                weight=1.5,
                premises=catalogue.AGENCY,
            )
        )
    return specs


def org_specs(province: Unit) -> list[OrgSpec]:
    return [*catalogue.PROVINCIAL, *district_committees(province), *catalogue.LOCAL]


def step_organisations(demo: Demo) -> None:
    """The organisations the seed directives name, with their premises."""
    created = 0
    for spec in org_specs(_province(demo)):
        unit = demo.unit(spec.unit)
        org = Organisation.objects.filter(name=spec.name, unit=unit).first()
        if org is None:
            org = _organisation_create(demo, spec, unit)
            created += 1
        demo.orgs[spec.key] = org
    demo.say(f"Cơ quan, đơn vị: {len(demo.orgs)}" + (f" (thêm {created})." if created else "."))


@transaction.atomic
def _organisation_create(demo: Demo, spec: OrgSpec, unit: Unit) -> Organisation:
    site = demo.unit(spec.site)
    address = spec.address or site.full_name()
    org = organisation_create(
        name=spec.name,
        kind=spec.kind,
        unit=unit,
        parent=demo.orgs[spec.parent] if spec.parent else None,
        short_name=spec.short_name,
        sector=spec.sector,
        address=address,
    )
    for name, kind in spec.premises:
        premises_create(organisation=org, name=name, kind=kind, unit=site, address=address)
    return org


# --- people -------------------------------------------------------------------------------------
def step_people(demo: Demo) -> None:
    """About 20,000 synthetic residents, some employed by the organisations above."""
    existing = Person.objects.filter(is_synthetic=True).count()
    if existing:
        demo.say(f"Nhân khẩu giả lập: {existing:,} (giữ nguyên).")
        return
    weights = {spec.key: spec.weight for spec in org_specs(_province(demo))}
    employers = [Employer(org.pk, org.kind, weights.get(key, 1.0)) for key, org in demo.orgs.items()]
    generator = PopulationGenerator(
        seed=demo.seed,
        residences=residences_for(province=_province(demo)),
        employers=employers,
        employed_share=0.3,
        taken_cccds={c for c in Person.objects.exclude(cccd=None).values_list("cccd", flat=True) if c},
        taken_phones=set(Person.objects.exclude(phone="").values_list("phone", flat=True)),
    )
    created = people_bulk_create(generator=generator, count=demo.people, progress=demo.progress)
    demo.say(f"Nhân khẩu giả lập: {created:,}.")


# Position titles and staff categories by kind of organisation.
_STATE = {
    OrganisationKind.PARTY_COMMITTEE,
    OrganisationKind.PEOPLES_COMMITTEE,
    OrganisationKind.STEERING_COMMITTEE,
    OrganisationKind.DEPARTMENT,
    OrganisationKind.FATHERLAND_FRONT,
    OrganisationKind.OTHER,
}
_PUBLIC_SERVICE = {
    OrganisationKind.HEALTH_AGENCY,
    OrganisationKind.HOSPITAL,
    OrganisationKind.UNIVERSITY,
    OrganisationKind.SCHOOL,
}
_ARMED = {OrganisationKind.POLICE, OrganisationKind.MILITARY}
_STAFF_TITLE = {
    OrganisationKind.ENTERPRISE: "Công nhân",
    OrganisationKind.INDUSTRIAL_PARK: "Nhân viên",
    OrganisationKind.HOSPITAL: "Bác sĩ, điều dưỡng",
    OrganisationKind.HEALTH_AGENCY: "Cán bộ y tế",
    OrganisationKind.SCHOOL: "Giáo viên",
    OrganisationKind.UNIVERSITY: "Giảng viên",
    OrganisationKind.POLICE: "Cán bộ, chiến sĩ",
    OrganisationKind.MILITARY: "Cán bộ, chiến sĩ",
}


def _category(kind: str, *, leader: bool, rng: random.Random) -> StaffCategory:
    if kind in _STATE:
        if leader and kind != OrganisationKind.DEPARTMENT:
            return StaffCategory.CADRE
        return StaffCategory.CONTRACT if not leader and rng.random() < 0.05 else StaffCategory.CIVIL_SERVANT
    if kind in _ARMED:
        return StaffCategory.CADRE if leader else StaffCategory.CIVIL_SERVANT
    if kind in _PUBLIC_SERVICE:
        return StaffCategory.PUBLIC_EMPLOYEE
    return StaffCategory.WORKER


def _party_member(kind: str, *, leader: bool, rng: random.Random) -> bool:
    if kind in _STATE or kind in _ARMED:
        return leader or rng.random() < 0.6
    if kind in _PUBLIC_SERVICE:
        return leader or rng.random() < 0.3
    return rng.random() < (0.5 if leader else 0.03)


def step_staff(demo: Demo) -> None:
    """Staff of each organisation: a head, deputies under the head, staff under the deputies (D3)."""
    orgs = list(demo.orgs.values())
    if StaffMembership.objects.filter(organisation__in=orgs).exists():
        count = StaffMembership.objects.filter(organisation__in=orgs).count()
        demo.say(f"Cán bộ, nhân viên: {count:,} (giữ nguyên).")
        return
    rng = random.Random(demo.seed + 1)
    titles = {spec.key: spec.head_title for spec in org_specs(_province(demo))}
    _ensure_staff(demo, rng)
    total = 0
    with transaction.atomic():
        for key, org in demo.orgs.items():
            total += _staff_build(org=org, head_title=titles.get(key, "Giám đốc"), rng=rng)
    demo.say(f"Cán bộ, nhân viên: {total:,}.")


def _working_age() -> Q:
    return Q(birth_year__gte=REFERENCE_YEAR - 58, birth_year__lte=REFERENCE_YEAR - 24)


def _ensure_staff(demo: Demo, rng: random.Random) -> None:
    """Every organisation gets at least three people of working age (a small --people may leave gaps)."""
    pool = list(
        Person.objects.filter(_working_age(), is_synthetic=True, organisation=None, user=None)
        .order_by("id")
        .values_list("id", flat=True)[:5000]
    )
    rng.shuffle(pool)
    for org in demo.orgs.values():
        missing = 3 - Person.objects.filter(_working_age(), organisation=org).count()
        if missing > 0 and pool:
            take, pool = pool[:missing], pool[missing:]
            Person.objects.filter(id__in=take).update(organisation=org)


def _staff_build(*, org: Organisation, head_title: str, rng: random.Random) -> int:
    people = list(Person.objects.filter(_working_age(), organisation=org).order_by("birth_year", "id"))
    if not people:
        return 0
    # The head is someone in their late forties or fifties, deputies rather younger; the rest is staff.
    seniors = [p for p in people if p.birth_year <= REFERENCE_YEAR - 45]
    head_person = rng.choice(seniors or people)
    rest = [p for p in people if p.pk != head_person.pk]
    n_deputies = min(len(rest), 1 if len(rest) < 10 else 2 if len(rest) < 60 else 3)
    middle_aged = [p for p in rest if p.birth_year <= REFERENCE_YEAR - 35]
    deputies_people = rng.sample(middle_aged, n_deputies) if len(middle_aged) >= n_deputies else rest[:n_deputies]
    staff_people = [p for p in rest if p not in deputies_people]
    kind = org.kind
    staff_title = _STAFF_TITLE.get(OrganisationKind(kind), "Chuyên viên")

    def membership(person: Person, *, position: str, leader: bool, manager: StaffMembership | None) -> StaffMembership:
        start = date(rng.randint(max(person.birth_year + 22, 1990), 2020), rng.randint(1, 12), 1)
        return StaffMembership(
            person=person,
            organisation=org,
            position=position,
            category=_category(kind, leader=leader, rng=rng),
            is_party_member=_party_member(kind, leader=leader, rng=rng),
            is_head=manager is None,
            manager=manager,
            start_date=start,
        )

    (head,) = StaffMembership.objects.bulk_create(
        [membership(head_person, position=head_title, leader=True, manager=None)]
    )
    deputies = StaffMembership.objects.bulk_create(
        [
            membership(p, position=f"Phó {head_title[:1].lower()}{head_title[1:]}", leader=True, manager=head)
            for p in deputies_people
        ]
    )
    managers = deputies or [head]
    StaffMembership.objects.bulk_create(
        [
            membership(p, position=staff_title, leader=False, manager=managers[i % len(managers)])
            for i, p in enumerate(staff_people)
        ],
        batch_size=2000,
    )
    return 1 + len(deputies_people) + len(staff_people)


# --- users --------------------------------------------------------------------------------------
def logins_path() -> Path:
    return Path(settings.VAR_DIR) / LOGINS_FILE


def _read_logins() -> dict[str, str]:
    try:
        data = json.loads(logins_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _write_logins(passwords: dict[str, str]) -> None:
    path = logins_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600, exist_ok=True)
    path.chmod(0o600)
    path.write_text(json.dumps(passwords, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def new_password() -> str:
    alphabet = string.ascii_lowercase + string.digits
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(3))


def step_users(demo: Demo) -> None:
    """A user for every role, each linked to a synthetic person; passwords kept in var/demo-logins.json."""
    passwords = _read_logins()
    changed = False
    for spec in catalogue.LOGINS:
        user = User.objects.filter(username=spec.username).first()
        password = passwords.get(spec.username)
        # A password already printed is kept (a user may have changed it since: that is theirs to keep);
        # an account whose password is unknown gets a new one, so that every printed login works.
        if user is None or password is None:
            password = password or new_password()
            if user is None:
                user = User(username=spec.username)
            user.set_password(password)
            user.is_staff = user.is_superuser = spec.role == ""
            user.save()
            passwords[spec.username] = password
            changed = True
        scope = _grant(demo, user, spec)
        label = str(Role(spec.role).label) if spec.role else "Quản trị hệ thống (superuser)"
        demo.logins.append(Login(spec.username, label, scope, password))
    if changed:
        _write_logins(passwords)


def _grant(demo: Demo, user: User, spec: LoginSpec) -> str:
    """The role, follow assignments and linked person of one demo user; returns its scope, in words."""
    if not spec.role:
        return "Toàn hệ thống"
    unit = demo.unit(spec.unit) if spec.unit else None
    org = demo.orgs[spec.organisation] if spec.organisation else None
    if not RoleAssignment.objects.filter(user=user, role=spec.role, unit=unit, organisation=org).exists():
        role_assign(user=user, role=spec.role, unit=unit, organisation=org)
    follows = []
    for code in spec.follow_units:
        target = demo.unit(code)
        if not FollowAssignment.objects.filter(user=user, unit=target).exists():
            follow_assign(user=user, unit=target)
        follows.append(target.name)
    for sector in spec.follow_sectors:
        if not FollowAssignment.objects.filter(user=user, unit=None, sector=sector).exists():
            follow_assign(user=user, sector=sector)
        follows.append(str(Sector(sector).label))
    _link_person(demo, user, spec, unit)
    scope = unit.name if unit is not None else org.name if org is not None else ""
    return scope + (f"; theo dõi: {', '.join(follows)}" if follows else "")


def _link_person(demo: Demo, user: User, spec: LoginSpec, unit: Unit | None) -> None:
    if Person.objects.filter(user=user).exists():
        return
    person: Person | None = None
    if spec.person_from:
        members = StaffMembership.objects.filter(organisation=demo.orgs[spec.person_from], person__user=None)
        members = members.filter(is_head=False) if spec.as_staff else members.filter(is_head=True)
        membership = members.select_related("person").order_by("id").first()
        person = membership.person if membership else None
    if person is None and unit is not None:
        person = (
            Person.objects.filter(
                _working_age(),
                is_synthetic=True,
                user=None,
                residence_unit__in=Unit.objects.subtree(unit).values("pk"),
            )
            .order_by("id")
            .first()
        )
    if person is None:
        return
    person.user = user
    person.save(update_fields=["user"])
    user.first_name, user.last_name = person.full_name[:150], ""
    user.phone = person.phone
    user.save(update_fields=["first_name", "last_name", "phone"])


# --- cases (C1, C2, C5) -------------------------------------------------------------------------
# Seed 001: "từ ngày 01/11 đến 15h00' ngày 06/11/2021 ... 28 trường hợp dương tính ... tại huyện Võ Nhai,
# thị xã Phổ Yên, thành phố Sông Công và thành phố Thái Nguyên". (district code, confirmed cases, first day)
# in the order the districts reported their first case; 28 in all.
CASE_WAVE = [
    ("170", 3, date(2021, 11, 1)),
    ("172", 12, date(2021, 11, 2)),
    ("165", 5, date(2021, 11, 4)),
    ("164", 8, date(2021, 11, 5)),
]
# Earlier community cases (2020 and the summer of 2021) so that "days without a community case" means something;
# the July 2021 case found in quarantine does not count towards it (C2).
CASE_EARLIER = [
    ("164", date(2020, 3, 24), "community"),
    ("172", date(2020, 7, 30), "community"),
    ("164", date(2021, 7, 1), "community"),
    ("172", date(2021, 7, 20), "quarantine"),
]
CASE_SUSPECTED_BY_POLICE = [("164", 2), ("172", 2)]
CASE_NOTE = "Dữ liệu giả lập (demo)"


def step_cases(demo: Demo) -> None:
    """Seed 001's wave of 28 confirmed cases, earlier community cases, and suspects reported by the police."""
    from django.utils import timezone

    from phongdich.cases.models import Case, CaseStatus, ReportedBy
    from phongdich.cases.services import case_register, case_transition

    existing = Case.objects.filter(notes=CASE_NOTE).count()
    if existing:
        demo.say(f"Ca bệnh giả lập: {existing} (giữ nguyên).")
        return
    rng = random.Random(demo.seed)
    taken: set[int] = set()

    def residents(code: str, n: int) -> list[Person]:
        district = demo.unit(code)
        pool = list(
            Person.objects.filter(is_synthetic=True, user__isnull=True)
            .in_unit(district)
            .exclude(pk__in=taken)
            .order_by("id")[: 20 * n]
        )
        chosen = rng.sample(pool, min(n, len(pool)))
        taken.update(p.pk for p in chosen)
        return chosen

    def confirmed(person: Person, moment: Any, detected_in: str = "community", *, symptoms: bool = True) -> Case:
        day = timezone.localdate(moment)
        return case_register(
            actor=None,
            person=person,
            status=CaseStatus.CONFIRMED,
            detected_in=detected_in,
            onset_date=day - timedelta(days=rng.randint(1, 3)) if symptoms else None,
            sampling_date=day - timedelta(days=1),
            confirmed_at=moment,
            notes=CASE_NOTE,
        )

    with transaction.atomic():
        for code, day, detected_in in CASE_EARLIER:
            for person in residents(code, 1):
                case = confirmed(person, timezone.make_aware(datetime.combine(day, time(10))), detected_in)
                case_transition(actor=None, case=case, to=CaseStatus.RECOVERED, on_date=day + timedelta(days=14))
        for code, n, first in CASE_WAVE:
            for i, person in enumerate(residents(code, n)):
                day = min(first + timedelta(days=i % 2), date(2021, 11, 6))
                hour = 8 + (i * 3) % 7  # 08:00 to 14:00, inside the period ending 15:00 on 06/11
                confirmed(person, timezone.make_aware(datetime.combine(day, time(hour))), symptoms=i % 3 != 2)
        for code, n in CASE_SUSPECTED_BY_POLICE:
            for person in residents(code, n):
                case_register(
                    actor=None,
                    person=person,
                    detected_in="community",
                    reported_by=ReportedBy.POLICE,
                    onset_date=date(2021, 11, 5),
                    notes=CASE_NOTE,
                )
    demo.say(f"Ca bệnh giả lập: {Case.objects.filter(notes=CASE_NOTE).count()} (đợt 01/11–06/11/2021: 28 ca).")


STEPS: list[tuple[str, Step]] = [
    ("units", step_units),
    ("hamlets", step_hamlets),
    ("organisations", step_organisations),
    ("people", step_people),
    ("staff", step_staff),
    ("users", step_users),
    ("cases", step_cases),
    ("epidemic_areas", step_epidemic_areas),
    ("quarantine", step_quarantine),
    ("declarations", step_declarations),
    ("movements", step_movements),
    ("outbreak", step_outbreak),
    ("control_zones", step_control_zones),
    ("checkins", step_checkins),
    ("testing", step_testing),
    ("screening", step_screening),
    ("supplies", step_supplies),
    ("vaccination", step_vaccination),
    ("command", step_command),
    ("reports", step_reports),
    ("hotlines", step_hotlines),
    ("levels", step_levels),
    ("travel", step_travel),
    ("enforcement", step_enforcement),
    ("welfare", step_welfare),
]


def steps_until(name: str | None) -> list[tuple[str, Step]]:
    """The steps up to and including ``name`` (every step for None): a shorter demo for a test or a trial."""
    if name is None:
        return list(STEPS)
    names = [step_name for step_name, _step in STEPS]
    return STEPS[: names.index(name) + 1]


def run(demo: Demo, steps: list[tuple[str, Step]] | None = None) -> Demo:
    for _name, step in steps if steps is not None else STEPS:
        step(demo)
    return demo
