"""What each role must see and do today: the panels of the home page, computed from data (D5).

Every count goes through the user's scope; people counts are capped so that a home page
stays fast at a million people.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from phongdich.core.models import AuditLog, User
from phongdich.geo.models import Level, Unit
from phongdich.orgs import selectors as org_selectors
from phongdich.orgs.models import FollowAssignment, Organisation, Role, RoleAssignment, Sector
from phongdich.orgs.permissions import FOLLOWER_ROLES
from phongdich.orgs.scope import scope_for
from phongdich.people.models import Person

from .context_processors import url_or_none

# Above this, a count shows as "more than …": counting every row of a large province is not free.
COUNT_CAP = 100_000


@dataclass(frozen=True)
class CappedCount:
    value: int
    capped: bool

    def __str__(self) -> str:
        return f"{self.value:,}".replace(",", ".") + ("+" if self.capped else "")


def capped_count(qs: QuerySet[Any], cap: int = COUNT_CAP) -> CappedCount:
    n = qs.order_by()[: cap + 1].count()
    return CappedCount(min(n, cap), n > cap)


@dataclass(frozen=True)
class Todo:
    """One item of today's checklist: what to do, where, and whether it is already done."""

    text: str
    url: str | None = None
    done: bool = False


@dataclass
class Link:
    label: str
    url: str


@dataclass
class Panel:
    """One block of the home page for one role assignment (or one group of them)."""

    kind: str
    title: str
    facts: list[tuple[str, Any]] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    rows: list[Any] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Home:
    roles: list[RoleAssignment]
    people: CappedCount | None
    panels: list[Panel]
    todos: list[Todo]

    @property
    def open_todos(self) -> int:
        return sum(1 for t in self.todos if not t.done)


def _count_todo(n: int, open_text: str, done_text: str, url: str | None) -> Todo:
    """A checklist item about ``n`` things still to do; once none is left it reads as done."""
    return Todo(open_text if n else done_text, url if n else None, done=n == 0)


def _people(user: Any) -> Any:
    return Person.objects.for_user(user).active()


def _link(label: str, name: str, *args: Any, query: str = "") -> list[Link]:
    url = url_or_none(name, *args)
    return [Link(label, f"{url}?{query}" if query and url else url)] if url else []


def people_list_url(unit: Unit | None = None) -> str | None:
    """The people list, filtered to ``unit`` when it is a commune (the filter the list offers)."""
    url = url_or_none("people:list")
    if url and unit is not None and unit.level == Level.COMMUNE:
        return f"{url}?unit={unit.uid}"
    return url


def _url_link(label: str, url: str | None) -> list[Link]:
    return [Link(label, url)] if url else []


def _people_in(unit: Unit, user: Any) -> CappedCount:
    return capped_count(
        _people(user).filter(residence_unit__tree=unit.tree, residence_unit__path__startswith=unit.path)
    )


def _orgs_in(unit: Unit) -> QuerySet[Organisation]:
    return Organisation.objects.filter(unit__tree=unit.tree, unit__path__startswith=unit.path)


def _hamlets_without_head(commune: Unit) -> QuerySet[Unit]:
    head = RoleAssignment.objects.active().filter(role=Role.HAMLET_HEAD, unit=OuterRef("pk"))
    return (
        Unit.objects.filter(parent=commune, level=Level.HAMLET).annotate(has_head=Exists(head)).filter(has_head=False)
    )


# --- Panels per role -----------------------------------------------------------------------------


