"""Growth of an outbreak cluster from its daily case counts (C3): pure arithmetic, no database.

* Week-on-week growth: cases in the last 7 days against the 7 days before.
* A log-linear trend: a Poisson regression ``log E[cases on day t] = a + b·t`` fitted by maximum
  likelihood (Newton–Raphson) over the recent window, with over-dispersion allowed for as in a
  quasi-Poisson model (the dispersion is the Pearson χ² over the degrees of freedom, at least 1).
* The doubling time ``ln 2 / b``, stated only when the trend grows with confidence (the 95 %
  interval of ``b`` lies above zero) and there are enough points; otherwise it is "not determined".
* A short-term projection of the trend with a 95 % band that holds both the trend's own
  uncertainty (the fit's standard error, delta method) and the day-to-day scatter of counts
  (quasi-Poisson variance ``φ·μ``). It is a projection of the recent trend, not data.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

# The recent window the trend is fitted on, and the least data a fit needs.
WINDOW_DAYS = 14
MIN_DAYS = 5
MIN_DAYS_WITH_CASES = 3
MIN_CASES = 5
HORIZON_DAYS = 7
Z95 = 1.959963984540054
_MAX_ETA = 30.0  # e**30 cases a day: beyond any outbreak; keeps exp() finite while iterating


@dataclass(frozen=True)
class Fit:
    """``log E[y_t] = intercept + slope·(t − centre)``, t counted in days from the window's first day."""

    intercept: float
    slope: float
    centre: float
    # Covariance of (intercept, slope), already multiplied by the dispersion.
    var_intercept: float
    var_slope: float
    cov: float
    dispersion: float
    n: int

    @property
    def slope_se(self) -> float:
        return math.sqrt(self.var_slope)

    @property
    def slope_low(self) -> float:
        return self.slope - Z95 * self.slope_se

    @property
    def slope_high(self) -> float:
        return self.slope + Z95 * self.slope_se

    def eta(self, t: float) -> float:
        return self.intercept + self.slope * (t - self.centre)

    def eta_var(self, t: float) -> float:
        x = t - self.centre
        return self.var_intercept + 2 * x * self.cov + x * x * self.var_slope

    def expected(self, t: float) -> float:
        return math.exp(min(self.eta(t), _MAX_ETA))


def fit_loglinear(counts: Sequence[int]) -> Fit | None:
    """The Poisson log-linear fit of ``counts`` (one per consecutive day), or ``None`` when the data
    cannot carry one: too few days, too few cases, or cases on fewer than ``MIN_DAYS_WITH_CASES`` days."""
    n = len(counts)
    if n < MIN_DAYS or any(c < 0 for c in counts):
        return None
    if sum(counts) < MIN_CASES or sum(1 for c in counts if c > 0) < MIN_DAYS_WITH_CASES:
        return None
    ts = [float(t) for t in range(n)]
    centre = sum(ts) / n
    xs = [t - centre for t in ts]
    ys = [float(c) for c in counts]
    a = math.log(sum(ys) / n)
    b = 0.0

    def loglik(a_: float, b_: float) -> float:
        total = 0.0
        for x, y in zip(xs, ys, strict=True):
            eta = min(a_ + b_ * x, _MAX_ETA)
            total += y * eta - math.exp(eta)
        return total

    current = loglik(a, b)
    for _step in range(100):
        mus = [math.exp(min(a + b * x, _MAX_ETA)) for x in xs]
        u0 = sum(y - m for y, m in zip(ys, mus, strict=True))
        u1 = sum((y - m) * x for x, y, m in zip(xs, ys, mus, strict=True))
        i00 = sum(mus)
        i01 = sum(m * x for x, m in zip(xs, mus, strict=True))
        i11 = sum(m * x * x for x, m in zip(xs, mus, strict=True))
        det = i00 * i11 - i01 * i01
        if det <= 0 or not math.isfinite(det):
            return None
        da = (i11 * u0 - i01 * u1) / det
        db = (i00 * u1 - i01 * u0) / det
        # Newton's step, halved until the likelihood does not fall.
        scale = 1.0
        while scale > 1e-6:
            na, nb = a + scale * da, b + scale * db
            candidate = loglik(na, nb)
            if candidate >= current - 1e-12:
                break
            scale /= 2
        else:
            break
        a, b, current = na, nb, candidate
        if abs(scale * da) < 1e-10 and abs(scale * db) < 1e-10:
            break
    mus = [math.exp(min(a + b * x, _MAX_ETA)) for x in xs]
    if any(m <= 0 or not math.isfinite(m) for m in mus) or abs(a) >= _MAX_ETA:
        return None
    pearson = sum((y - m) ** 2 / m for y, m in zip(ys, mus, strict=True))
    dispersion = max(1.0, pearson / (n - 2))
    i00 = sum(mus)
    i01 = sum(m * x for x, m in zip(xs, mus, strict=True))
    i11 = sum(m * x * x for x, m in zip(xs, mus, strict=True))
    det = i00 * i11 - i01 * i01
    if det <= 0:
        return None
    return Fit(
        intercept=a,
        slope=b,
        centre=centre,
        var_intercept=dispersion * i11 / det,
        var_slope=dispersion * i00 / det,
        cov=-dispersion * i01 / det,
        dispersion=dispersion,
        n=n,
    )


