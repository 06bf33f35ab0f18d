"""Cross-check an uploaded list of people (congress delegates, exam staff, a company's workers) against
epidemic-area exposure (E2, M4).

The file (CSV or XLSX, read by ``core.tabular``) has the columns Họ và tên, CCCD, Số điện thoại, Ngày sinh
(optional) and Đơn vị (optional). Each good row is matched to a person the user may see — by CCCD, else by
phone (narrowed by name when several share it), else by name and date of birth — and reported with the
person's active exposure flags of the look-back window (``zones.services.look_back_days_on``) and their
arrivals from an epidemic area in that window. Malformed rows are reported with their messages. Nothing is
stored but the import's audit line; the result is an Excel file kept for an hour for the same user.
"""

from __future__ import annotations

import io
import re
import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from phongdich.core import tabular as tb
from phongdich.core.audit import audit
from phongdich.core.exports import safe_cell, stamped_filename
from phongdich.core.models import AuditAction
from phongdich.core.text import fold
from phongdich.people.models import Person
from phongdich.people.validators import normalise_phone, validate_cccd
from phongdich.zones.models import EpidemicArea, ExposureFlag
from phongdich.zones.rules import place_within
from phongdich.zones.services import look_back_days_on

from .models import Direction, Movement

SPEC_NAME = "movements.crosscheck"
RESULT_TTL_SECONDS = 3600
_CACHE_PREFIX = "movements:crosscheck:"


def person_columns() -> list[tb.Column]:
    return [
        tb.Column(_("Họ và tên"), "full_name", aliases=("họ tên", "ho ten", "full name", "name")),
        tb.Column(_("CCCD"), "cccd", required=False, aliases=("số cccd", "căn cước", "cmnd", "id")),
        tb.Column(_("Số điện thoại"), "phone", required=False, aliases=("điện thoại", "sđt", "phone")),
        tb.Column(_("Ngày sinh"), "birth_date", required=False, parse=tb.parse_date, aliases=("birth date",)),
        tb.Column(_("Đơn vị"), "org", required=False, default="", aliases=("cơ quan", "đơn vị công tác", "unit")),
    ]


def columns() -> tuple[tb.Column, ...]:
    return tb.bilingual(person_columns)


@dataclass
class CheckRow:
    row: int
    full_name: str
    cccd: str
    phone: str
    birth_date: date | None
    org: str
    person: Person | None = None
    flags: list[ExposureFlag] = field(default_factory=list)
    arrivals: list[Movement] = field(default_factory=list)

    @property
    def exposed(self) -> bool:
        return bool(self.flags or self.arrivals)

    @property
    def conclusion(self) -> str:
        if self.person is None:
            return _("Không tìm thấy trong cơ sở dữ liệu địa bàn")
        if self.exposed:
            return _("Có yếu tố dịch tễ")
        return _("Không ghi nhận yếu tố dịch tễ")

    @property
    def reasons(self) -> list[str]:
        out = [f.reason for f in self.flags]
        out += [
            _("Khai báo đến %(unit)s ngày %(day)s từ %(place)s")
            % {"unit": m.unit.name, "day": f"{m.move_date:%d/%m/%Y}", "place": m.place_name}
            for m in self.arrivals
        ]
        return out


@dataclass
class CrossCheck:
    filename: str
    on: date
    window_days: int
    rows: list[CheckRow]
    result: tb.ImportResult

    @property
    def matched(self) -> int:
        return sum(1 for r in self.rows if r.person is not None)

    @property
    def exposed(self) -> int:
        return sum(1 for r in self.rows if r.exposed)


def validate_person_row(values: dict[str, Any]) -> dict[str, Any] | list[tb.RowIssue]:
    name = " ".join(str(values.get("full_name") or "").split())
    cccd = re.sub(r"[\s.]", "", str(values.get("cccd") or ""))
    phone = str(values.get("phone") or "").strip()
    issues: list[tb.RowIssue] = []
    if cccd:
        if re.fullmatch(r"\d+\.0+", cccd):
            cccd = cccd.split(".")[0]
        if cccd.isdigit() and len(cccd) == 11:
            cccd = "0" + cccd  # Excel drops the leading zero
        try:
            cccd = validate_cccd(cccd)
        except Exception as exc:  # ValidationFailed, or a parse error of the structure
            issues.append(tb.RowIssue("cccd", str(getattr(exc, "message", exc))))
    if phone:
        if phone.isdigit() and len(phone) == 9:
            phone = "0" + phone
        try:
            phone = normalise_phone(phone)
        except Exception as exc:
            issues.append(tb.RowIssue("phone", str(getattr(exc, "message", exc))))
    if not cccd and not phone and not values.get("birth_date"):
        issues.append(tb.RowIssue(None, _("Cần ít nhất số CCCD, số điện thoại hoặc ngày sinh để đối chiếu.")))
    if issues:
        return issues
    return {**values, "full_name": name, "cccd": cccd, "phone": phone, "org": str(values.get("org") or "").strip()}


def match_person(visible: Any, row: CheckRow) -> Person | None:
    if row.cccd:
        person = visible.filter(cccd=row.cccd).first()
        if person is not None:
            return person
    if row.phone:
        same_phone = list(visible.filter(phone=row.phone)[:20])
        if len(same_phone) == 1:
            return same_phone[0]
        named = [p for p in same_phone if p.name_folded == fold(row.full_name)]
        if len(named) == 1:
            return named[0]
    if row.birth_date is not None:
        candidates = list(visible.filter(name_folded=fold(row.full_name)[:120], birth_date=row.birth_date)[:2])
        if len(candidates) == 1:
            return candidates[0]
    return None


