"""The home page, the dashboard of figures (D5) and the public page (G4)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import charts
from .overview import (
    Overview,
    PublicFigures,
    dashboard_unit,
    overview_for,
    percent,
    public_figures,
    root_units,
)
from .selectors import home_for

PUBLIC_CACHE_SECONDS = 120


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "dashboard/home.html",
        {"home": home_for(request.user), "has_dashboard": bool(root_units(request.user))},
    )


def _name(unit: Any) -> str:
    return unit.name if unit is not None else _("Trực thuộc trực tiếp")


def overview_charts(o: Overview) -> dict[str, Any]:
    return {
        "curve": charts.stacked_bars(
            o.curve,
            [("community", _("Cộng đồng")), ("quarantine", _("Khu cách ly, nhập cảnh")), ("other", _("Cơ sở y tế"))],
            label=_("Đường cong dịch tễ: ca xác định theo ngày"),
        ),
        "cases": charts.hbars(
            [(_name(r.unit), r.tally.total, None, charts._num(r.tally.total)) for r in o.cases_by_unit],
            label=_("Ca bệnh theo đơn vị"),
        ),
        "levels": charts.level_map(o.levels, label=_("Cấp độ dịch theo xã, phường, thị trấn")),
        "quarantine": charts.hbars(
            [(f.facility.name, f.occupied, f.capacity, f"{f.occupied}/{f.capacity}") for f in o.quarantine],
            label=_("Công suất cơ sở cách ly"),
        ),
        "testing": charts.stacked_bars(
            [_TestBar(t.day, t.positives, t.tests - t.positives) for t in o.testing],
            [("positives", _("Dương tính")), ("negatives", _("Âm tính, khác"))],
            label=_("Xét nghiệm theo ngày"),
            height=180,
        ),
        "vaccination": charts.hbars(
            [
                (
                    r.unit.name,
                    r.coverage.adults_full_pct or 0,
                    None,
                    f"{charts._num(r.coverage.adults_full_pct, 1)} %",
                )
                for r in o.vaccination_by_unit
            ],
            label=_("Tỷ lệ người từ 18 tuổi tiêm đủ liều"),
            scale_max=100,
        ),
        "qr": charts.hbars(
            [
                (_name(r.unit), r.tally.share_week or 0, None, f"{charts._num(r.tally.share_week, 1)} %")
                for r in o.qr.rows
            ],
            label=_("Tỷ lệ cơ quan có quét mã QR trong 7 ngày"),
            scale_max=100,
        ),
    }


class _TestBar:
    def __init__(self, day: Any, positives: int, negatives: int) -> None:
        self.day, self.positives, self.negatives = day, positives, negatives


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    unit = dashboard_unit(request.user, request.GET.get("unit"))
    if unit is None:
        return render(request, "dashboard/overview.html", {"overview": None}, status=403)
    o = overview_for(request.user, unit)
    return render(
        request,
        "dashboard/overview.html",
        {
            "overview": o,
            "charts": overview_charts(o),
            "roots": root_units(request.user),
            "vaccination_percent": o.vaccination.adults_full_pct,
        },
    )


def public(request: HttpRequest) -> HttpResponse:
    """No login, aggregates only; computed at most every two minutes and cached by browsers as long."""
    key = f"dashboard:public:{get_language()}"
    page = cache.get(key)
    if page is None:
        figures: PublicFigures | None = public_figures()
        context: dict[str, Any] = {"figures": figures}
        if figures is not None:
            context["map"] = charts.level_map(figures.levels, label=_("Cấp độ dịch theo xã, phường, thị trấn"))
            context["full_percent"] = percent(figures.vaccination.full, figures.vaccination.population)
            context["adults_full_percent"] = figures.vaccination.adults_full_pct
            context["level_counts"] = _level_counts(figures)
        page = render(request, "dashboard/public.html", context).content
        cache.set(key, page, PUBLIC_CACHE_SECONDS)
    response = HttpResponse(page)
    patch_cache_control(response, public=True, max_age=PUBLIC_CACHE_SECONDS)
    return response


def _level_counts(figures: PublicFigures) -> list[tuple[int | None, int]]:
    counts: dict[int | None, int] = {}
    for cell in figures.levels:
        counts[cell.level] = counts.get(cell.level, 0) + 1
    return [(k, counts[k]) for k in (1, 2, 3, 4, None) if k in counts]
