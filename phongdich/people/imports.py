"""Import people from CSV or Excel, on the project's one import framework (``core.tabular``).

Every row is checked with the same rules as the form and the API (name, birth, CCCD structure,
mobile number, residence unit in the importer's scope). A row whose CCCD is already registered
is the same person: it is skipped and counted, not an error. A row with the same phone, name
and birth year as a registered person, or as an earlier row, is rejected as a possible duplicate.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.utils.translation import gettext as _

from phongdich.core import tabular as tb
from phongdich.core.errors import ValidationFailed
from phongdich.core.models import User
from phongdich.core.text import fold
from phongdich.geo.models import Level, Unit
from phongdich.orgs.models import Organisation
from phongdich.orgs.scope import scope_for

from .models import Person
from .services import CCCD_ELSEWHERE, check_person_scope, clean_person_fields, live_person

SPEC_NAME = "people.person_import"

_YES_NO = {"có": True, "co": True, "x": True, "1": True, "yes": True, "không": False, "khong": False, "0": False}
_SEX = {"Nam": "M", "Nữ": "F", "M": "M", "F": "F", "Male": "M", "Female": "F"}


def _parse_digits_keep_zero(*, length: int) -> tb.Parser:
    """Numbers that Excel may have stored as numbers, losing their leading zero (CCCD, phone)."""

    def parse(text: str) -> str:
        value = text.strip()
        if value.endswith(".0") and value[:-2].isdigit():
            value = value[:-2]
        if value.isdigit() and len(value) == length - 1 and not value.startswith("0"):
            value = "0" + value
        return value

    return parse


def columns() -> tuple[tb.Column, ...]:
    """The columns in the user's language; the Vietnamese headers are always accepted too."""
    return tb.bilingual(_columns)


def _columns() -> tuple[tb.Column, ...]:
    return (
        tb.Column(_("Họ và tên"), "full_name", aliases=("ho ten", "full_name")),
        tb.Column(_("Ngày sinh"), "birth_date", required=False, parse=tb.parse_date, aliases=("birth_date",)),
        tb.Column(_("Năm sinh"), "birth_year", required=False, parse=tb.parse_int(), aliases=("birth_year",)),
        tb.Column(_("Giới tính"), "sex", parse=tb.parse_choice(_SEX), aliases=("sex",)),
        tb.Column(
            _("Số CCCD"),
            "cccd",
            required=False,
            default="",
            parse=_parse_digits_keep_zero(length=12),
            aliases=("CCCD", "cccd"),
        ),
        tb.Column(_("Số hộ chiếu"), "passport_no", required=False, default="", aliases=("passport_no", "hộ chiếu")),
        tb.Column(_("Quốc tịch"), "nationality", required=False, default="VN", aliases=("nationality",)),
        tb.Column(
            _("Số điện thoại"),
            "phone",
            required=False,
            default="",
            parse=_parse_digits_keep_zero(length=10),
            aliases=("điện thoại", "phone", "SĐT"),
        ),
        tb.Column(_("Thư điện tử"), "email", required=False, default="", aliases=("email",)),
        tb.Column(
            _("Mã đơn vị cư trú"),
            "residence_unit",
            parse=tb.parse_code(digits=5),
            aliases=("mã xã", "residence_unit", "mã đơn vị"),
        ),
        tb.Column(_("Địa chỉ"), "address", required=False, default="", aliases=("address",)),
        tb.Column(_("Nghề nghiệp"), "occupation", required=False, default="", aliases=("occupation",)),
        tb.Column(_("Ngày nhập cảnh"), "entry_date", required=False, parse=tb.parse_date, aliases=("entry_date",)),
        tb.Column(_("Cửa khẩu nhập cảnh"), "entry_point", required=False, default="", aliases=("entry_point",)),
        tb.Column(_("Mục đích nhập cảnh"), "visa_purpose", required=False, default="", aliases=("visa_purpose",)),
        tb.Column(
            _("Nhập cảnh trái phép"),
            "illegal_entry",
            required=False,
            default=False,
            parse=tb.parse_choice(_YES_NO),
            aliases=("illegal_entry",),
        ),
    )


@dataclass
class PeopleImportResult:
    result: tb.ImportResult
    already_registered: int = 0  # rows whose CCCD was already registered: skipped


def _units_for(actor: User | None) -> dict[str, Unit]:
    tree = getattr(settings, "ADMIN_TREE", "2021")
    units: Any = Unit.objects.filter(tree=tree, level__gte=Level.COMMUNE)
    if actor is not None:
        scope = scope_for(actor)
        if not scope.org_paths or scope.unit_paths:
            units = scope.units(units)
    return {u.code: u for u in units}


