"""What the demo builds: the organisations the seed directives name, hamlets, and the logins.

Public bodies carry their real names (they are public institutions); every enterprise name
is invented. Premises sit in the commune where the body works; an organisation's ``unit`` is
its jurisdiction (the province for provincial bodies, the commune for an enterprise).
"""

from __future__ import annotations

from dataclasses import dataclass

from phongdich.orgs.models import OrganisationKind as Kind
from phongdich.orgs.models import Premises, Role, Sector

PROVINCE_CODE = "19"
TREE = "2021"
# Communes (GSO 2021 codes) the catalogue refers to.
QUAN_TRIEU = "05431"  # Phường Quán Triều, Thành phố Thái Nguyên
TRUNG_VUONG = "05443"  # Phường Trưng Vương
HOANG_VAN_THU = "05440"  # Phường Hoàng Văn Thụ
QUANG_TRUNG = "05446"  # Phường Quang Trung
PHAN_DINH_PHUNG = "05449"  # Phường Phan Đình Phùng
TAN_THINH = "05452"  # Phường Tân Thịnh
DONG_TIEN = "05878"  # Phường Đồng Tiến, Thị xã Phổ Yên (Khu công nghiệp Yên Bình)
DIEM_THUY = "05941"  # Xã Điềm Thụy, Huyện Phú Bình (Khu công nghiệp Điềm Thụy)
PHUC_XUAN = "05488"  # Xã Phúc Xuân, Thành phố Thái Nguyên
CHO_CHU = "05536"  # Thị trấn Chợ Chu, Huyện Định Hóa
CITY = "164"  # Thành phố Thái Nguyên
PHO_YEN = "172"  # Thị xã Phổ Yên
PHU_BINH = "173"  # Huyện Phú Bình

OFFICE_AND_GATE: tuple[tuple[str, str], ...] = (
    ("Trụ sở chính", Premises.Kind.OFFICE),
    ("Cổng chính", Premises.Kind.GATE),
)
FACTORY: tuple[tuple[str, str], ...] = (
    *OFFICE_AND_GATE,
    ("Xưởng sản xuất số 1", Premises.Kind.WORKSHOP),
    ("Dây chuyền lắp ráp số 2", Premises.Kind.WORKSHOP),
    ("Dây chuyền lắp ráp số 3", Premises.Kind.WORKSHOP),
    ("Nhà ăn ca", Premises.Kind.CANTEEN),
)
HOSPITAL: tuple[tuple[str, str], ...] = (
    *OFFICE_AND_GATE,
    ("Khoa Khám bệnh", Premises.Kind.RECEPTION),
    ("Khu điều trị bệnh nhân COVID-19", Premises.Kind.OTHER),
)
AGENCY: tuple[tuple[str, str], ...] = (
    *OFFICE_AND_GATE,
    ("Phòng họp số 1", Premises.Kind.MEETING_ROOM),
    ("Bộ phận một cửa", Premises.Kind.RECEPTION),
)


@dataclass(frozen=True)
class OrgSpec:
    """One organisation of the demo.

    ``unit``: a GSO code, or ``"province"``; ``site``: the commune where its premises are;
    ``weight``: its relative size as an employer of the synthetic population.
    """

    key: str
    name: str
    kind: str
    unit: str
    site: str
    sector: str = ""
    parent: str = ""
    short_name: str = ""
    address: str = ""
    weight: float = 1.0
    premises: tuple[tuple[str, str], ...] = OFFICE_AND_GATE
    head_title: str = "Giám đốc"


