"""The notification service (issue 6, R1): sent only after commit, every backend, every message logged,
failures never reach the caller, bad phones refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.db import transaction

from phongdich.notifications.models import DeliveryStatus, Notification, NotificationChannel, NotificationLog
from phongdich.notifications.services import notify, sms_notify, sms_text
from phongdich.notifications.sms import ConsoleSmsGateway, FileSmsGateway, SmsError, get_gateway
from phongdich.people.validators import PHONE_PREFIX

pytestmark = pytest.mark.django_db


@pytest.fixture
def sms_dir(settings: Any, tmp_path: Path) -> Path:
    settings.VAR_DIR = tmp_path
    settings.SMS_GATEWAY = "phongdich.notifications.sms.FileSmsGateway"
    return tmp_path / "sms"


def _sms_lines(directory: Path) -> list[str]:
    return [line for f in sorted(directory.glob("*.txt")) for line in f.read_text(encoding="utf-8").splitlines()]


def test_nothing_sent_before_commit_then_sent_after_R1(cast: Any, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(recipients=[cast.cuong], title="Tin báo mới", body="Có tin báo", url="/hotlines/")
    assert len(callbacks) == 1
    assert not Notification.objects.exists()
    assert not NotificationLog.objects.exists()
    callbacks[0]()
    note = Notification.objects.get()
    assert (note.recipient, note.title, note.link, note.read_at) == (cast.cuong, "Tin báo mới", "/hotlines/", None)
    log = NotificationLog.objects.get()
    assert (log.channel, log.status, log.recipient, log.message_id) == ("in_app", "sent", cast.cuong, str(note.uid))


@pytest.mark.django_db(transaction=True)
def test_rolled_back_transaction_sends_nothing_R1(cast: Any, sms_dir: Path) -> None:
    cast.cuong.email, cast.cuong.phone = "cuong@example.vn", "0912345678"
    cast.cuong.save()

    def failing_write() -> None:
        with transaction.atomic():
            notify(recipients=[cast.cuong], title="Không gửi", body="x", channels=("in_app", "email", "sms"))
            raise RuntimeError("the write failed")

    with pytest.raises(RuntimeError):
        failing_write()
    assert not Notification.objects.exists()
    assert not NotificationLog.objects.exists()
    assert mail.outbox == []
    assert not sms_dir.exists()
    # The same call committed sends on all three channels.
    with transaction.atomic():
        notify(recipients=[cast.cuong], title="Có gửi", body="x", channels=("in_app", "email", "sms"))
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1
    assert len(_sms_lines(sms_dir)) == 1
    assert NotificationLog.objects.filter(status=DeliveryStatus.SENT).count() == 3


def test_email_backend_uses_django_mail_R1(cast: Any, django_capture_on_commit_callbacks: Any) -> None:
    cast.dan.email = "dan@example.vn"
    cast.dan.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[cast.dan, cast.chi], title="Báo cáo 16h", body="Chưa nộp", url="/x/", channels=["email"])
    assert [m.to for m in mail.outbox] == [["dan@example.vn"]]
    assert mail.outbox[0].subject == "Báo cáo 16h"
    assert "/x/" in mail.outbox[0].body
    logs = {log.recipient: log for log in NotificationLog.objects.filter(channel=NotificationChannel.EMAIL)}
    assert logs[cast.dan].status == DeliveryStatus.SENT
    assert logs[cast.dan].address == "dan@example.vn"
    assert logs[cast.chi].status == DeliveryStatus.FAILED
    assert "thư điện tử" in logs[cast.chi].error


def test_sms_file_backend_writes_one_line_per_message_R1(
    cast: Any, sms_dir: Path, django_capture_on_commit_callbacks: Any
) -> None:
    cast.cuong.phone = "+84 912.345.678"
    cast.cuong.save()
    cast.chi.phone = "0987654321"
    cast.chi.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[cast.cuong, cast.chi], title="Tin báo", body="Có tin\nmới", channels=["sms"])
    lines = _sms_lines(sms_dir)
    assert len(lines) == 2
    phones = sorted(line.split("\t")[2] for line in lines)
    assert phones == ["0912345678", "0987654321"]
    assert all(line.split("\t")[3] == "Tin báo — Có tin mới" for line in lines)
    ids = {line.split("\t")[1] for line in lines}
    assert ids == set(NotificationLog.objects.values_list("message_id", flat=True))


def test_bad_phone_is_logged_failed_and_nothing_sent_R1(
    cast: Any, sms_dir: Path, django_capture_on_commit_callbacks: Any
) -> None:
    cast.cuong.phone = "0212345678"  # a landline prefix, not a mobile
    cast.cuong.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[cast.cuong, cast.chi], title="Tin", body="x", channels=["sms"])
        sms_notify(phone="12345", text="Tin báo của anh/chị đã được xử lý")
    assert _sms_lines(sms_dir) == []
    errors = sorted(NotificationLog.objects.values_list("status", "error"))
    assert [s for s, _e in errors] == ["failed", "failed", "failed"]
    assert str(PHONE_PREFIX) in [e for _s, e in errors]
    assert any("số điện thoại" in e for _s, e in errors)


def test_failing_gateway_is_logged_and_does_not_break_the_caller_R1(
    cast: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.SMS_GATEWAY = "phongdich.notifications.tests.test_notify.RefusingGateway"
    cast.cuong.phone = "0912345678"
    cast.cuong.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[cast.cuong], title="Tin", body="x", channels=["sms", "in_app"])
    logs = dict(NotificationLog.objects.values_list("channel", "status"))
    assert logs == {"sms": "failed", "in_app": "sent"}
    assert NotificationLog.objects.get(channel="sms").error == "hết hạn mức"


class RefusingGateway:
    def send(self, phone: str, text: str) -> str:
        raise SmsError("hết hạn mức")


def test_sms_to_a_bare_phone_R1(sms_dir: Path, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        sms_notify(phone="0912 345 678", text="Mã tin báo TB-ABC đã xử lý xong", kind="tip")
    (line,) = _sms_lines(sms_dir)
    assert line.split("\t")[2:] == ["0912345678", "Mã tin báo TB-ABC đã xử lý xong"]
    log = NotificationLog.objects.get()
    assert (log.recipient, log.address, log.status, log.kind) == (None, "0912345678", "sent", "tip")


def test_console_gateway_and_setting_R1(settings: Any, capsys: Any) -> None:
    settings.SMS_GATEWAY = "phongdich.notifications.sms.ConsoleSmsGateway"
    gateway = get_gateway()
    assert isinstance(gateway, ConsoleSmsGateway)
    message_id = gateway.send("0912345678", "xin chào")
    assert capsys.readouterr().out.rstrip("\n").split("\t")[1:] == [message_id, "0912345678", "xin chào"]
    del settings.SMS_GATEWAY
    assert isinstance(get_gateway(), FileSmsGateway)


def test_unknown_channel_is_a_programming_error_R1(cast: Any) -> None:
    with pytest.raises(ValueError, match="fax"):
        notify(recipients=[cast.cuong], title="x", body="y", channels=["fax"])


def test_sms_text_is_cut_to_three_parts_R1() -> None:
    text = sms_text("Tiêu đề", "a" * 1000, "/x/")
    assert len(text) == 480
    assert text.endswith("…")
