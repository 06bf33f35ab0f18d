"""The gate (M1): a personal code typed at a gate shows a colour and records a check-in there."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from phongdich.cases.models import Case
from phongdich.checkins.models import CheckIn, Source
from phongdich.core.models import AuditAction, AuditLog
from phongdich.healthpass.rules import Colour, Facts
from phongdich.healthpass.selectors import facts_of
from phongdich.healthpass.services import initials
from phongdich.healthpass.tokens import code_display, code_issue
from phongdich.orgs.models import OrganisationKind, Premises
from phongdich.orgs.services import organisation_create, premises_create
from phongdich.quarantine.models import Episode, EpisodeStatus
from phongdich.testing.services import order_create
from phongdich.tracing.models import ContactLevel
from phongdich.vaccination.models import Dose
from phongdich.zones.models import EpidemicArea, ExposureFlag

from .conftest import make_person, vaccinate

TODAY = date(2021, 9, 1)


def _case(person: Any, status: str = "confirmed") -> Case:
    return Case.objects.create(
        case_code=f"TN-2021-{person.pk:04d}",
        person=person,
        status=status,
        detected_in="community",
        residence_unit=person.residence_unit,
    )


def _episode(person: Any, kind: str, status: str = EpisodeStatus.OPEN) -> Episode:
    return Episode.objects.create(
        person=person, kind=kind, start_date=TODAY, planned_end=TODAY + timedelta(days=14), status=status
    )


def _flag(person: Any, *, cleared: bool = False) -> ExposureFlag:
    area = EpidemicArea.objects.create(kind="unit", unit=person.residence_unit, start_date=TODAY)
    return ExposureFlag.objects.create(
        person=person,
        area=area,
        source=f"test-{uuid.uuid4()}",
        reason="Đã đến",
        visit_from=TODAY,
        visit_to=TODAY,
        flagged_at=timezone.now(),
        cleared_at=timezone.now() if cleared else None,
    )


def _level(person: Any, level: int | None) -> ContactLevel:
    return ContactLevel.objects.create(
        person=person, level=level, reason="within" if level is not None else "outside", chain_key=person.pk
    )


def _order(person: Any, due: date) -> None:
    order_create(
        actor=None, person=person, reason="manual", due_on=due, source_key=f"test-{uuid.uuid4()}", kind="rapid"
    )


PLANTS = [
    ("nothing", lambda p: None, Facts()),
    ("test due today", lambda p: _order(p, TODAY), Facts(test_due=True)),
    ("test overdue", lambda p: _order(p, TODAY - timedelta(days=3)), Facts(test_due=True)),
    ("test due later is no fact", lambda p: _order(p, TODAY + timedelta(days=2)), Facts()),
    ("confirmed case", lambda p: _case(p), Facts(open_case=True)),
    ("suspected case", lambda p: _case(p, "suspected"), Facts(open_case=True)),
    ("recovered case is no fact", lambda p: _case(p, "recovered"), Facts()),
    ("home quarantine", lambda p: _episode(p, "home"), Facts(quarantine_kind="home")),
    ("released episode is no fact", lambda p: _episode(p, "centralised", EpisodeStatus.RELEASED), Facts()),
    ("active flag", lambda p: _flag(p), Facts(exposure_flag=True)),
    ("cleared flag is no fact", lambda p: _flag(p, cleared=True), Facts()),
    ("F1", lambda p: _level(p, 1), Facts(contact_level=1)),
    ("outside the window", lambda p: _level(p, None), Facts()),
]


@pytest.mark.parametrize(("label", "plant", "expected"), PLANTS, ids=[row[0] for row in PLANTS])
def test_selector_gathers_the_facts_M1(tree: Any, label: str, plant: Any, expected: Facts) -> None:
    person = make_person(tree.quan_trieu)
    vaccinate(person, TODAY)  # vaccinated: the other facts alone
    plant(person)
    assert facts_of(person, today=TODAY) == expected, label


@pytest.mark.parametrize(
    ("label", "birth_year", "dosed", "unvaccinated"),
    [
        ("adult without a dose", 1980, False, True),
        ("adult with one dose", 1980, True, False),
        ("18 this year, no dose", TODAY.year - 18, False, True),
        ("17 this year is not asked for a dose", TODAY.year - 17, False, False),
    ],
)
def test_selector_flags_an_eligible_adult_without_a_dose_M1_V1(
    tree: Any, label: str, birth_year: int, dosed: bool, unvaccinated: bool
) -> None:
    person = make_person(tree.quan_trieu, birth_year=birth_year)
    if dosed:
        vaccinate(person, TODAY)
    assert facts_of(person, today=TODAY).unvaccinated_adult is unvaccinated, label


def test_initials_keep_only_first_letters_M1() -> None:
    assert initials("Nguyễn Văn  Ánh") == "N.V.Á."


def _login(cast: Any, who: str) -> Client:
    client = Client()
    client.force_login(getattr(cast, who))
    return client


def _post(client: Client, premises: Premises, code: str, client_id: str | None = None) -> Any:
    return client.post(
        reverse("healthpass:gate", args=[premises.uid]),
        {"code": code, "client_id": client_id or str(uuid.uuid4())},
    )


@pytest.mark.parametrize(
    ("plant", "colour"),
    [
        (lambda p: None, Colour.GREEN),
        (lambda p: _episode(p, "self_isolation"), Colour.YELLOW),
        (lambda p: _level(p, 2), Colour.YELLOW),
        (lambda p: _episode(p, "centralised"), Colour.RED),
        (lambda p: _case(p), Colour.RED),
        (lambda p: _order(p, timezone.localdate()), Colour.YELLOW),
        (lambda p: Dose.objects.filter(person=p).delete(), Colour.YELLOW),
    ],
)
def test_gate_typed_code_shows_colour_and_records_checkin_M1(
    cast: Any, tree: Any, gate_premises: Premises, plant: Any, colour: Colour
) -> None:
    person = make_person(tree.quan_trieu, "Phạm Thị Thu Hà", birth_year=1990)
    vaccinate(person, TODAY)
    plant(person)
    client = _login(cast, "oanh")
    client_id = str(uuid.uuid4())
    response = _post(client, gate_premises, code_display(code_issue(person.uid)).lower(), client_id)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-colour="{colour.css}"' in html
    assert "P.T.T.H. · 1990" in html
    assert "Phạm Thị Thu Hà" not in html
    checkin = CheckIn.objects.get()
    assert (checkin.person_id, checkin.premises_id, checkin.source) == (person.pk, gate_premises.pk, Source.GATE)
    assert str(checkin.client_id) == client_id
    # The read is audited, naming the person and premises but no colour and no health fact.
    read = AuditLog.objects.get(action=AuditAction.READ, object_uid=str(person.uid))
    assert read.actor == cast.oanh
    assert read.summary == f"Quét mã QR cá nhân tại cổng: {gate_premises.name}"
    assert read.detail == {"premises": str(gate_premises.uid), "checkin": client_id}
    # The same submission sent twice is stored once.
    again = _post(client, gate_premises, code_issue(person.uid), client_id)
    assert "đã được ghi nhận trước đó" in again.content.decode()
    assert CheckIn.objects.count() == 1


def test_forged_or_expired_code_clear_error_nothing_stored_M1(cast: Any, tree: Any, gate_premises: Premises) -> None:
    person = make_person(tree.quan_trieu)
    client = _login(cast, "oanh")
    code = code_issue(person.uid)
    forged = code[:-1] + ("A" if code[-1] != "A" else "B")
    response = _post(client, gate_premises, forged)
    assert response.status_code == 400
    assert "Mã QR cá nhân không hợp lệ" in response.content.decode()
    expired = code_issue(person.uid, now=timezone.now() - timedelta(hours=25))
    response = _post(client, gate_premises, expired)
    assert response.status_code == 400
    assert "đã hết hạn" in response.content.decode()
    response = _post(client, gate_premises, "xin chào")
    assert response.status_code == 400
    assert "nhập đủ 48 ký tự" in response.content.decode()
    assert CheckIn.objects.count() == 0
    assert not AuditLog.objects.filter(action=AuditAction.READ, object_uid=str(person.uid)).exists()


def test_code_of_a_deleted_record_is_refused_M1(cast: Any, gate_premises: Premises) -> None:
    response = _post(_login(cast, "oanh"), gate_premises, code_issue(uuid.uuid4()))
    assert response.status_code == 400
    assert "không còn gắn với hồ sơ nào" in response.content.decode()
    assert CheckIn.objects.count() == 0


def test_gate_only_at_premises_of_own_organisation_M1(cast: Any, tree: Any, gate_premises: Premises) -> None:
    other_org = organisation_create(name="Sở Y tế", kind=OrganisationKind.DEPARTMENT, unit=tree.quan_trieu)
    other = premises_create(organisation=other_org, name="Cổng Sở", kind=Premises.Kind.GATE)
    person = make_person(tree.quan_trieu)
    oanh = _login(cast, "oanh")
    assert _post(oanh, other, code_issue(person.uid)).status_code == 404
    choices = oanh.get(reverse("healthpass:gate_select")).content.decode()
    assert "Cổng chính" in choices
    assert "Cổng Sở" not in choices
    # A commune officer keeps the gate of an organisation in the commune, not of one elsewhere.
    cuong = _login(cast, "cuong")
    assert _post(cuong, other, code_issue(person.uid)).status_code == 200
    assert _post(cuong, gate_premises, code_issue(person.uid)).status_code == 404
    assert CheckIn.objects.filter(premises=other).count() == 1
    assert not CheckIn.objects.filter(premises=gate_premises).exists()


def test_gate_page_needs_login_M1(gate_premises: Premises) -> None:
    response = Client().get(reverse("healthpass:gate", args=[gate_premises.uid]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