PROVINCIAL: tuple[OrgSpec, ...] = (
    OrgSpec(
        "tinh_uy",
        "Tỉnh ủy Thái Nguyên",
        Kind.PARTY_COMMITTEE,
        "province",
        TRUNG_VUONG,
        Sector.PARTY,
        head_title="Bí thư",
        weight=2,
        premises=AGENCY,
    ),
    OrgSpec(
        "ubnd_tinh",
        "UBND tỉnh Thái Nguyên",
        Kind.PEOPLES_COMMITTEE,
        "province",
        TRUNG_VUONG,
        Sector.ECONOMY,
        short_name="UBND tỉnh",
        head_title="Chủ tịch",
        weight=2,
        premises=AGENCY,
    ),
    OrgSpec(
        "bcd_tinh",
        "Ban Chỉ đạo phòng, chống dịch COVID-19 tỉnh Thái Nguyên",
        Kind.STEERING_COMMITTEE,
        "province",
        TRUNG_VUONG,
        Sector.HEALTH,
        parent="ubnd_tinh",
        short_name="BCĐ tỉnh",
        head_title="Trưởng ban",
        weight=0.5,
    ),
    OrgSpec(
        "so_y_te",
        "Sở Y tế tỉnh Thái Nguyên",
        Kind.DEPARTMENT,
        "province",
        PHAN_DINH_PHUNG,
        Sector.HEALTH,
        parent="ubnd_tinh",
        short_name="Sở Y tế",
        weight=2,
        premises=AGENCY,
    ),
    OrgSpec(
        "cdc",
        "Trung tâm Kiểm soát bệnh tật tỉnh Thái Nguyên",
        Kind.HEALTH_AGENCY,
        "province",
        PHAN_DINH_PHUNG,
        Sector.HEALTH,
        parent="so_y_te",
        short_name="CDC Thái Nguyên",
        weight=3,
        premises=(*OFFICE_AND_GATE, ("Phòng xét nghiệm", Premises.Kind.OTHER)),
    ),
    OrgSpec(
        "cong_an",
        "Công an tỉnh Thái Nguyên",
        Kind.POLICE,
        "province",
        TRUNG_VUONG,
        Sector.SECURITY,
        short_name="Công an tỉnh",
        weight=8,
        premises=AGENCY,
    ),
    OrgSpec(
        "quan_su",
        "Bộ Chỉ huy Quân sự tỉnh Thái Nguyên",
        Kind.MILITARY,
        "province",
        TAN_THINH,
        Sector.DEFENCE,
        short_name="Bộ CHQS tỉnh",
        head_title="Chỉ huy trưởng",
        weight=5,
    ),
    OrgSpec(
        "so_tttt",
        "Sở Thông tin và Truyền thông tỉnh Thái Nguyên",
        Kind.DEPARTMENT,
        "province",
        TRUNG_VUONG,
        Sector.INFORMATION,
        parent="ubnd_tinh",
        short_name="Sở TT&TT",
        weight=1,
    ),
    OrgSpec(
        "so_tai_chinh",
        "Sở Tài chính tỉnh Thái Nguyên",
        Kind.DEPARTMENT,
        "province",
        TRUNG_VUONG,
        Sector.FINANCE,
        parent="ubnd_tinh",
        short_name="Sở Tài chính",
        weight=1,
    ),
    OrgSpec(
        "so_gddt",
        "Sở Giáo dục và Đào tạo tỉnh Thái Nguyên",
        Kind.DEPARTMENT,
        "province",
        HOANG_VAN_THU,
        Sector.EDUCATION,
        parent="ubnd_tinh",
        short_name="Sở GD&ĐT",
        weight=1,
    ),
    OrgSpec(
        "so_khcn",
        "Sở Khoa học và Công nghệ tỉnh Thái Nguyên",
        Kind.DEPARTMENT,
        "province",
        HOANG_VAN_THU,
        Sector.ECONOMY,
        parent="ubnd_tinh",
        short_name="Sở KH&CN",
        weight=1,
    ),
    OrgSpec(
        "so_cong_thuong",
        "Sở Công Thương tỉnh Thái Nguyên",
        Kind.DEPARTMENT,
        "province",
        TRUNG_VUONG,
        Sector.ECONOMY,
        parent="ubnd_tinh",
        short_name="Sở Công Thương",
        weight=1,
    ),
    OrgSpec(
        "qltt",
        "Cục Quản lý thị trường tỉnh Thái Nguyên",
        Kind.DEPARTMENT,
        "province",
        QUANG_TRUNG,
        Sector.ECONOMY,
        short_name="Cục QLTT",
        head_title="Cục trưởng",
        weight=1,
    ),
    OrgSpec(
        "dhtn",
        "Đại học Thái Nguyên",
        Kind.UNIVERSITY,
        "province",
        TAN_THINH,
        Sector.EDUCATION,
        short_name="ĐHTN",
        weight=10,
        premises=(*OFFICE_AND_GATE, ("Ký túc xá sinh viên", Premises.Kind.OTHER)),
    ),
    OrgSpec(
        "bv_tw",
        "Bệnh viện Trung ương Thái Nguyên",
        Kind.HOSPITAL,
        "province",
        QUANG_TRUNG,
        Sector.HEALTH,
        short_name="BVTW Thái Nguyên",
        weight=10,
        premises=HOSPITAL,
    ),
    OrgSpec(
        "mttq",
        "Ủy ban MTTQ Việt Nam tỉnh Thái Nguyên",
        Kind.FATHERLAND_FRONT,
        "province",
        TRUNG_VUONG,
        Sector.SOCIAL,
        short_name="MTTQ tỉnh",
        head_title="Chủ tịch",
        weight=1,
    ),
    OrgSpec(
        "ubbc",
        "Ủy ban bầu cử tỉnh Thái Nguyên",
        Kind.OTHER,
        "province",
        TRUNG_VUONG,
        Sector.SOCIAL,
        short_name="UBBC tỉnh",
        head_title="Chủ tịch",
        weight=0.3,
    ),
)