def commune_panel(user: Any, commune: Unit, todos: list[Todo]) -> Panel:
    hamlets = Unit.objects.filter(parent=commune, level=Level.HAMLET).order_by("code")
    hamlet_count = hamlets.count()
    people = _people_in(commune, user)
    orgs = _orgs_in(commune)
    without_premises = org_selectors.organisations_without_premises(orgs).count()
    without_head = _hamlets_without_head(commune).count()
    unit_q = f"unit={commune.uid}"
    panel = Panel(
        kind="commune",
        title=commune.name,
        facts=[
            (_("Xóm, tổ dân phố"), hamlet_count),
            (_("Nhân khẩu đã đăng ký"), people),
            (_("Cơ quan, đơn vị trên địa bàn"), orgs.count()),
        ],
        links=[
            *_url_link(_("Danh sách nhân khẩu"), people_list_url(commune)),
            *_link(_("Thêm nhân khẩu"), "people:create"),
            *_link(_("Nhập nhân khẩu từ tệp"), "people:import"),
            *_hamlet_add_link(commune),
            *_link(_("Nhập xóm, tổ dân phố từ tệp"), "geo:hamlet_import", commune.uid),
            *_link(_("Cơ quan, đơn vị"), "orgs:list", query=unit_q),
        ],
        rows=list(hamlets[:30]),
    )
    hamlet_url = _hamlet_add_url(commune)
    name = commune.name
    todos.append(Todo(_("Khai báo xóm, tổ dân phố của %(unit)s") % {"unit": name}, hamlet_url, done=hamlet_count > 0))
    if hamlet_count:
        todos.append(
            _count_todo(
                without_head,
                ngettext(
                    "%(n)d xóm, tổ dân phố của %(unit)s chưa có trưởng xóm được phân quyền",
                    "%(n)d xóm, tổ dân phố của %(unit)s chưa có trưởng xóm được phân quyền",
                    without_head,
                )
                % {"n": without_head, "unit": name},
                _("Mọi xóm, tổ dân phố của %(unit)s đã có trưởng xóm được phân quyền") % {"unit": name},
                None,
            )
        )
    todos.append(
        Todo(
            _("Cập nhật danh sách nhân khẩu của %(unit)s") % {"unit": name},
            url_or_none("people:import") or url_or_none("people:create"),
            done=people.value > 0,
        )
    )
    if without_premises:
        todos.append(
            Todo(
                ngettext(
                    "Đôn đốc %(n)d cơ quan, đơn vị trên địa bàn khai báo địa điểm",
                    "Đôn đốc %(n)d cơ quan, đơn vị trên địa bàn khai báo địa điểm",
                    without_premises,
                )
                % {"n": without_premises},
                _with_query(url_or_none("orgs:list"), unit_q),
            )
        )
    return panel


def _hamlet_add_url(commune: Unit) -> str | None:
    # The commune's page carries the add-a-hamlet form (geo app).
    return url_or_none("geo:unit", commune.uid)


def _hamlet_add_link(commune: Unit) -> list[Link]:
    url = _hamlet_add_url(commune)
    return [Link(_("Thêm xóm, tổ dân phố"), url)] if url else []


def _with_query(url: str | None, query: str) -> str | None:
    return f"{url}?{query}" if url else None


def hamlet_panel(user: Any, hamlet: Unit, todos: list[Todo]) -> Panel:
    residents = _people_in(hamlet, user)
    latest = list(
        _people(user)
        .filter(residence_unit=hamlet)
        .only("uid", "full_name", "birth_year", "address")
        .order_by("-id")[:10]
    )
    todos.append(
        Todo(
            _("Khai báo nhân khẩu của %(unit)s") % {"unit": hamlet.name},
            url_or_none("people:create"),
            done=residents.value > 0,
        )
    )
    return Panel(
        kind="hamlet",
        title=hamlet.name,
        facts=[(_("Nhân khẩu"), residents), (_("Thuộc"), hamlet.parent.name if hamlet.parent else "")],
        links=[
            *_url_link(_("Danh sách nhân khẩu"), people_list_url()),
            *_link(_("Thêm nhân khẩu"), "people:create"),
        ],
        rows=latest,
    )