def cross_check(*, user: Any, upload: Any, filename: str | None = None, on: date | None = None) -> CrossCheck:
    """Read ``upload``, match its rows and judge them. Raises ``TabularFileError`` for an unreadable file."""
    collected: list[dict[str, Any]] = []

    def keep(rows: list[dict[str, Any]]) -> int:
        collected.extend(rows)
        return 0  # nothing is written: the rows are only compared

    spec = tb.TabularSpec(
        name=SPEC_NAME,
        columns=columns(),
        write=keep,
        validate_row=validate_person_row,
        ignore_unknown_columns=True,
        title=_("danh sách đối chiếu dịch tễ"),
    )
    name = filename or str(getattr(upload, "name", "") or "")
    data = upload if isinstance(upload, bytes) else upload.read(int(settings.IMPORT_MAX_BYTES) + 1)
    result = tb.run_import(spec, data, actor=user, filename=name, partial=True)
    on = on or timezone.localdate()
    window = look_back_days_on(on)
    since = on - timedelta(days=window)
    # The good rows come to ``keep`` in file order: their numbers are the rows the import did not reject.
    bad = set(result.errors_by_row())
    numbers = [n for n, _cells in tb.read_table(data, filename=name).rows if n not in bad]
    visible = Person.objects.for_user(user).active()
    areas = [(a, a.place_key) for a in EpidemicArea.objects.select_related("unit")]
    rows: list[CheckRow] = []
    for number, values in zip(numbers, collected, strict=False):
        row = CheckRow(
            row=number,
            full_name=values["full_name"],
            cccd=values["cccd"],
            phone=values["phone"],
            birth_date=values.get("birth_date"),
            org=values["org"],
        )
        row.person = match_person(visible, row)
        if row.person is not None:
            row.flags = list(
                ExposureFlag.objects.filter(person=row.person, cleared_at__isnull=True, visit_to__gte=since)
                .select_related("area")
                .order_by("-visit_to")
            )
            arrivals = Movement.objects.filter(
                person=row.person, direction=Direction.ARRIVAL, move_date__gte=since, move_date__lte=on
            ).select_related("unit", "place_unit")
            row.arrivals = [
                m
                for m in arrivals
                if m.place_key
                and any(
                    place_within(m.place_key, key)
                    and m.move_date >= a.start_date
                    and (m.place_from or m.move_date) <= (a.end_date or on)
                    for a, key in areas
                )
            ]
        rows.append(row)
    return CrossCheck(filename=result.filename, on=on, window_days=window, rows=rows, result=result)


def result_file(check: CrossCheck) -> bytes:
    """The result as an Excel sheet: one line per good row, then the rejected rows with their messages."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Kết quả đối chiếu")[:31]
    sheet.append([_("KẾT QUẢ ĐỐI CHIẾU YẾU TỐ DỊCH TỄ (%(days)s NGÀY GẦN NHẤT)") % {"days": check.window_days}])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(
        [_("Tệp: %(file)s — ngày đối chiếu %(day)s") % {"file": check.filename, "day": f"{check.on:%d/%m/%Y}"}]
    )
    sheet.append([])
    headers = [
        _("STT"),
        _("Dòng trong tệp"),
        _("Họ và tên"),
        _("CCCD"),
        _("Số điện thoại"),
        _("Đơn vị"),
        _("Tìm thấy"),
        _("Nơi cư trú"),
        _("Kết luận"),
        _("Chi tiết"),
    ]
    sheet.append(headers)
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for n, row in enumerate(check.rows, start=1):
        sheet.append(
            [
                n,
                row.row,
                safe_cell(row.full_name),
                row.cccd,
                row.phone,
                safe_cell(row.org),
                _("Có") if row.person else _("Không"),
                row.person.residence_unit.name if row.person else "",
                row.conclusion,
                safe_cell("; ".join(row.reasons)),
            ]
        )
    if check.result.errors:
        sheet.append([])
        sheet.append([_("Các dòng lỗi (không đối chiếu được)")])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
        for err in check.result.errors:
            sheet.append(["", err.row, "", "", "", "", "", "", err.column, err.message])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def remember_result(check: CrossCheck, *, user: Any) -> str:
    token = secrets.token_urlsafe(18)
    cache.set(
        _CACHE_PREFIX + token,
        {
            "user": getattr(user, "pk", None),
            "data": result_file(check),
            "rows": len(check.rows),
            "file": check.filename,
        },
        RESULT_TTL_SECONDS,
    )
    return token


def result_download(token: str, *, user: Any) -> tuple[bytes, str]:
    """The remembered result for the same user (else 404); the download is audited."""
    entry = cache.get(_CACHE_PREFIX + token) if re.fullmatch(r"[A-Za-z0-9_-]{10,64}", token) else None
    if not entry or entry["user"] != getattr(user, "pk", None):
        raise Http404
    audit(
        actor=user,
        action=AuditAction.EXPORT,
        object_type=SPEC_NAME,
        summary=_("Tải kết quả đối chiếu “%(file)s”: %(rows)s dòng (XLSX)")
        % {"file": entry["file"], "rows": entry["rows"]},
        detail={"format": "xlsx", "rows": entry["rows"], "file": entry["file"]},
    )
    return entry["data"], stamped_filename("ket-qua-doi-chieu")