LOCAL: tuple[OrgSpec, ...] = (
    OrgSpec(
        "ubnd_quan_trieu",
        "UBND phường Quán Triều",
        Kind.PEOPLES_COMMITTEE,
        QUAN_TRIEU,
        QUAN_TRIEU,
        parent="ubnd_164",
        head_title="Chủ tịch",
        weight=0.5,
        premises=AGENCY,
    ),
    OrgSpec(
        "th_quan_trieu",
        "Trường Tiểu học Quán Triều",
        Kind.SCHOOL,
        QUAN_TRIEU,
        QUAN_TRIEU,
        Sector.EDUCATION,
        head_title="Hiệu trưởng",
        weight=1.5,
        premises=(("Văn phòng nhà trường", Premises.Kind.OFFICE), ("Cổng trường", Premises.Kind.GATE)),
    ),
    OrgSpec(
        "thcs_dong_tien",
        "Trường THCS Đồng Tiến",
        Kind.SCHOOL,
        DONG_TIEN,
        DONG_TIEN,
        Sector.EDUCATION,
        head_title="Hiệu trưởng",
        weight=1.5,
        premises=(("Văn phòng nhà trường", Premises.Kind.OFFICE), ("Cổng trường", Premises.Kind.GATE)),
    ),
    OrgSpec(
        "kcn_yen_binh",
        "Khu công nghiệp Yên Bình",
        Kind.INDUSTRIAL_PARK,
        DONG_TIEN,
        DONG_TIEN,
        Sector.INDUSTRY,
        short_name="KCN Yên Bình",
        address="Phường Đồng Tiến, thị xã Phổ Yên",
        head_title="Trưởng ban quản lý",
        weight=1,
        premises=(("Văn phòng ban quản lý", Premises.Kind.OFFICE), ("Cổng số 1", Premises.Kind.GATE)),
    ),
    OrgSpec(
        "minh_phat",
        "Công ty TNHH Điện tử Minh Phát",
        Kind.ENTERPRISE,
        DONG_TIEN,
        DONG_TIEN,
        Sector.INDUSTRY,
        parent="kcn_yen_binh",
        short_name="Điện tử Minh Phát",
        address="Lô CN-03, KCN Yên Bình, phường Đồng Tiến, thị xã Phổ Yên",
        weight=12,
        premises=FACTORY,
    ),
    OrgSpec(
        "quang_hung",
        "Công ty TNHH Linh kiện Quang Hưng",
        Kind.ENTERPRISE,
        DONG_TIEN,
        DONG_TIEN,
        Sector.INDUSTRY,
        parent="kcn_yen_binh",
        address="Lô CN-07, KCN Yên Bình, phường Đồng Tiến, thị xã Phổ Yên",
        weight=8,
        premises=FACTORY,
    ),
    OrgSpec(
        "hong_lam",
        "Công ty Cổ phần May mặc Hồng Lam",
        Kind.ENTERPRISE,
        DONG_TIEN,
        DONG_TIEN,
        Sector.INDUSTRY,
        parent="kcn_yen_binh",
        address="Lô CN-12, KCN Yên Bình, phường Đồng Tiến, thị xã Phổ Yên",
        weight=6,
        premises=FACTORY,
    ),
    OrgSpec(
        "kcn_diem_thuy",
        "Khu công nghiệp Điềm Thụy",
        Kind.INDUSTRIAL_PARK,
        DIEM_THUY,
        DIEM_THUY,
        Sector.INDUSTRY,
        short_name="KCN Điềm Thụy",
        address="Xã Điềm Thụy, huyện Phú Bình",
        head_title="Trưởng ban quản lý",
        weight=1,
        premises=(("Văn phòng ban quản lý", Premises.Kind.OFFICE), ("Cổng số 1", Premises.Kind.GATE)),
    ),
    OrgSpec(
        "tan_an_phu",
        "Công ty TNHH Cơ khí Tân An Phú",
        Kind.ENTERPRISE,
        DIEM_THUY,
        DIEM_THUY,
        Sector.INDUSTRY,
        parent="kcn_diem_thuy",
        address="Lô B2, KCN Điềm Thụy, xã Điềm Thụy, huyện Phú Bình",
        weight=5,
        premises=FACTORY,
    ),
    OrgSpec(
        "viet_thai",
        "Công ty TNHH Bao bì Việt Thái Sơn",
        Kind.ENTERPRISE,
        DIEM_THUY,
        DIEM_THUY,
        Sector.INDUSTRY,
        parent="kcn_diem_thuy",
        address="Lô C5, KCN Điềm Thụy, xã Điềm Thụy, huyện Phú Bình",
        weight=4,
        premises=FACTORY,
    ),
)

