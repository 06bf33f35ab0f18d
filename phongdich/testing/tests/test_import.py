"""Lab results from a spreadsheet (T3): each bad row named in Vietnamese, nothing written unless every row is good."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from phongdich.core.models import AuditLog
from phongdich.testing import models as m
from phongdich.testing import services as s
from phongdich.testing.imports import results_import


def upload(lines: list[str], name: str = "ket-qua.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode("utf-8"))


def test_every_bad_row_is_reported_and_nothing_is_written_T3(lab: m.Lab, sampled: Callable[..., m.Sample]) -> None:
    good, other, rapid, done = sampled(), sampled(), sampled(kind=m.TestKind.RAPID), sampled()
    s.result_enter(actor=None, code=done.code, outcome="negative")
    tomorrow = (timezone.localdate() + timedelta(days=1)).strftime("%d/%m/%Y")
    result = results_import(
        actor=None,
        lab=lab,
        upload=upload(
            [
                "Mã mẫu,Kết quả,Ct,Ngày có kết quả",
                f"{good.code},âm tính,,",  # row 2: fine
                "KHONG-CO,âm tính,,",  # 3: unknown code
                f"{other.code},nghi ngờ,,",  # 4: outcome not allowed
                f"{rapid.code},dương tính,50,",  # 5: Ct out of range
                f"{other.code.lower()},âm tính,,{tomorrow}",  # 6: a day in the future
                f"{good.code},dương tính,20,",  # 7: twice in the file
                f"{done.code},âm tính,,",  # 8: already resulted
            ]
        ),
    )
    assert not result.ok
    by_row = {row: " ".join(e.message for e in errs) for row, errs in result.errors_by_row().items()}
    assert set(by_row) == {3, 4, 5, 6, 7, 8}
    assert "Không có mẫu" in by_row[3]
    assert "không hợp lệ" in by_row[4]
    assert "45" in by_row[5]
    assert "tương lai" in by_row[6]
    assert "hai lần" in by_row[7]
    assert "đã có kết quả" in by_row[8]
    assert result.written == 0
    assert m.Result.objects.count() == 1  # only the one entered before
    good.order.refresh_from_db()
    assert good.order.status == m.OrderStatus.SAMPLED


def test_a_clean_file_enters_every_result_with_its_consequences_T3(
    lab: m.Lab, sampled: Callable[..., m.Sample]
) -> None:
    members = [sampled() for _ in range(2)]
    pool = s.pool_create(actor=None, lab=lab, samples=members)
    single = sampled(kind=m.TestKind.RAPID)
    yesterday = (timezone.localdate() - timedelta(days=1)).strftime("%d/%m/%Y")
    result = results_import(
        actor=None,
        lab=lab,
        upload=upload(["Mã mẫu,Kết quả,Ct", f"{pool.code},Duong tinh,31.5", f"{single.code},âm tính,"]),
    )
    assert result.ok
    assert result.written == 2
    assert m.TestOrder.objects.filter(reason=m.OrderReason.POOL_RETEST).count() == 2
    single.order.refresh_from_db()
    assert single.order.outcome == "negative"
    assert AuditLog.objects.filter(action="import", object_uid=str(lab.uid)).exists()
    late = sampled()
    late.taken_at = timezone.now() - timedelta(days=3)
    late.save()
    again = results_import(
        actor=None, lab=lab, upload=upload(["Mã mẫu,Kết quả,Ngày có kết quả", f"{late.code},âm tính,{yesterday}"])
    )
    assert again.ok
    assert timezone.localdate(late.order.sample.result.resulted_at) == timezone.localdate() - timedelta(days=1)  # type: ignore[union-attr]


def test_a_sample_of_another_lab_is_refused_T3(tree: object, sampled: Callable[..., m.Sample]) -> None:
    other = s.lab_create(actor=None, name="Bệnh viện C", unit=tree.quang_vinh, capacity_pcr=10)  # type: ignore[attr-defined]
    sample = sampled()
    result = results_import(actor=None, lab=other, upload=upload(["Mã mẫu,Kết quả", f"{sample.code},âm tính"]))
    assert [e.row for e in result.errors] == [2]
    assert "chưa được phòng xét nghiệm này nhận" in result.errors[0].message
