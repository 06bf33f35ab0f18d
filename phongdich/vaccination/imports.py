"""Dose records from a spreadsheet (V1): one row per dose, all rows or none.

Columns: Số CCCD (or, without it, Họ và tên + Năm sinh + Điện thoại, matched to exactly one person in the
user's area — the people import's look-up), Vắc xin (name or code), Số lô (optional), Mũi thứ (optional:
the next dose), Ngày tiêm, Điểm tiêm (optional, the site's name), Lý do tiêm ngoài đối tượng (optional).
Every row is checked by the same rules as the form (``services.dose_problems``), taking the file's own
earlier rows of the same person into account; then the doses are written in one transaction.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from phongdich.core import tabular as tb
from phongdich.core.text import fold
from phongdich.people.models import Person

from .models import Dose, EligibilityRule, VaccinationSite, VaccineLot, VaccineProduct
from .services import dose_problems, dose_record


def _columns() -> list[tb.Column]:
    return [
        tb.Column(_("Số CCCD"), "cccd", required=False, aliases=("cccd", "CCCD"), parse=tb.parse_code(digits=12)),
        tb.Column(_("Họ và tên"), "full_name", required=False, aliases=("ho va ten", "name")),
        tb.Column(_("Năm sinh"), "birth_year", required=False, parse=tb.parse_int(minimum=1900, maximum=2100)),
        tb.Column(_("Điện thoại"), "phone", required=False, aliases=("so dien thoai", "phone")),
        tb.Column(_("Vắc xin"), "product", aliases=("vaccine", "vac xin")),
        tb.Column(_("Số lô"), "lot", required=False, aliases=("lot", "so lo")),
        tb.Column(
            _("Mũi thứ"),
            "dose_number",
            required=False,
            aliases=("dose", "mui"),
            parse=tb.parse_int(minimum=1, maximum=9),
        ),
        tb.Column(_("Ngày tiêm"), "given_on", aliases=("date", "ngay tiem"), parse=tb.parse_date),
        tb.Column(_("Điểm tiêm"), "site", required=False, aliases=("site", "diem tiem")),
        tb.Column(_("Lý do tiêm ngoài đối tượng"), "exception_reason", required=False, aliases=("exception",)),
    ]


def _products() -> dict[str, VaccineProduct]:
    found: dict[str, VaccineProduct] = {}
    for product in VaccineProduct.objects.all():
        for key in (product.code, product.name, product.name.split(" (")[0]):
            found[fold(key)] = product
    return found


def doses_import(*, actor: Any, upload: Any, filename: str | None = None) -> tb.ImportResult:
    products = _products()
    rules = list(EligibilityRule.objects.all())
    people = Person.objects.for_user(actor).active() if actor is not None else Person.objects.active()
    pending: dict[int, list[Dose]] = {}
    today = timezone.localdate()

    def find_person(row: dict[str, Any]) -> Person | tb.RowIssue:
        if row["cccd"]:
            person = people.filter(cccd=row["cccd"]).first()
            if person is None:
                return tb.RowIssue("cccd", _("Không tìm thấy người có số CCCD %(cccd)s trong địa bàn của bạn.") % row)
            return person
        name, year, phone = (row["full_name"] or "").strip(), row["birth_year"], (row["phone"] or "").strip()
        if not (name and year and phone):
            return tb.RowIssue("cccd", _("Hãy ghi số CCCD, hoặc đủ họ và tên, năm sinh và điện thoại."))
        matches = list(people.filter(name_folded=fold(name)[:120], birth_year=year, phone=phone)[:2])
        if not matches:
            return tb.RowIssue("full_name", _("Không tìm thấy người này (họ tên, năm sinh, điện thoại) trong địa bàn."))
        if len(matches) > 1:
            return tb.RowIssue("full_name", _("Có nhiều người trùng họ tên, năm sinh và điện thoại; hãy ghi số CCCD."))
        return matches[0]

    def validate(row: dict[str, Any]) -> dict[str, Any] | list[tb.RowIssue]:
        found = find_person(row)
        if isinstance(found, tb.RowIssue):
            return [found]
        person = found
        product = products.get(fold(str(row["product"]).strip()))
        if product is None:
            return [tb.RowIssue("product", _("Không có vắc xin “%(name)s” trong danh mục.") % {"name": row["product"]})]
        issues: list[tb.RowIssue] = []
        lot = None
        if row["lot"]:
            lot_no = str(row["lot"]).strip().upper()
            lots = VaccineLot.objects.select_related("product").filter(lot_number=lot_no)
            # The product's own lot, else another product's (dose_problems then says whose it is).
            lot = lots.filter(product=product).first() or lots.first()
            if lot is None:
                issues.append(tb.RowIssue("lot", _("Không có lô %(lot)s trong danh mục.") % {"lot": lot_no}))
        site = None
        if row["site"]:
            site = VaccinationSite.objects.filter(name__iexact=str(row["site"]).strip(), active=True).first()
            if site is None:
                issues.append(tb.RowIssue("site", _("Không có điểm tiêm “%(name)s”.") % {"name": row["site"]}))
        earlier = list(Dose.objects.filter(person=person).select_related("product").order_by("dose_number"))
        earlier += pending.get(person.pk, [])
        number, problems = dose_problems(
            person=person,
            product=product,
            given_on=row["given_on"],
            lot=lot,
            dose_number=row["dose_number"],
            exception_reason=row["exception_reason"] or "",
            today=today,
            rules=rules,
            previous=earlier,
        )
        issues += [
            tb.RowIssue(field if field in ("lot", "given_on", "dose_number", "exception_reason") else "", msg)
            for field, msg in problems
        ]
        if issues:
            return issues
        pending.setdefault(person.pk, []).append(Dose(dose_number=number, given_on=row["given_on"], product=product))
        return {**row, "person": person, "product": product, "lot": lot, "site": site, "dose_number": number}

    def write(rows: list[dict[str, Any]]) -> int:
        for row in rows:
            dose_record(
                actor=actor,
                person=row["person"],
                product=row["product"],
                given_on=row["given_on"],
                lot=row["lot"],
                site=row["site"],
                dose_number=row["dose_number"],
                exception_reason=row["exception_reason"] or "",
                today=today,
                audit_it=False,
            )
        return len(rows)

    spec = tb.TabularSpec(
        name="vaccination.dose.import",
        columns=tb.bilingual(_columns),
        validate_row=validate,
        write=write,
        title=_("mũi tiêm"),
    )
    return tb.run_import(spec, upload, actor=actor, filename=filename)


def doses_template(*, fmt: str = "xlsx") -> bytes:
    return tb.template_file(tb.bilingual(_columns), fmt=fmt)