# Hamlets (xóm, tổ dân phố) added to a few communes: (commune code, hamlet type, names).
HAMLETS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (QUAN_TRIEU, "to_dan_pho", tuple(f"Tổ dân phố {n}" for n in range(1, 9))),
    (
        DONG_TIEN,
        "to_dan_pho",
        (
            "Tổ dân phố Yên Trung",
            "Tổ dân phố Tân Lập",
            "Tổ dân phố Đồng Tâm",
            "Tổ dân phố Thống Nhất",
            "Tổ dân phố Trung Tâm",
            "Tổ dân phố Hòa Bình",
        ),
    ),
    (
        DIEM_THUY,
        "xom",
        ("Xóm Đồng Bầu", "Xóm Cây Thị", "Xóm Tiền Phong", "Xóm Soi Đình", "Xóm Gốc Gạo", "Xóm Ao Sen", "Xóm Làng Mới"),
    ),
    (PHUC_XUAN, "xom", ("Xóm Khuôn Lăn", "Xóm Cầu Mây", "Xóm Đồng Chùa", "Xóm Na Hoàng", "Xóm Bãi Bông")),
    (
        CHO_CHU,
        "to_dan_pho",
        (
            "Tổ dân phố Trung Kiên",
            "Tổ dân phố Tân Thành",
            "Tổ dân phố Đoàn Kết",
            "Tổ dân phố Hợp Thành",
            "Tổ dân phố Đồng Tâm",
        ),
    ),
)


@dataclass(frozen=True)
class LoginSpec:
    """A demo user: its role over a unit (GSO code or ``"province"``) or an organisation (key).

    ``person_from``: the organisation whose head (or, with ``as_staff``, a staff member) the
    user is; otherwise a resident of the unit is linked to the account.
    """

    username: str
    role: str  # a Role value, or "" for the superuser
    unit: str = ""
    organisation: str = ""
    person_from: str = ""
    as_staff: bool = False
    follow_units: tuple[str, ...] = ()
    follow_sectors: tuple[str, ...] = ()


LOGINS: tuple[LoginSpec, ...] = (
    LoginSpec("admin", ""),
    LoginSpec("tinh_quantri", Role.PROVINCE_ADMIN, unit="province", person_from="so_tttt", as_staff=True),
    LoginSpec("tinh_bcd", Role.STEERING_COMMITTEE, unit="province", person_from="bcd_tinh"),
    LoginSpec(
        "tinh_thuongvu",
        Role.STANDING_COMMITTEE,
        unit="province",
        person_from="tinh_uy",
        as_staff=True,
        follow_units=(PHO_YEN,),
        follow_sectors=(Sector.HEALTH,),
    ),
    LoginSpec("huyen_tptn", Role.DISTRICT_OFFICER, unit=CITY, person_from="ubnd_164", as_staff=True),
    LoginSpec("xa_quantrieu", Role.COMMUNE_OFFICER, unit=QUAN_TRIEU, person_from="ubnd_quan_trieu", as_staff=True),
    LoginSpec("to1_quantrieu", Role.HAMLET_HEAD, unit=f"{QUAN_TRIEU}-01"),
    LoginSpec("dn_minhphat", Role.ORGANISATION_HEAD, organisation="minh_phat", person_from="minh_phat"),
    LoginSpec("yte_tinh", Role.HEALTH, unit="province", person_from="so_y_te"),
    LoginSpec("congan_tinh", Role.POLICE, unit="province", person_from="cong_an"),
    LoginSpec("quansu_tinh", Role.MILITARY, unit="province", person_from="quan_su"),
    LoginSpec("baucu_tinh", Role.ELECTION_COMMITTEE, unit="province", person_from="ubbc"),
    LoginSpec("mttq_tinh", Role.FATHERLAND_FRONT, unit="province", person_from="mttq"),
)
