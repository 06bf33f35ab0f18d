"""Check a list of exam candidates, staff or guests before an event (E3).

The uploaded list (CSV or XLSX through ``core.tabular``) has the columns of the door-to-door cross-check
(``movements.crosscheck``: Họ và tên, CCCD, Số điện thoại, Ngày sinh, Đơn vị) plus Năm sinh and Vai trò.
Rows are cleaned and matched to the registry by that module's pieces (``validate_person_row``,
``match_person``); a row with only a name and a birth year is matched by name and birth year when that is
unique. Each person found is checked as of the event day for: a quarantine episode open that day, an active
epidemic-area exposure flag of the look-back window, a medical declaration with symptoms in that window, an
open case. Bad rows come back with their Vietnamese messages. Nothing is stored but the import's audit line;
the result is kept for an hour for the same user and its download is audited.
"""

from __future__ import annotations

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

from phongdich.cases.models import OPEN_STATUSES, Case
from phongdich.core import tabular as tb
from phongdich.core.exports import ExportFile, audited_export
from phongdich.core.text import fold
from phongdich.declarations.models import MedicalDeclaration
from phongdich.movements import crosscheck
from phongdich.people.models import Person
from phongdich.quarantine.models import Episode
from phongdich.zones.models import ExposureFlag
from phongdich.zones.services import look_back_days_on

from .selectors import _open_on

SPEC_NAME = "welfare.event_check"
RESULT_TTL_SECONDS = 3600
_CACHE_PREFIX = "welfare:event-check:"


def _columns() -> list[tb.Column]:
    return [
        *crosscheck.person_columns(),
        tb.Column(
            _("Năm sinh"),
            "birth_year",
            required=False,
            parse=tb.parse_int(minimum=1900, maximum=2100),
            aliases=("birth year",),
        ),
        tb.Column(_("Vai trò"), "role", required=False, default="", aliases=("chức danh", "thí sinh/cán bộ", "role")),
    ]


def columns() -> tuple[tb.Column, ...]:
    return tb.bilingual(_columns)


@dataclass
class EventRow:
    row: int
    full_name: str
    cccd: str
    phone: str
    birth_date: date | None
    birth_year: int | None
    org: str
    role: str
    person: Person | None = None
    findings: list[str] = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        return bool(self.findings)

    @property
    def conclusion(self) -> str:
        if self.person is None:
            return _("Không tìm thấy trong cơ sở dữ liệu địa bàn")
        if self.flagged:
            return _("Cần xử lý trước sự kiện")
        return _("Không ghi nhận vấn đề")


@dataclass
class EventCheck:
    event: str
    filename: str
    on: date
    window_days: int
    rows: list[EventRow]
    result: tb.ImportResult

    @property
    def matched(self) -> int:
        return sum(1 for r in self.rows if r.person is not None)

    @property
    def flagged(self) -> int:
        return sum(1 for r in self.rows if r.flagged)


def _validate(values: dict[str, Any]) -> dict[str, Any] | list[tb.RowIssue]:
    year = values.get("birth_year")
    probe = dict(values)
    if year and not values.get("birth_date"):
        probe["birth_date"] = date(year, 1, 1)  # the cross-check wants one key besides the name: a year is one
    cleaned = crosscheck.validate_person_row(probe)
    if isinstance(cleaned, list):
        return cleaned
    birth_date = values.get("birth_date")
    if birth_date and year and birth_date.year != year:
        return [tb.RowIssue("birth_year", _("Năm sinh không khớp với ngày sinh."))]
    return {
        **cleaned,
        "birth_date": birth_date,
        "birth_year": year or (birth_date.year if birth_date else None),
        "role": " ".join(str(values.get("role") or "").split())[:60],
    }


def _match(visible: Any, row: EventRow) -> Person | None:
    probe = crosscheck.CheckRow(
        row=row.row,
        full_name=row.full_name,
        cccd=row.cccd,
        phone=row.phone,
        birth_date=row.birth_date,
        org=row.org,
    )
    person = crosscheck.match_person(visible, probe)
    if person is None and row.birth_date is None and row.birth_year:
        same = list(visible.filter(name_folded=fold(row.full_name)[:120], birth_year=row.birth_year)[:2])
        if len(same) == 1:
            person = same[0]
    return person


