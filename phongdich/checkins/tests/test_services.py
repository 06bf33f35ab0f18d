"""Services of the check-in app: codes (M1), the idempotent check-in (C4), person resolution, purge (D5)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from phongdich.checkins.models import CheckIn, PremisesCode, Source, Visitor
from phongdich.checkins.selectors import checkins_at, checkins_of, code_by_token
from phongdich.checkins.services import (
    BatchRow,
    checkin_record,
    checkins_purge,
    checkins_record_batch,
    person_resolve,
    premises_code_issue,
    premises_code_reissue,
    premises_code_revoke,
    visitor_by_token,
    visitor_identify,
)
from phongdich.core.errors import ValidationFailed
from phongdich.core.models import AuditLog
from phongdich.people.models import Person
from phongdich.people.validators import cccd_make

from .conftest import make_person

pytestmark = pytest.mark.django_db


# --- Codes (M1) -------------------------------------------------------------------------------


def test_token_is_long_random_and_urlsafe_M1(workshop: Any) -> None:
    code = premises_code_issue(actor=None, premises=workshop)
    assert len(code.token) >= 32  # 24 random bytes = 192 bits
    assert code.token.replace("-", "").replace("_", "").isalnum()
    assert str(workshop.pk) != code.token
    assert not code.token.isdigit()
    other = premises_code_reissue(actor=None, premises=workshop)
    assert other.token != code.token


def test_at_most_one_active_code_per_premises_M1(workshop_code: PremisesCode) -> None:
    with pytest.raises(ValidationFailed):
        premises_code_issue(actor=None, premises=workshop_code.premises)
    with pytest.raises(IntegrityError), transaction.atomic():
        PremisesCode.objects.create(premises=workshop_code.premises, token="x" * 32, issued_at=timezone.now())


def test_revoke_and_reissue_are_audited_M1(cast: Any, workshop_code: PremisesCode) -> None:
    revoked = premises_code_revoke(actor=cast.oanh, code=workshop_code, reason="Poster bị rách")
    assert revoked.revoked_at is not None
    assert revoked.revoked_by == cast.oanh
    with pytest.raises(ValidationFailed):
        premises_code_revoke(actor=cast.oanh, code=workshop_code)
    new = premises_code_reissue(actor=cast.oanh, premises=workshop_code.premises, reason="")
    assert new.is_active
    assert PremisesCode.objects.active().filter(premises=workshop_code.premises).count() == 1
    uids = {str(workshop_code.uid), str(new.uid)}
    assert AuditLog.objects.filter(object_uid__in=uids, actor=cast.oanh).count() == 2


def test_only_head_and_officials_over_the_unit_manage_codes_M1(cast: Any, workshop: Any, city_office: Any) -> None:
    # The enterprise is in Phổ Yên: dan (city district officer) and cuong (Quán Triều) are not over it.
    for outsider in (cast.dan, cast.cuong, cast.chi, cast.hoa):
        with pytest.raises(PermissionDenied):
            premises_code_issue(actor=outsider, premises=workshop)
    assert premises_code_issue(actor=cast.oanh, premises=workshop).is_active
    # The city office is in Quán Triều: dan and cuong may, chi (Quang Vinh) and oanh may not.
    for outsider in (cast.chi, cast.oanh, cast.hoa):
        with pytest.raises(PermissionDenied):
            premises_code_issue(actor=outsider, premises=city_office)
    code = premises_code_issue(actor=cast.cuong, premises=city_office)
    premises_code_revoke(actor=cast.dan, code=code)
    assert premises_code_issue(actor=cast.alice, premises=city_office).is_active


def test_code_by_token_finds_revoked_codes_too_M1(workshop_code: PremisesCode) -> None:
    premises_code_revoke(actor=None, code=workshop_code)
    found = code_by_token(workshop_code.token)
    assert found is not None
    assert not found.is_active
    assert code_by_token("khong-co-ma-nay") is None
    assert code_by_token("a" * 500) is None


# --- Check-ins (C4) ---------------------------------------------------------------------------


def test_checkin_sent_twice_is_stored_once_C4(workshop: Any, person: Person) -> None:
    client_id = uuid.uuid4()
    at = timezone.now() - timedelta(minutes=3)
    first, created = checkin_record(premises=workshop, person=person, at=at, client_id=client_id, source=Source.POSTER)
    again, created_again = checkin_record(
        premises=workshop, person=person, at=at, client_id=str(client_id), source=Source.POSTER
    )
    assert created
    assert not created_again
    assert first.pk == again.pk
    assert CheckIn.objects.count() == 1


def test_checkin_time_bounds_C4(workshop: Any, person: Person) -> None:
    now = timezone.now()
    ok = [now - timedelta(hours=71), now + timedelta(minutes=4)]
    bad = [now - timedelta(hours=73), now + timedelta(minutes=10)]
    for at in ok:
        assert checkin_record(premises=workshop, person=person, at=at, client_id=uuid.uuid4(), source="poster")[1]
    for at in bad:
        with pytest.raises(ValidationFailed) as err:
            checkin_record(premises=workshop, person=person, at=at, client_id=uuid.uuid4(), source="poster")
        assert err.value.field == "at"
    assert CheckIn.objects.count() == 2


def test_inactive_premises_refuses_checkins_C4(workshop: Any, person: Person) -> None:
    workshop.is_active = False
    workshop.save()
    with pytest.raises(ValidationFailed):
        checkin_record(premises=workshop, person=person, at=timezone.now(), client_id=uuid.uuid4(), source="poster")


def test_official_checkin_at_gate_is_audited_C4(cast: Any, workshop: Any, person: Person) -> None:
    client_id = uuid.uuid4()
    checkin_record(
        premises=workshop, person=person, at=timezone.now(), client_id=client_id, source=Source.GATE, actor=cast.oanh
    )
    assert AuditLog.objects.filter(object_uid=str(client_id), actor=cast.oanh).count() == 1


def test_selectors_window_is_closed_and_per_premises_C4(workshop: Any, city_office: Any, tree: Any) -> None:
    a, b = make_person(tree.quan_trieu), make_person(tree.quan_trieu)
    t0 = timezone.now() - timedelta(hours=2)
    for premises, who, minutes in [(workshop, a, 0), (workshop, b, 30), (workshop, a, 61), (city_office, b, 10)]:
        checkin_record(
            premises=premises, person=who, at=t0 + timedelta(minutes=minutes), client_id=uuid.uuid4(), source="poster"
        )
    window = list(checkins_at(workshop.pk, t0, t0 + timedelta(minutes=30)))
    assert [(c.person_id, c.at) for c in window] == [(a.pk, t0), (b.pk, t0 + timedelta(minutes=30))]
    assert [c.premises_id for c in checkins_of(b.pk, t0, t0 + timedelta(hours=1))] == [city_office.pk, workshop.pk]


def test_batch_skips_stored_and_repeated_client_ids_C4(cast: Any, workshop: Any, person: Person) -> None:
    at = timezone.now() - timedelta(minutes=5)
    stored = uuid.uuid4()
    checkin_record(premises=workshop, person=person, at=at, client_id=stored, source="poster")
    fresh = uuid.uuid4()
    rows = [BatchRow(workshop.pk, person.pk, at, cid) for cid in (stored, fresh, fresh)]
    result = checkins_record_batch(rows=rows, actor=cast.oanh)
    assert (result.created, result.duplicates) == (1, 2)
    assert CheckIn.objects.count() == 2
    assert CheckIn.objects.get(client_id=fresh).source == Source.BATCH


# --- The phone's person -----------------------------------------------------------------------


def test_person_resolve_by_cccd_then_phone_name_year_C4(workshop: Any, tree: Any) -> None:
    cccd = cccd_make(province_code="19", sex="M", birth_year=1990, serial="000123")
    p1 = person_resolve(full_name="Nguyễn Văn An", phone="0912 345 678", cccd=cccd, premises=workshop)
    assert (p1.birth_year, p1.sex, p1.cccd, p1.phone) == (1990, "M", cccd, "0912345678")
    assert person_resolve(full_name="Nguyen Van An", phone="0912345678", cccd=cccd, premises=workshop) == p1
    p2 = person_resolve(full_name="Lê Thị Bình", phone="0987654321", birth_year=1985, sex="F", premises=workshop)
    same = person_resolve(full_name="lê thị  bình", phone="+84987654321", birth_year=1985, sex="F", premises=workshop)
    assert same == p2
    assert p2.residence_unit == workshop.unit
    assert Person.objects.count() == 2


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"full_name": "", "phone": "0912345678", "birth_year": 1990, "sex": "M"}, "full_name"),
        ({"full_name": "An", "phone": "", "birth_year": 1990, "sex": "M"}, "phone"),
        ({"full_name": "An", "phone": "0112345678", "birth_year": 1990, "sex": "M"}, "phone"),
        ({"full_name": "An", "phone": "0912345678", "sex": "M"}, "birth_year"),
        ({"full_name": "An", "phone": "0912345678", "birth_year": 1990}, "sex"),
        ({"full_name": "An", "phone": "0912345678", "cccd": "123"}, "cccd"),
    ],
)
def test_person_resolve_refuses_bad_input_C4(workshop: Any, fields: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationFailed) as err:
        person_resolve(premises=workshop, **fields)
    assert err.value.field == field
    assert Person.objects.count() == 0


def test_visitor_token_is_kept_hashed_C4(workshop: Any) -> None:
    identified = visitor_identify(
        premises=workshop, full_name="Phạm Văn Cường", phone="0368123456", birth_year=2000, sex="M"
    )
    assert identified.device_token not in Visitor.objects.values_list("token_hash", flat=True)
    found = visitor_by_token(identified.device_token)
    assert found is not None
    assert found.person.full_name == "Phạm Văn Cường"
    assert visitor_by_token("gia-mao") is None
    assert visitor_by_token("") is None


# --- Retention (D5) ---------------------------------------------------------------------------


def test_purge_deletes_only_older_than_retention_and_audits_count_D5(
    workshop: Any, person: Person, settings: Any
) -> None:
    settings.CHECKIN_RETENTION_DAYS = 30
    now = timezone.now()
    # (at, received_at) as phones send them: at most CHECKIN_MAX_AGE_HOURS late; the last one is
    # an offline phone's check-in 30.1 days old, received a day and a half later.
    rows = [(now - timedelta(days=d), now - timedelta(days=d) + timedelta(hours=1)) for d in (40, 31, 30.5, 29, 1, 0)]
    late = now - timedelta(days=30.1)
    rows.append((late, late + timedelta(hours=36)))
    for at, received in sorted(rows, key=lambda r: r[1]):  # ids grow with receipt, as in production
        CheckIn.objects.create(premises=workshop, person=person, at=at, received_at=received, client_id=uuid.uuid4())
    deleted = checkins_purge(batch_size=2, now=now)
    assert deleted == 4
    assert sorted(round((now - c.at).total_seconds() / 86400) for c in CheckIn.objects.all()) == [0, 1, 29]
    line = AuditLog.objects.filter(object_type="checkins.checkin", action="delete").get()
    assert line.detail["deleted"] == 4
    assert line.detail["days"] == 30


def test_purge_command_and_beat_entry_D5(workshop: Any, person: Person, settings: Any) -> None:
    old = timezone.now() - timedelta(days=10)
    CheckIn.objects.create(premises=workshop, person=person, at=old, received_at=old, client_id=uuid.uuid4())
    call_command("purge_checkins", "--days", "7")
    assert CheckIn.objects.count() == 0
    assert settings.CELERY_BEAT_SCHEDULE["checkins-purge"]["task"] == "phongdich.checkins.tasks.purge_checkins"
    from phongdich.checkins.tasks import purge_checkins

    assert purge_checkins.name == "phongdich.checkins.tasks.purge_checkins"


def test_merging_people_moves_their_checkins_and_phones_C4(workshop: Any, tree: Any) -> None:
    from phongdich.people.services import person_merge

    identified = visitor_identify(
        premises=workshop, full_name="Lý Văn Gộp", phone="0912111222", birth_year=1980, sex="M"
    )
    drop = identified.visitor.person
    keep = make_person(tree.quan_trieu, "Lý Văn Gộp")
    checkin_record(premises=workshop, person=drop, at=timezone.now(), client_id=uuid.uuid4(), source="poster")
    person_merge(keep=keep, drop=drop, actor=None)
    assert CheckIn.objects.get().person_id == keep.pk
    found = visitor_by_token(identified.device_token)
    assert found is not None
    assert found.person_id == keep.pk