class _Registry:
    """Per-row look-ups of people already registered, and whether the importer may see them.

    Through the ORM each look-up costs more in building the query than in running it (some
    milliseconds a row: minutes for a 100,000-row file), so each is one small parameterised
    statement in plain SQL that SQLite and PostgreSQL both accept. Visibility is decided as
    ``Person.objects.for_user`` decides it: residence unit in scope, or organisation under one
    of the scope's organisations.
    """

    def __init__(self, actor: User | None) -> None:
        # Only the (quoted) table name is interpolated; every value is a parameter.
        table = connection.ops.quote_name(Person._meta.db_table)
        self._by_cccd = f"SELECT id, residence_unit_id, organisation_id, merged_into_id FROM {table} WHERE cccd = %s"  # noqa: S608
        self._twins = (
            f"SELECT full_name, residence_unit_id, organisation_id FROM {table} "  # noqa: S608
            "WHERE phone = %s AND birth_year = %s AND name_folded = %s AND merged_into_id IS NULL"
        )
        self.everything = actor is None or scope_for(actor).everything
        self.unit_ids: set[int] = set()
        self.org_ids: set[int] = set()
        self.unit_names: dict[int, str] = {}
        if not self.everything:
            scope = scope_for(actor)
            self.unit_names = dict(scope.units().values_list("pk", "name")) if scope.unit_paths else {}
            self.unit_ids = set(self.unit_names)
            if scope.org_paths:
                orgs = Organisation.objects.filter(reduce(or_, (Q(path__startswith=p) for p in scope.org_paths)))
                self.org_ids = set(orgs.values_list("pk", flat=True))

    def visible(self, unit_id: int, org_id: int | None) -> bool:
        return self.everything or unit_id in self.unit_ids or (org_id is not None and org_id in self.org_ids)

    def cccd_holder(self, cccd: str) -> tuple[bool, bool]:
        """(registered, visible) for the person holding ``cccd`` (the kept record if it was merged)."""
        with connection.cursor() as cursor:
            cursor.execute(self._by_cccd, [cccd])
            row = cursor.fetchone()
        if row is None:
            return False, False
        if row[3] is not None:
            live = live_person(Person.objects.get(pk=row[0]))
            return True, self.visible(live.residence_unit_id, live.organisation_id)
        return True, self.visible(row[1], row[2])

    def twins(self, *, phone: str, birth_year: int, full_name: str) -> list[str]:
        """Names (with their unit) of visible people with the same phone, folded name and birth year."""
        with connection.cursor() as cursor:
            cursor.execute(self._twins, [phone, birth_year, fold(full_name)[:120]])
            rows = cursor.fetchall()
        names = []
        for name, unit_id, org_id in rows:
            if self.visible(unit_id, org_id):
                unit_name = self.unit_names.get(unit_id) or Unit.objects.get(pk=unit_id).name
                names.append(f"{name} — {unit_name}")
        return names


def people_spec(*, actor: User | None, organisation: Organisation | None = None) -> tuple[tb.TabularSpec, Any]:
    """The import spec for this actor, and a counter of rows skipped as already registered."""
    if organisation is not None and actor is not None and not scope_for(actor).contains_organisation(organisation):
        raise ValidationFailed(_("Cơ quan này nằm ngoài phạm vi bạn quản lý."), field="organisation")
    units = _units_for(actor)
    registry = _Registry(actor)
    seen_cccd: set[str] = set()
    seen_key: set[tuple[str, str, int]] = set()
    skipped: list[int] = []

    def validate(row: dict[str, Any]) -> dict[str, Any] | list[tb.RowIssue]:
        unit = units.get(row["residence_unit"])
        if unit is None:
            return [
                tb.RowIssue(
                    "residence_unit",
                    _("Không có đơn vị mã %(code)s trong địa bàn bạn quản lý.") % {"code": row["residence_unit"]},
                )
            ]
        values = clean_person_fields({**row, "residence_unit": unit, "organisation": organisation})
        check_person_scope(actor, unit=unit, organisation=organisation)
        cccd = values["cccd"]
        if cccd:
            if cccd in seen_cccd:
                return [tb.RowIssue("cccd", _("Số CCCD này xuất hiện nhiều lần trong tệp."))]
            seen_cccd.add(cccd)
            registered, visible = registry.cccd_holder(cccd)
            if registered and not visible:
                return [tb.RowIssue("cccd", str(CCCD_ELSEWHERE))]
            if registered:
                values["_existing"] = True
                return values
        if values["phone"]:
            key = (values["phone"], fold(values["full_name"]), values["birth_year"])
            if key in seen_key:
                return [tb.RowIssue(None, _("Trùng với một dòng phía trên (cùng họ tên, năm sinh, số điện thoại)."))]
            seen_key.add(key)
            twins = registry.twins(
                phone=values["phone"], birth_year=values["birth_year"], full_name=values["full_name"]
            )
            if twins:
                return [
                    tb.RowIssue(
                        None,
                        _("Có thể trùng với người đã có: %(who)s (cùng họ tên, năm sinh, số điện thoại).")
                        % {"who": ", ".join(twins[:3])},
                    )
                ]
        return values

    def write(rows: list[dict[str, Any]]) -> int:
        people = []
        for row in rows:
            if row.pop("_existing", False):
                skipped.append(1)
                continue
            person = Person(**row)
            person.set_search_keys()
            people.append(person)
        Person.objects.bulk_create(people, batch_size=500)
        return len(people)

    spec = tb.TabularSpec(
        name=SPEC_NAME,
        title=_("nhân khẩu"),
        columns=columns(),
        validate_row=validate,
        write=write,
    )
    return spec, skipped


def people_import(
    *,
    actor: User | None,
    upload: Any,
    filename: str | None = None,
    partial: bool = False,
    organisation: Organisation | None = None,
) -> PeopleImportResult:
    """Validate every row of ``upload``, then register the people in one transaction (or none of them)."""
    spec, skipped = people_spec(actor=actor, organisation=organisation)
    result = tb.run_import(
        spec,
        upload,
        actor=actor,
        filename=filename,
        partial=partial,
        detail={"organisation": str(organisation.uid) if organisation else ""},
    )
    return PeopleImportResult(result=result, already_registered=len(skipped))


def people_template(*, fmt: str = "xlsx") -> bytes:
    spec = tb.TabularSpec(name=SPEC_NAME, columns=columns(), write=lambda rows: 0)
    return tb.template_file(spec, fmt=fmt)