def organisation_panel(user: Any, org: Organisation, todos: list[Todo]) -> Panel:
    compliance = org_selectors.organisation_compliance(org)
    detail = url_or_none("orgs:detail", org.uid)
    premises_url = url_or_none("orgs:premises_create", org.uid)
    name = org.name
    todos.append(Todo(_("Khai báo địa điểm của %(org)s") % {"org": name}, premises_url, compliance.premises_count > 0))
    todos.append(
        Todo(
            _("Ghi nhận thủ trưởng của %(org)s trong danh sách cán bộ") % {"org": name},
            url_or_none("people:create"),
            compliance.head is not None,
        )
    )
    todos.append(
        Todo(
            _("Đăng ký danh sách cán bộ, nhân viên của %(org)s") % {"org": name},
            url_or_none("people:import"),
            compliance.staff_count > 0,
        )
    )
    if compliance.children_without_head:
        todos.append(
            Todo(
                ngettext(
                    "%(n)d đơn vị trực thuộc chưa có thủ trưởng",
                    "%(n)d đơn vị trực thuộc chưa có thủ trưởng",
                    len(compliance.children_without_head),
                )
                % {"n": len(compliance.children_without_head)},
                detail,
            )
        )
    return Panel(
        kind="organisation",
        title=name,
        facts=[
            (_("Cán bộ, nhân viên"), compliance.staff_count),
            (_("Địa điểm"), compliance.premises_count),
            (_("Đơn vị trực thuộc"), compliance.children_count),
        ],
        links=[
            *_link(_("Xem đơn vị"), "orgs:detail", org.uid),
            *_link(_("Khai báo địa điểm"), "orgs:premises_create", org.uid),
        ],
        rows=list(org.premises.filter(is_active=True).select_related("unit").order_by("name")[:20]),
        extra={"compliance": compliance, "org": org},
    )


def follow_panel(user: Any, todos: list[Todo]) -> Panel:
    rows = []
    for fa in FollowAssignment.objects.filter(user=user).select_related("unit").order_by("unit__path", "sector"):
        row: dict[str, Any] = {
            "assignment": fa,
            "unit": fa.unit,
            "sector": fa.get_sector_display() if fa.sector else "",
        }
        if fa.unit is not None:
            row["people"] = _people_in(fa.unit, user)
            row["people_url"] = (
                people_list_url(fa.unit) if fa.unit.level == Level.COMMUNE else url_or_none("geo:unit", fa.unit.uid)
            )
            orgs = org_selectors.organisations_for(user).filter(
                unit__tree=fa.unit.tree, unit__path__startswith=fa.unit.path
            )
        else:
            orgs = org_selectors.organisations_for(user)
        if fa.sector:
            orgs = orgs.filter(sector=fa.sector)
        row["organisations"] = orgs.count()
        query = "&".join(
            q for q in (f"unit={fa.unit.uid}" if fa.unit else "", f"sector={fa.sector}" if fa.sector else "") if q
        )
        row["orgs_url"] = _with_query(url_or_none("orgs:list"), query)
        rows.append(row)
    todos.append(
        Todo(
            _("Được phân công địa bàn, lĩnh vực theo dõi (liên hệ quản trị hệ thống của tỉnh)"),
            url_or_none("orgs:followed"),
            done=bool(rows),
        )
    )
    return Panel(
        kind="follow",
        title=_("Địa bàn, lĩnh vực theo dõi"),
        links=_link(_("Xem phần việc theo dõi"), "orgs:followed"),
        rows=rows,
    )


# Sector roles act on a territory through the organisations of their sector.
SECTOR_PANEL_ROLES = frozenset(
    {Role.HEALTH, Role.POLICE, Role.MILITARY, Role.ELECTION_COMMITTEE, Role.FATHERLAND_FRONT}
)
ROLE_SECTORS = {
    Role.HEALTH: Sector.HEALTH,
    Role.POLICE: Sector.SECURITY,
    Role.MILITARY: Sector.DEFENCE,
}


def sector_panel(user: Any, ra: RoleAssignment, todos: list[Todo]) -> Panel:
    """Health, police, military, election committee, Fatherland Front over a unit."""
    unit = ra.unit
    assert unit is not None
    sector = ROLE_SECTORS.get(Role(ra.role))
    orgs = _orgs_in(unit).filter(is_active=True)
    query = f"unit={unit.uid}"
    if sector is not None:
        orgs = orgs.filter(sector=sector)
        query += f"&sector={sector.value}"
        label = str(sector.label)
        without_premises = org_selectors.organisations_without_premises(orgs).count()
        todos.append(
            _count_todo(
                without_premises,
                ngettext(
                    "%(n)d cơ quan, đơn vị ngành %(sector)s chưa khai báo địa điểm",
                    "%(n)d cơ quan, đơn vị ngành %(sector)s chưa khai báo địa điểm",
                    without_premises,
                )
                % {"n": without_premises, "sector": label},
                _("Mọi cơ quan, đơn vị ngành %(sector)s đã khai báo địa điểm") % {"sector": label},
                _with_query(url_or_none("orgs:list"), query),
            )
        )
    return Panel(
        kind="sector",
        title=f"{Role(ra.role).label} — {unit.name}",
        facts=[
            (_("Nhân khẩu trên địa bàn"), _people_in(unit, user)),
            (_("Cơ quan, đơn vị của ngành") if sector else _("Cơ quan, đơn vị"), orgs.count()),
        ],
        links=[
            *_url_link(_("Danh sách nhân khẩu"), people_list_url(unit)),
            *_link(_("Cơ quan, đơn vị"), "orgs:list", query=query),
        ],
        rows=list(orgs.select_related("unit").order_by("name_folded")[:15]),
    )


