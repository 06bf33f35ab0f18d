"""The main navigation, per the user's roles (``nav_items`` in every template)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from phongdich.core.access import can_read_audit
from phongdich.orgs.models import Role
from phongdich.orgs.permissions import FOLLOWER_ROLES, can_manage_roles
from phongdich.orgs.scope import scope_for

CHECKPOINT_ROLES = frozenset(
    {
        Role.PROVINCE_ADMIN,
        Role.STEERING_COMMITTEE,
        Role.HEALTH,
        Role.POLICE,
        Role.MILITARY,
        Role.DISTRICT_OFFICER,
        Role.COMMUNE_OFFICER,
        Role.HAMLET_HEAD,
    }
)
COMMAND_ROLES = frozenset({Role.PROVINCE_ADMIN, Role.STEERING_COMMITTEE, Role.STANDING_COMMITTEE})
# Roles whose area is below a commune (a hamlet) or an organisation: no commune-wide figures such as coverage.
AREA_LESS_ROLES = frozenset({Role.HAMLET_HEAD, Role.ORGANISATION_HEAD})
WORKFORCE_ROLES = COMMAND_ROLES | {Role.DISTRICT_OFFICER, Role.COMMUNE_OFFICER, Role.ORGANISATION_HEAD}
WELFARE_ROLES = frozenset(
    {
        Role.PROVINCE_ADMIN,
        Role.STEERING_COMMITTEE,
        Role.DISTRICT_OFFICER,
        Role.COMMUNE_OFFICER,
        Role.ELECTION_COMMITTEE,
        Role.FATHERLAND_FRONT,
    }
)
ENFORCEMENT_ROLES = COMMAND_ROLES | {
    Role.DISTRICT_OFFICER,
    Role.COMMUNE_OFFICER,
    Role.HAMLET_HEAD,
    Role.POLICE,
    Role.HEALTH,
}


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    url: str
    active: bool = False
    group: str = ""


@dataclass(frozen=True)
class NavGroup:
    """A drop-down of the main navigation; ``key == ""`` holds the items shown on their own."""

    key: str
    label: str
    items: tuple[NavItem, ...]

    @property
    def active(self) -> bool:
        return any(item.active for item in self.items)


# The menu a page belongs to; keys not listed stand on their own (home).
GROUP_OF: dict[str, str] = {
    "people": "surveillance",
    "cases": "surveillance",
    "tracing": "surveillance",
    "quarantine": "surveillance",
    "declarations": "surveillance",
    "movements": "surveillance",
    "zones": "zones",
    "control_zones": "zones",
    "transport_passes": "zones",
    "checkpoints": "zones",
    "levels": "zones",
    "testing": "testing",
    "labs": "testing",
    "screening": "testing",
    "supplies": "testing",
    "vaccination": "vaccination",
    "coverage": "vaccination",
    "aefi": "vaccination",
    "checkins": "qr",
    "gate": "qr",
    "exposures": "qr",
    "reports": "command",
    "directives": "command",
    "tasks": "command",
    "plans": "command",
    "command_overview": "command",
    "tips": "command",
    "hotlines": "command",
    "travel": "duties",
    "onsite_plans": "duties",
    "worker_passes": "duties",
    "enforcement": "duties",
    "elections": "duties",
    "welfare": "duties",
    "event_check": "duties",
    "geo": "admin",
    "orgs": "admin",
    "followed": "admin",
    "roles": "admin",
    "audit": "admin",
    "admin": "admin",
}


def group_labels() -> dict[str, str]:
    return {
        "surveillance": _("Giám sát"),
        "testing": _("Xét nghiệm"),
        "vaccination": _("Tiêm chủng"),
        "zones": _("Vùng, cấp độ"),
        "qr": _("Mã QR"),
        "command": _("Chỉ đạo"),
        "duties": _("Công vụ"),
        "admin": _("Quản trị"),
    }


def url_or_none(name: str, *args: Any, **kwargs: Any) -> str | None:
    """``reverse(name)``, or None while the page does not exist (another app may add it later)."""
    try:
        return reverse(name, args=args or None, kwargs=kwargs or None)
    except NoReverseMatch:
        return None


def nav_items_for(user: Any, path: str = "") -> list[NavItem]:
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    scope = scope_for(user)
    candidates: list[tuple[str, str, str | None]] = [("home", _("Trang chính"), url_or_none("home"))]
    if scope.everything or scope.unit_paths:
        candidates.append(("overview", _("Tình hình dịch"), url_or_none("dashboard-overview")))
    if not scope.is_empty:
        candidates.append(("people", _("Nhân khẩu"), url_or_none("people:list")))
        candidates.append(("cases", _("Ca bệnh"), url_or_none("cases:list")))
        candidates.append(("tracing", _("Truy vết"), url_or_none("tracing:clusters")))
        candidates.append(("quarantine", _("Cách ly"), url_or_none("quarantine:episodes")))
        candidates.append(("declarations", _("Khai báo y tế"), url_or_none("declarations:list")))
        candidates.append(("movements", _("Di biến động"), url_or_none("movements:list")))
        candidates.append(("testing", _("Chỉ định xét nghiệm"), url_or_none("testing:orders")))
        candidates.append(("labs", _("Phòng xét nghiệm"), url_or_none("testing:labs")))
        candidates.append(("screening", _("Sàng lọc ngẫu nhiên"), url_or_none("screening:campaigns")))
        candidates.append(("supplies", _("Vật tư"), url_or_none("supplies:overview")))
        candidates.append(("vaccination", _("Mũi tiêm"), url_or_none("vaccination:doses")))
        if scope.everything or scope.roles - AREA_LESS_ROLES:
            candidates.append(("coverage", _("Độ bao phủ vắc xin"), url_or_none("vaccination:coverage")))
        candidates.append(("aefi", _("Phản ứng sau tiêm"), url_or_none("vaccination:events")))
        candidates.append(("zones", _("Vùng dịch"), url_or_none("zones:area_list")))
        candidates.append(("control_zones", _("Cách ly, phong tỏa vùng"), url_or_none("zones:control_list")))
        candidates.append(("transport_passes", _("Luồng xanh vận tải"), url_or_none("zones:pass_list")))
        if user.is_superuser or scope.roles & CHECKPOINT_ROLES:
            candidates.append(("checkpoints", _("Chốt kiểm soát"), url_or_none("zones:checkpoint_list")))
        if scope.everything or scope.unit_paths:
            candidates.append(("levels", _("Cấp độ dịch"), url_or_none("levels:overview")))
        candidates.append(("checkins", _("Mã QR"), url_or_none("checkins:index")))
        candidates.append(("gate", _("Trực cổng"), url_or_none("healthpass:gate_select")))
        candidates.append(("exposures", _("Đối chiếu tiếp xúc"), url_or_none("exposures:pending")))
        candidates.append(("reports", _("Báo cáo"), url_or_none("command:reports")))
        candidates.append(("directives", _("Văn bản chỉ đạo"), url_or_none("command:directives")))
        candidates.append(("tasks", _("Nhiệm vụ được giao"), url_or_none("command:tasks")))
        candidates.append(("plans", _("Phương án theo cấp độ"), url_or_none("command:plans_missing")))
        if user.is_superuser or scope.roles & COMMAND_ROLES:
            candidates.append(("command_overview", _("Tổng hợp thực hiện chỉ đạo"), url_or_none("command:overview")))
        candidates.append(("tips", _("Tin báo"), url_or_none("hotlines:tips")))
        candidates.append(("hotlines", _("Đường dây nóng, đội phản ứng"), url_or_none("hotlines:directory")))
    # Every official files their own trips; heads see their staff's.
    candidates.append(("travel", _("Đi ngoài tỉnh"), url_or_none("travel:list")))
    if user.is_superuser or scope.roles & WORKFORCE_ROLES:
        candidates.append(("onsite_plans", _("Phương án 3 tại chỗ"), url_or_none("travel:plans")))
        candidates.append(("worker_passes", _("Lao động ra, vào tỉnh"), url_or_none("travel:passes")))
    if user.is_superuser or scope.roles & ENFORCEMENT_ROLES:
        candidates.append(("enforcement", _("Kiểm tra, xử lý vi phạm"), url_or_none("enforcement:index")))
    if user.is_superuser or scope.roles & WELFARE_ROLES:
        candidates.append(("elections", _("Bầu cử"), url_or_none("welfare:elections")))
        candidates.append(("welfare", _("Ủng hộ, hỗ trợ, kinh phí"), url_or_none("welfare:donations")))
    if not scope.is_empty:
        candidates.append(("event_check", _("Rà soát danh sách dự sự kiện"), url_or_none("welfare:event-check")))
    candidates.append(("geo", _("Địa bàn"), url_or_none("geo:index")))
    candidates.append(("orgs", _("Cơ quan"), url_or_none("orgs:list")))
    if user.is_superuser or scope.roles & FOLLOWER_ROLES:
        candidates.append(("followed", _("Theo dõi"), url_or_none("orgs:followed")))
    if can_manage_roles(user):
        candidates.append(("roles", _("Phân quyền"), url_or_none("orgs:roles")))
    if can_read_audit(user):
        candidates.append(("audit", _("Nhật ký"), url_or_none("audit_search")))
    if user.is_superuser:
        candidates.append(("admin", _("Quản trị"), url_or_none("admin:index")))
    present = [(key, label, url) for key, label, url in candidates if url is not None]
    # The current page is the item with the longest matching address (/orgs/roles/ is not /orgs/).
    matches = [url for _k, _l, url in present if (path == url if url == "/" else path.startswith(url))]
    current = max(matches, key=len, default=None)
    return [
        NavItem(key=key, label=label, url=url, active=url == current, group=GROUP_OF.get(key, ""))
        for key, label, url in present
    ]


def nav_groups_for(items: list[NavItem]) -> list[NavGroup]:
    """The items in menus, in the order their first item appears; a menu of one item is a plain link."""
    labels = group_labels()
    order: list[str] = []
    members: dict[str, list[NavItem]] = {}
    for item in items:
        slot = item.group or f"_{item.key}"
        if slot not in members:
            order.append(slot)
            members[slot] = []
        members[slot].append(item)
    groups = []
    for slot in order:
        found = members[slot]
        if slot.startswith("_") or len(found) == 1:
            groups.append(NavGroup(key="", label=found[0].label, items=tuple(found)))
        else:
            groups.append(NavGroup(key=slot, label=labels[slot], items=tuple(found)))
    return groups


def nav(request: HttpRequest) -> dict[str, Any]:
    items = nav_items_for(getattr(request, "user", None), request.path)
    return {"nav_items": items, "nav_groups": nav_groups_for(items)}