def _findings(person: Person, *, on: date, since: date) -> list[str]:
    out: list[str] = []
    for ep in Episode.objects.filter(_open_on(on), person=person).order_by("start_date"):
        out.append(
            _("Đang %(kind)s từ %(day)s") % {"kind": ep.get_kind_display().lower(), "day": f"{ep.start_date:%d/%m/%Y}"}
        )
    for flag in ExposureFlag.objects.filter(person=person, cleared_at__isnull=True, visit_to__gte=since).order_by(
        "-visit_to"
    ):
        out.append(_("Yếu tố dịch tễ: %(reason)s") % {"reason": flag.reason})
    declaration = (
        MedicalDeclaration.objects.filter(
            person=person, has_symptoms=True, superseded_at__isnull=True, declared_at__date__gte=since
        )
        .filter(declared_at__date__lte=on)
        .order_by("-declared_at")
        .first()
    )
    if declaration is not None:
        out.append(
            _("Khai báo y tế ngày %(day)s có triệu chứng: %(symptoms)s")
            % {
                "day": f"{timezone.localtime(declaration.declared_at):%d/%m/%Y}",
                "symptoms": ", ".join(str(s) for s in declaration.symptoms),
            }
        )
    case = Case.objects.filter(person=person, status__in=OPEN_STATUSES).first()
    if case is not None:
        out.append(
            _("Đang là ca bệnh %(code)s (%(status)s)") % {"code": case.case_code, "status": case.get_status_display()}
        )
    return out


def event_check(*, user: Any, upload: Any, event: str, on: date, filename: str | None = None) -> EventCheck:
    """Read ``upload``, match and check its rows for the event on ``on``. Raises ``TabularFileError`` for an
    unreadable file."""
    collected: list[dict[str, Any]] = []

    def keep(rows: list[dict[str, Any]]) -> int:
        collected.extend(rows)
        return 0

    spec = tb.TabularSpec(
        name=SPEC_NAME,
        columns=columns(),
        write=keep,
        validate_row=_validate,
        ignore_unknown_columns=True,
        title=_("danh sách kiểm tra trước sự kiện"),
    )
    name = filename or str(getattr(upload, "name", "") or "")
    data = upload if isinstance(upload, bytes) else upload.read(int(settings.IMPORT_MAX_BYTES) + 1)
    result = tb.run_import(spec, data, actor=user, filename=name, partial=True, detail={"event": event[:120]})
    window = look_back_days_on(on)
    since = on - timedelta(days=window)
    bad = set(result.errors_by_row())
    numbers = [n for n, _cells in tb.read_table(data, filename=name).rows if n not in bad]
    visible = Person.objects.for_user(user).active()
    rows: list[EventRow] = []
    for number, values in zip(numbers, collected, strict=False):
        row = EventRow(
            row=number,
            full_name=values["full_name"],
            cccd=values["cccd"],
            phone=values["phone"],
            birth_date=values.get("birth_date"),
            birth_year=values.get("birth_year"),
            org=values["org"],
            role=values.get("role", ""),
        )
        row.person = _match(visible, row)
        if row.person is not None:
            row.findings = _findings(row.person, on=on, since=since)
        rows.append(row)
    return EventCheck(event=event, filename=result.filename, on=on, window_days=window, rows=rows, result=result)


def _header() -> list[str]:
    return [
        _("Dòng trong tệp"),
        _("Họ và tên"),
        _("CCCD"),
        _("Số điện thoại"),
        _("Năm sinh"),
        _("Đơn vị"),
        _("Vai trò"),
        _("Nơi cư trú"),
        _("Kết luận"),
        _("Chi tiết"),
    ]


def remember_result(check: EventCheck, *, user: Any) -> str:
    """Keep the result's table for an hour for ``user``; returns the token of its download."""
    body: list[list[Any]] = [
        [
            r.row,
            r.full_name,
            r.cccd,
            r.phone,
            r.birth_year or "",
            r.org,
            r.role,
            r.person.residence_unit.name if r.person else "",
            r.conclusion,
            "; ".join(r.findings),
        ]
        for r in check.rows
    ]
    body += [
        [e.row, "", "", "", "", "", "", "", _("Dòng lỗi"), f"{e.column}: {e.message}"] for e in check.result.errors
    ]
    token = secrets.token_urlsafe(18)
    cache.set(
        _CACHE_PREFIX + token,
        {
            "user": getattr(user, "pk", None),
            "header": _header(),
            "rows": body,
            "event": check.event,
            "file": check.filename,
        },
        RESULT_TTL_SECONDS,
    )
    return token


def result_download(token: str, *, user: Any) -> ExportFile:
    """The remembered result for the same user (else 404), as an audited Excel export."""
    entry = cache.get(_CACHE_PREFIX + token) if re.fullmatch(r"[A-Za-z0-9_-]{10,64}", token) else None
    if not entry or entry["user"] != getattr(user, "pk", None):
        raise Http404
    return audited_export(
        user=user,
        header=entry["header"],
        rows=entry["rows"],
        summary=_("Tải kết quả kiểm tra trước sự kiện “%(event)s”: %(rows)s dòng (XLSX)")
        % {"event": entry["event"], "rows": len(entry["rows"])},
        detail={"event": entry["event"], "file": entry["file"]},
        name="ket-qua-kiem-tra-su-kien",
        sheet_title=_("Kết quả kiểm tra")[:31],
    )