def district_panel(user: Any, district: Unit, todos: list[Todo]) -> Panel:
    communes = Unit.objects.filter(parent=district, level=Level.COMMUNE)
    hamlet = Unit.objects.filter(parent=OuterRef("pk"), level=Level.HAMLET)
    lacking = communes.annotate(h=Exists(hamlet)).filter(h=False).order_by("code")
    without_hamlets = lacking.count()
    orgs = _orgs_in(district)
    without_premises = org_selectors.organisations_without_premises(orgs).count()
    unit_q = f"unit={district.uid}"
    if without_hamlets:
        todos.append(
            Todo(
                ngettext(
                    "%(n)d xã, phường chưa khai báo xóm, tổ dân phố",
                    "%(n)d xã, phường chưa khai báo xóm, tổ dân phố",
                    without_hamlets,
                )
                % {"n": without_hamlets},
                url_or_none("geo:index"),
            )
        )
    if without_premises:
        todos.append(
            Todo(
                ngettext(
                    "Đôn đốc %(n)d cơ quan, đơn vị khai báo địa điểm",
                    "Đôn đốc %(n)d cơ quan, đơn vị khai báo địa điểm",
                    without_premises,
                )
                % {"n": without_premises},
                _with_query(url_or_none("orgs:list"), unit_q),
            )
        )
    return Panel(
        kind="district",
        title=district.name,
        facts=[
            (_("Xã, phường, thị trấn"), communes.count()),
            (_("Nhân khẩu đã đăng ký"), _people_in(district, user)),
            (_("Cơ quan, đơn vị"), orgs.count()),
        ],
        links=[
            *_url_link(_("Danh sách nhân khẩu"), people_list_url()),
            *_link(_("Cơ quan, đơn vị"), "orgs:list", query=unit_q),
            *_link(_("Thêm cơ quan, đơn vị"), "orgs:create"),
        ],
        rows=list(lacking[:30]),
    )