@dataclass(frozen=True)
class Doubling:
    """The doubling time in days and its 95 % interval (``high`` is ``None`` when unbounded)."""

    days: float
    low: float
    high: float | None


def doubling_time(fit: Fit | None) -> Doubling | None:
    """``ln 2 / slope`` when the trend grows with confidence; ``None`` ("không xác định") otherwise."""
    if fit is None or fit.slope <= 0 or fit.slope_low <= 0:
        return None
    return Doubling(days=math.log(2) / fit.slope, low=math.log(2) / fit.slope_high, high=math.log(2) / fit.slope_low)


@dataclass(frozen=True)
class ProjectedDay:
    """Day ``h`` after the last observed day: the trend's expected count and the 95 % band, for the day
    and cumulated from day 1 to day ``h``."""

    h: int
    expected: float
    low: float
    high: float
    cumulative: float
    cumulative_low: float
    cumulative_high: float


def project(fit: Fit, horizon: int = HORIZON_DAYS, z: float = Z95) -> list[ProjectedDay]:
    """Extend the trend ``horizon`` days past the window. The variance of a day's count is the
    scatter ``φ·μ`` plus the trend's uncertainty ``μ²·Var(η)``; of the cumulated count, ``φ·Σμ`` plus
    ``gᵀ·Cov·g`` with ``g = Σ μ_k·(1, t_k − centre)``. Bands are cut at zero."""
    out: list[ProjectedDay] = []
    cum = 0.0
    g0 = g1 = 0.0
    for h in range(1, horizon + 1):
        t = fit.n - 1 + h
        mu = fit.expected(t)
        sd = math.sqrt(fit.dispersion * mu + mu * mu * fit.eta_var(t))
        cum += mu
        x = t - fit.centre
        g0 += mu
        g1 += mu * x
        cum_var = fit.dispersion * cum + g0 * g0 * fit.var_intercept + 2 * g0 * g1 * fit.cov + g1 * g1 * fit.var_slope
        cum_sd = math.sqrt(max(cum_var, 0.0))
        out.append(
            ProjectedDay(
                h=h,
                expected=mu,
                low=max(0.0, mu - z * sd),
                high=mu + z * sd,
                cumulative=cum,
                cumulative_low=max(0.0, cum - z * cum_sd),
                cumulative_high=cum + z * cum_sd,
            )
        )
    return out


@dataclass(frozen=True)
class WeekGrowth:
    last7: int
    previous7: int

    @property
    def ratio(self) -> float | None:
        """Last 7 days over the 7 before (``None`` when the earlier week had no case)."""
        return self.last7 / self.previous7 if self.previous7 else None

    @property
    def change_percent(self) -> float | None:
        return (self.last7 - self.previous7) * 100 / self.previous7 if self.previous7 else None


def week_growth(daily: Mapping[date, int], as_of: date) -> WeekGrowth:
    """Cases on ``as_of`` and the 6 days before, and on the 7 days before those."""
    last7 = sum(daily.get(as_of - timedelta(days=i), 0) for i in range(7))
    previous7 = sum(daily.get(as_of - timedelta(days=i), 0) for i in range(7, 14))
    return WeekGrowth(last7=last7, previous7=previous7)


@dataclass(frozen=True)
class Outlook:
    """Everything the cluster page states about growth, as of a day."""

    as_of: date
    series: list[tuple[date, int]]  # the daily counts from the first case to ``as_of``, zeros filled
    window_start: date
    week: WeekGrowth
    fit: Fit | None
    doubling: Doubling | None
    projection: list[tuple[date, ProjectedDay]]

    @property
    def total(self) -> int:
        return sum(n for _d, n in self.series)

    @property
    def growing(self) -> bool:
        return self.doubling is not None


def outlook(
    daily: Mapping[date, int], as_of: date, *, window: int = WINDOW_DAYS, horizon: int = HORIZON_DAYS
) -> Outlook:
    """Fit the trend over the last ``window`` days up to ``as_of`` (from the first case if later) and
    project it ``horizon`` days ahead. Days after ``as_of`` are ignored."""
    days = sorted(d for d, n in daily.items() if n > 0 and d <= as_of)
    first = days[0] if days else as_of
    series = [
        (first + timedelta(days=i), daily.get(first + timedelta(days=i), 0)) for i in range((as_of - first).days + 1)
    ]
    window_start = max(first, as_of - timedelta(days=window - 1))
    counts = [n for d, n in series if d >= window_start]
    fit = fit_loglinear(counts)
    projection = (
        [(as_of + timedelta(days=p.h), p) for p in project(fit, horizon)] if fit is not None and horizon > 0 else []
    )
    return Outlook(
        as_of=as_of,
        series=series,
        window_start=window_start,
        week=week_growth(daily, as_of),
        fit=fit,
        doubling=doubling_time(fit),
        projection=projection,
    )
