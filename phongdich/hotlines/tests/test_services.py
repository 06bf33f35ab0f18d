"""Tips received, routed, assigned, worked on and closed (G4); each change audited and kept in the history;
the responsible unit's officers and the assignee notified after commit; shifts and who is on duty (R5)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from phongdich.core.errors import ValidationFailed
from phongdich.core.models import AuditLog
from phongdich.hotlines.models import DutyShift, TipChannel, TipKind, TipOutcome, TipStatus
from phongdich.hotlines.selectors import teams_with_duty
from phongdich.hotlines.services import (
    DESCRIPTION_REQUIRED,
    HAMLET_NOT_IN_COMMUNE,
    HAPPENED_IN_FUTURE,
    hotline_create,
    shift_create,
    team_create,
    tip_assign,
    tip_close,
    tip_receive,
    tip_start,
)
from phongdich.notifications.models import Notification
from phongdich.people.validators import PHONE_PREFIX

pytestmark = pytest.mark.django_db


def _tip(tree: Any, actor: Any = None, **kw: Any) -> Any:
    data: dict[str, Any] = {
        "kind": TipKind.SUSPECTED_CASE,
        "description": "Có người sốt, ho từ vùng dịch về",
        "commune": tree.quan_trieu,
        "channel": TipChannel.PUBLIC,
    }
    data.update(kw)
    return tip_receive(actor=actor, **data)


def test_public_tip_is_routed_and_the_commune_officers_are_notified_after_commit_G4(
    cast: Any, tree: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        tip = _tip(tree)
    assert tip.routed_unit == tree.quan_trieu
    assert tip.status == TipStatus.NEW
    assert len(tip.code) == 8
    assert list(Notification.objects.values_list("recipient__username", "link")) == [
        ("cuong", f"/hotlines/tips/{tip.uid}/")
    ]
    assert [(e.from_status, e.to_status) for e in tip.events.all()] == [("", "new")]
    assert AuditLog.objects.filter(object_uid=str(tip.uid), action="create").count() == 1


def test_illegal_entry_goes_to_the_district_officers_G4(
    cast: Any, tree: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        tip = _tip(tree, kind=TipKind.ILLEGAL_ENTRY)
    assert tip.routed_unit == tree.city
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["dan"]


def test_anonymous_tip_keeps_no_reporter_and_a_given_phone_is_normalised_G4(tree: Any) -> None:
    anonymous = _tip(tree)
    assert (anonymous.reporter_name, anonymous.reporter_phone) == ("", "")
    named = _tip(tree, reporter_name="Lê Thị Báo", reporter_phone="+84 912 345 678")
    assert named.reporter_phone == "0912345678"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"description": "   "}, "description", DESCRIPTION_REQUIRED),
        ({"reporter_phone": "0212345678"}, "reporter_phone", PHONE_PREFIX),
        ({"happened_at": timezone.now() + timedelta(days=1)}, "happened_at", HAPPENED_IN_FUTURE),
    ],
)
def test_bad_tip_is_refused_with_its_field_and_nothing_stored_G4(
    tree: Any, overrides: dict[str, Any], field: str, message: Any
) -> None:
    from phongdich.hotlines.models import Tip

    with pytest.raises(ValidationFailed) as caught:
        _tip(tree, **overrides)
    assert (caught.value.field, str(caught.value.message)) == (field, str(message))
    assert not Tip.objects.exists()


def test_hamlet_must_lie_in_the_commune_G4(tree: Any) -> None:
    with pytest.raises(ValidationFailed) as caught:
        _tip(tree, commune=tree.quang_vinh, hamlet=tree.xom1)
    assert str(caught.value.message) == str(HAMLET_NOT_IN_COMMUNE)
    assert _tip(tree, hamlet=tree.xom1).hamlet == tree.xom1


def test_operator_enters_only_in_their_scope_G4(cast: Any, tree: Any) -> None:
    tip = _tip(tree, actor=cast.dan, channel=TipChannel.HOTLINE)
    assert (tip.channel, tip.received_by) == (TipChannel.HOTLINE, cast.dan)
    with pytest.raises(PermissionDenied):
        _tip(tree, actor=cast.chi, channel=TipChannel.HOTLINE)


def test_assign_start_close_with_history_and_the_assignee_notified_G4(
    cast: Any, tree: Any, django_capture_on_commit_callbacks: Any
) -> None:
    tip = _tip(tree, kind=TipKind.ILLEGAL_ENTRY)  # routed to the city: a commune officer below may take it
    with django_capture_on_commit_callbacks(execute=True):
        tip_assign(actor=cast.dan, tip=tip, assignee=cast.cuong)
    assert tip.status == TipStatus.ASSIGNED
    assert Notification.objects.filter(recipient=cast.cuong, title__contains=tip.code).exists()
    tip_start(actor=cast.cuong, tip=tip)
    tip_close(actor=cast.cuong, tip=tip, outcome=TipOutcome.CONFIRMED, note="Đã báo công an phường, lập biên bản")
    tip.refresh_from_db()
    assert (tip.status, tip.outcome) == (TipStatus.CLOSED, TipOutcome.CONFIRMED)
    assert tip.closed_at is not None
    assert [(e.from_status, e.to_status) for e in tip.events.order_by("id")] == [
        ("", "new"),
        ("new", "assigned"),
        ("assigned", "in_progress"),
        ("in_progress", "closed"),
    ]
    assert AuditLog.objects.filter(object_uid=str(tip.uid), action="update").count() == 3


def test_transitions_are_checked_G4(cast: Any, tree: Any) -> None:
    tip = _tip(tree)
    with pytest.raises(ValidationFailed):
        tip_start(actor=cast.cuong, tip=tip)  # not assigned yet
    with pytest.raises(ValidationFailed) as caught:
        tip_close(actor=cast.cuong, tip=tip, outcome=TipOutcome.UNFOUNDED, note="")
    assert caught.value.field == "note"
    with pytest.raises(ValidationFailed) as caught:
        tip_close(actor=cast.cuong, tip=tip, outcome="", note="x")
    assert caught.value.field == "outcome"
    tip_close(actor=cast.cuong, tip=tip, outcome=TipOutcome.UNFOUNDED, note="Xác minh: không có người từ vùng dịch")
    with pytest.raises(ValidationFailed):
        tip_assign(actor=cast.cuong, tip=tip, assignee=cast.hoa)
    with pytest.raises(ValidationFailed):
        tip_close(actor=cast.cuong, tip=tip, outcome=TipOutcome.CONFIRMED, note="lần hai")


def test_assignee_must_belong_to_the_unit_and_the_actor_to_its_scope_G4(cast: Any, tree: Any) -> None:
    tip = _tip(tree)
    with pytest.raises(ValidationFailed) as caught:
        tip_assign(actor=cast.cuong, tip=tip, assignee=cast.chi)  # Quang Vinh's officer
    assert caught.value.field == "assignee"
    with pytest.raises(PermissionDenied):
        tip_assign(actor=cast.chi, tip=tip, assignee=cast.cuong)
    tip_assign(actor=cast.cuong, tip=tip, assignee=cast.hoa)  # the hamlet head of Tổ dân phố 1
    assert tip.assignee == cast.hoa


def test_on_duty_now_R5(cast: Any, tree: Any) -> None:
    team = team_create(actor=cast.dan, unit=tree.city, name="Đội phản ứng nhanh TP Thái Nguyên")
    now = timezone.now()
    shift_create(
        actor=cast.dan, team=team, full_name="Bác sĩ Trực", start=now - timedelta(hours=2), end=now + timedelta(hours=6)
    )
    shift_create(
        actor=cast.dan, team=team, full_name="Ca sau", start=now + timedelta(hours=6), end=now + timedelta(hours=14)
    )
    shift_create(
        actor=cast.dan, team=team, full_name="Ca trước", start=now - timedelta(hours=10), end=now - timedelta(hours=2)
    )
    (seen,) = teams_with_duty(user=cast.cuong, moment=now)  # a commune officer sees their district's team
    assert [s.full_name for s in seen.on_duty] == ["Bác sĩ Trực"]
    (later,) = teams_with_duty(user=cast.cuong, moment=now + timedelta(hours=7))
    assert [s.full_name for s in later.on_duty] == ["Ca sau"]
    assert teams_with_duty(user=cast.oanh, moment=now) == []
    assert DutyShift.objects.at(now - timedelta(hours=2)).get().full_name == "Bác sĩ Trực"


def test_shift_and_hotline_rules_R5(cast: Any, tree: Any) -> None:
    now = timezone.now()
    hotline = hotline_create(actor=cast.alice, unit=tree.province, name="Sở Y tế", number="1900 9095")
    with pytest.raises(ValidationFailed) as caught:
        shift_create(actor=cast.alice, hotline=hotline, full_name="X", start=now, end=now)
    assert caught.value.field == "end"
    with pytest.raises(ValidationFailed) as caught:
        hotline_create(actor=cast.alice, unit=tree.province, name="Sai", number="gọi 115")
    assert caught.value.field == "number"
    with pytest.raises(PermissionDenied):
        team_create(actor=cast.chi, unit=tree.pho_yen, name="Không được")


def test_reporter_who_left_a_phone_is_told_of_the_closure_by_sms_G4(
    cast: Any, tree: Any, settings: Any, tmp_path: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.VAR_DIR = tmp_path
    settings.SMS_GATEWAY = "phongdich.notifications.sms.FileSmsGateway"
    tip = _tip(tree, reporter_phone="0912345678")
    anonymous = _tip(tree)
    with django_capture_on_commit_callbacks(execute=True):
        tip_close(actor=cast.cuong, tip=tip, outcome=TipOutcome.CONFIRMED, note="Đã xử lý")
        tip_close(actor=cast.cuong, tip=anonymous, outcome=TipOutcome.CONFIRMED, note="Đã xử lý")
    (line,) = [line for f in (tmp_path / "sms").glob("*.txt") for line in f.read_text(encoding="utf-8").splitlines()]
    phone, text = line.split("\t")[2:]
    assert phone == "0912345678"
    assert tip.code in text
    assert str(TipOutcome.CONFIRMED.label) in text
    assert anonymous.code not in line


def test_a_unit_without_officers_passes_the_notice_to_the_unit_above_G4(
    cast: Any, tree: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _tip(tree, commune=tree.dac_son)  # Đắc Sơn (Phổ Yên) has no officer, nor has Phổ Yên: the province
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["alice"]
