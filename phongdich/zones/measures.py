"""What a measure set allows (Z1): the gathering cap and whether an activity may go on — pure functions.

``MeasureRules`` is a measure set's content as plain data (``MeasureSet.rules`` builds it from the
row); ``gathering_cap`` and ``decide`` answer from it alone, so gatherings (issue 7) and pages ask
the same question the same way. Goods transport is never stopped by a measure set (Z2). A decision
says whether it rests on a measure flagged uncertain.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from .models import MeasureSet

PUBLIC_TRANSPORT_NORMAL = "normal"
PUBLIC_TRANSPORT_LIMITED = "limited"
PUBLIC_TRANSPORT_STOPPED = "stopped"


class Activity(StrEnum):
    GATHERING = "gathering"  # people meeting (size, indoors or out)
    EVENT = "event"  # festival, rite, tournament, wedding or funeral party, crowded event (size)
    BUSINESS = "business"  # a business of a kind staying open
    PUBLIC_TRANSPORT = "public_transport"
    LEAVING_HOME = "leaving_home"  # going out for something not essential
    GOODS_TRANSPORT = "goods_transport"  # goods, farm produce, production inputs (Z2)


@dataclass(frozen=True)
class MeasureRules:
    indoor_gathering_cap: int | None = None
    outdoor_gathering_cap: int | None = None
    events_stopped: bool = False
    min_distance_m: Decimal | None = None
    non_essential_closed: bool = False
    closed_business_kinds: frozenset[str] = frozenset()
    public_transport: str = PUBLIC_TRANSPORT_NORMAL
    stay_home: bool = False
    uncertain: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str
    uncertain: bool = False  # the answer rests on a measure no checked source states


def rules_of(measure_set: MeasureSet) -> MeasureRules:
    return MeasureRules(
        indoor_gathering_cap=measure_set.indoor_gathering_cap,
        outdoor_gathering_cap=measure_set.outdoor_gathering_cap,
        events_stopped=measure_set.events_stopped,
        min_distance_m=measure_set.min_distance_m,
        non_essential_closed=measure_set.non_essential_closed,
        closed_business_kinds=frozenset(measure_set.closed_business_kinds or ()),
        public_transport=measure_set.public_transport,
        stay_home=measure_set.stay_home,
        uncertain=frozenset(measure_set.uncertain or ()),
    )


def gathering_cap(rules: MeasureRules, *, indoors: bool) -> int | None:
    """The largest group allowed indoors or outdoors (``None``: the set names no number)."""
    return rules.indoor_gathering_cap if indoors else rules.outdoor_gathering_cap


def _cap_field(indoors: bool) -> str:
    return "indoor_gathering_cap" if indoors else "outdoor_gathering_cap"


def decide(
    rules: MeasureRules,
    activity: Activity | str,
    *,
    size: int | None = None,
    indoors: bool = True,
    business_kind: str = "",
) -> Decision:
    """May ``activity`` go on under ``rules``? ``size`` for gatherings and events, ``business_kind``
    (a ``BusinessKind`` value) for a business."""
    from .models import ESSENTIAL_BUSINESS_KINDS

    activity = Activity(activity)
    if activity in (Activity.GATHERING, Activity.EVENT):
        if size is None or size < 1:
            raise ValueError("size must be a positive number of people")
        if activity == Activity.EVENT and rules.events_stopped:
            return Decision(
                False, _("Dừng lễ hội, nghi lễ, giải đấu, sự kiện đông người."), "events_stopped" in rules.uncertain
            )
        cap = gathering_cap(rules, indoors=indoors)
        uncertain = _cap_field(indoors) in rules.uncertain
        if cap is not None and size > cap:
            where = _("trong nhà") if indoors else _("ngoài trời")
            return Decision(
                False,
                _("Không tụ tập quá %(cap)s người %(where)s.") % {"cap": cap, "where": where},
                uncertain,
            )
        if cap is None:
            return Decision(True, _("Không giới hạn số người; thực hiện 5K."), uncertain)
        return Decision(True, _("Trong giới hạn %(cap)s người.") % {"cap": cap}, uncertain)
    if activity == Activity.BUSINESS:
        if not business_kind:
            raise ValueError("business_kind is required")
        if business_kind in rules.closed_business_kinds:
            return Decision(
                False, _("Loại hình này phải tạm dừng hoạt động."), "closed_business_kinds" in rules.uncertain
            )
        if rules.non_essential_closed and business_kind not in ESSENTIAL_BUSINESS_KINDS:
            return Decision(False, _("Dừng dịch vụ không thiết yếu."), "non_essential_closed" in rules.uncertain)
        return Decision(True, _("Được hoạt động; thực hiện 5K."), False)
    if activity == Activity.PUBLIC_TRANSPORT:
        uncertain = "public_transport" in rules.uncertain
        if rules.public_transport == PUBLIC_TRANSPORT_STOPPED:
            return Decision(False, _("Dừng vận tải hành khách công cộng."), uncertain)
        if rules.public_transport == PUBLIC_TRANSPORT_LIMITED:
            return Decision(True, _("Được hoạt động có hạn chế."), uncertain)
        return Decision(True, _("Hoạt động bình thường."), uncertain)
    if activity == Activity.LEAVING_HOME:
        if rules.stay_home:
            return Decision(
                False,
                _("Ở nhà; chỉ ra ngoài khi thật cần thiết (mua lương thực, thực phẩm, thuốc, cấp cứu, đi làm)."),
                "stay_home" in rules.uncertain,
            )
        return Decision(True, _("Được ra ngoài; thực hiện 5K."), "stay_home" in rules.uncertain)
    # Goods, farm produce and production inputs keep flowing through every zone (Z2).
    return Decision(True, _("Hàng hóa, nông sản, nguyên liệu sản xuất được lưu thông."), False)


def _min_cap(values: list[int | None]) -> int | None:
    caps = [v for v in values if v is not None]
    return min(caps) if caps else None


_TRANSPORT_ORDER = (PUBLIC_TRANSPORT_NORMAL, PUBLIC_TRANSPORT_LIMITED, PUBLIC_TRANSPORT_STOPPED)


def strictest(sets: list[MeasureRules]) -> MeasureRules:
    """Where several zones overlap (a locked-down hamlet inside a distancing commune), each measure at its
    strictest: the smallest caps, the largest distance, anything stopped or closed in one set. A measure
    stays flagged uncertain when any set flags it. No set: no measures."""
    if not sets:
        return MeasureRules()
    distances = [s.min_distance_m for s in sets if s.min_distance_m is not None]
    return MeasureRules(
        indoor_gathering_cap=_min_cap([s.indoor_gathering_cap for s in sets]),
        outdoor_gathering_cap=_min_cap([s.outdoor_gathering_cap for s in sets]),
        events_stopped=any(s.events_stopped for s in sets),
        min_distance_m=max(distances) if distances else None,
        non_essential_closed=any(s.non_essential_closed for s in sets),
        closed_business_kinds=frozenset().union(*(s.closed_business_kinds for s in sets)),
        public_transport=max((s.public_transport for s in sets), key=_TRANSPORT_ORDER.index),
        stay_home=any(s.stay_home for s in sets),
        uncertain=frozenset().union(*(s.uncertain for s in sets)),
    )