def admin_panel(user: Any, todos: list[Todo]) -> Panel:
    users_total = User.objects.filter(is_active=True).count()
    has_role = RoleAssignment.objects.active().filter(user=OuterRef("pk"))
    without_role = User.objects.filter(is_active=True, is_superuser=False).annotate(r=Exists(has_role)).filter(r=False)
    without_role_count = without_role.count()
    followers = User.objects.filter(role_assignments__role__in=FOLLOWER_ROLES, is_active=True).distinct()
    followers_unassigned = (
        followers.annotate(f=Exists(FollowAssignment.objects.filter(user=OuterRef("pk")))).filter(f=False).count()
    )
    all_orgs = Organisation.objects.filter(is_active=True)
    orgs_without_head = org_selectors.organisations_without_head(all_orgs).count()
    orgs_without_premises = org_selectors.organisations_without_premises(all_orgs).count()
    communes = Unit.objects.filter(tree=settings.ADMIN_TREE, level=Level.COMMUNE)
    communes_without_hamlets = (
        communes.annotate(h=Exists(Unit.objects.filter(parent=OuterRef("pk"), level=Level.HAMLET)))
        .filter(h=False)
        .count()
    )

    roles_url = url_or_none("orgs:roles")
    todos.append(
        _count_todo(
            without_role_count,
            ngettext(
                "%(n)d tài khoản chưa được giao vai trò",
                "%(n)d tài khoản chưa được giao vai trò",
                without_role_count,
            )
            % {"n": without_role_count},
            _("Mọi tài khoản đã được giao vai trò"),
            roles_url,
        )
    )
    todos.append(
        _count_todo(
            followers_unassigned,
            ngettext(
                "Phân công địa bàn, lĩnh vực theo dõi cho %(n)d ủy viên",
                "Phân công địa bàn, lĩnh vực theo dõi cho %(n)d ủy viên",
                followers_unassigned,
            )
            % {"n": followers_unassigned},
            _("Mọi ủy viên đã được phân công theo dõi"),
            url_or_none("orgs:follows"),
        )
    )
    todos.append(
        _count_todo(
            orgs_without_head,
            ngettext(
                "%(n)d cơ quan, đơn vị chưa ghi nhận thủ trưởng",
                "%(n)d cơ quan, đơn vị chưa ghi nhận thủ trưởng",
                orgs_without_head,
            )
            % {"n": orgs_without_head},
            _("Mọi cơ quan, đơn vị đã ghi nhận thủ trưởng"),
            url_or_none("orgs:list"),
        )
    )
    todos.append(
        _count_todo(
            orgs_without_premises,
            ngettext(
                "%(n)d cơ quan, đơn vị chưa khai báo địa điểm",
                "%(n)d cơ quan, đơn vị chưa khai báo địa điểm",
                orgs_without_premises,
            )
            % {"n": orgs_without_premises},
            _("Mọi cơ quan, đơn vị đã khai báo địa điểm"),
            url_or_none("orgs:list"),
        )
    )
    todos.append(
        _count_todo(
            communes_without_hamlets,
            ngettext(
                "%(n)d xã, phường chưa khai báo xóm, tổ dân phố",
                "%(n)d xã, phường chưa khai báo xóm, tổ dân phố",
                communes_without_hamlets,
            )
            % {"n": communes_without_hamlets},
            _("Mọi xã, phường đã khai báo xóm, tổ dân phố"),
            url_or_none("geo:index"),
        )
    )
    counts = [(label, n) for _r, label, n in org_selectors.role_counts() if n]
    recent = list(AuditLog.objects.order_by("-id")[:10])
    return Panel(
        kind="admin",
        title=_("Quản trị hệ thống cấp tỉnh"),
        facts=[
            (_("Tài khoản đang hoạt động"), users_total),
            (_("Tài khoản chưa có vai trò"), without_role_count),
            (_("Cơ quan, đơn vị"), all_orgs.count()),
        ],
        links=[
            *_link(_("Phân quyền"), "orgs:roles"),
            *_link(_("Phân công theo dõi"), "orgs:follows"),
            *_link(_("Nhật ký truy cập"), "audit_search"),
            *_link(_("Nhập nhân khẩu từ tệp"), "people:import"),
            *_link(_("Nhập dân số theo đơn vị hành chính"), "geo:population_import"),
            *_link(_("Thêm cơ quan, đơn vị"), "orgs:create"),
        ],
        rows=recent,
        extra={"role_counts": counts},
    )


# --- The home page ---------------------------------------------------------------------------------


def home_for(user: Any) -> Home:
    """The home page of ``user``: one panel per role they hold, and today's checklist."""
    roles = list(org_selectors.roles_of(user))
    scope = scope_for(user)
    todos: list[Todo] = []
    panels: list[Panel] = []
    held = {ra.role for ra in roles}

    if user.is_superuser or Role.PROVINCE_ADMIN in held:
        panels.append(admin_panel(user, todos))
    if held & FOLLOWER_ROLES:
        panels.append(follow_panel(user, todos))
    for ra in roles:
        if ra.role == Role.DISTRICT_OFFICER and ra.unit is not None:
            panels.append(district_panel(user, ra.unit, todos))
        elif ra.role == Role.COMMUNE_OFFICER and ra.unit is not None:
            panels.append(commune_panel(user, ra.unit, todos))
        elif ra.role == Role.HAMLET_HEAD and ra.unit is not None:
            panels.append(hamlet_panel(user, ra.unit, todos))
        elif ra.role == Role.ORGANISATION_HEAD and ra.organisation is not None:
            panels.append(organisation_panel(user, ra.organisation, todos))
        elif ra.role in SECTOR_PANEL_ROLES and ra.unit is not None:
            panels.append(sector_panel(user, ra, todos))
    people = None if scope.is_empty else capped_count(_people(user))
    return Home(roles=roles, people=people, panels=panels, todos=todos)
