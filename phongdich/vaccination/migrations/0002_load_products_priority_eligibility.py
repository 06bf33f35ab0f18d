"""Seed data: the vaccine products used in Viet Nam in 2021, the eligibility age, and the priority lists
of Resolution 21/NQ-CP (26/02/2021; 9 groups, group 1 in four sub-groups) and of the 16-group plan of
07/2021. Every row keeps its source; rows whose source is not confirmed are flagged ``uncertain``."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import migrations

# code, name, manufacturer, primary doses, minimum days between primary doses, source, uncertain
PRODUCTS = [
    (
        "astrazeneca",
        "AstraZeneca (Vaxzevria)",
        "AstraZeneca / Đại học Oxford",
        2,
        28,
        "Hướng dẫn sử dụng vắc xin của Bộ Y tế; khoảng cách 4–12 tuần",
        False,
    ),
    (
        "pfizer",
        "Pfizer-BioNTech (Comirnaty)",
        "Pfizer / BioNTech",
        2,
        21,
        "Tờ hướng dẫn của nhà sản xuất; khoảng cách 3–4 tuần",
        False,
    ),
    ("moderna", "Moderna (Spikevax)", "Moderna", 2, 28, "Tờ hướng dẫn của nhà sản xuất; khoảng cách 4 tuần", False),
    (
        "sinopharm",
        "Sinopharm Vero Cell",
        "Beijing Bio-Institute of Biological Products (Sinopharm)",
        2,
        21,
        "Tờ hướng dẫn của nhà sản xuất; khoảng cách 3–4 tuần",
        False,
    ),
    (
        "sputnik-v",
        "Sputnik V (Gam-COVID-Vac)",
        "Viện Gamaleya (Nga)",
        2,
        21,
        "Tờ hướng dẫn của nhà sản xuất; thành phần I và II cách 3 tuần",
        False,
    ),
    (
        "abdala",
        "Abdala (CIGB-66)",
        "Trung tâm Kỹ thuật di truyền và Công nghệ sinh học (CIGB, Cu Ba)",
        3,
        14,
        "Lịch 3 mũi 0–14–28 ngày của nhà sản xuất; chưa đối chiếu văn bản Bộ Y tế",
        True,
    ),
    (
        "hayat-vax",
        "Hayat-Vax",
        "Sinopharm / G42 – Julphar (UAE)",
        2,
        21,
        "Cùng công nghệ Sinopharm Vero Cell; khoảng cách 3–4 tuần",
        True,
    ),
]

RULES = [
    # effective_from, effective_to, min_age, booster_min_days, source, uncertain, note
    (
        dt.date(2021, 3, 8),
        None,
        18,
        90,
        "Nghị quyết 21/NQ-CP ngày 26/02/2021 (đối tượng từ 18 tuổi trở lên)",
        False,
        "Khoảng cách 3 tháng trước mũi nhắc lại theo hướng dẫn của Bộ Y tế 11/2021 — chưa xác minh văn bản.",
    ),
]

NQ21_GROUPS = [
    ("1", None, "Lực lượng tuyến đầu phòng, chống dịch", ""),
    ("1a", "1", "Người làm việc trong các cơ sở y tế, ngành y tế (công lập và tư nhân)", ""),
    (
        "1b",
        "1",
        "Người tham gia phòng, chống dịch",
        "Thành viên Ban Chỉ đạo phòng, chống dịch các cấp, người làm việc ở các khu cách ly, làm nhiệm vụ truy vết, "
        "điều tra dịch tễ, tổ COVID dựa vào cộng đồng, tình nguyện viên, phóng viên",
    ),
    ("1c", "1", "Lực lượng Quân đội", ""),
    ("1d", "1", "Lực lượng Công an", ""),
    ("2", None, "Nhân viên, cán bộ ngoại giao được cử đi nước ngoài; hải quan, cán bộ làm công tác xuất nhập cảnh", ""),
    ("3", None, "Người cung cấp dịch vụ thiết yếu: hàng không, vận tải, du lịch; cung cấp dịch vụ điện, nước", ""),
    (
        "4",
        None,
        "Giáo viên, người làm việc tại các cơ sở giáo dục; người làm việc tại cơ quan hành chính "
        "thường xuyên tiếp xúc với nhiều người",
        "",
    ),
    ("5", None, "Người mắc các bệnh mạn tính; người trên 65 tuổi", ""),
    ("6", None, "Người sinh sống tại các vùng có dịch", ""),
    ("7", None, "Người nghèo, các đối tượng chính sách xã hội", ""),
    ("8", None, "Người được cơ quan có thẩm quyền cử đi công tác, học tập, lao động ở nước ngoài", ""),
    ("9", None, "Các đối tượng khác do Bộ Y tế quyết định căn cứ yêu cầu phòng, chống dịch", ""),
]

PLAN_16_GROUPS = [
    ("1", "Người làm việc trong các cơ sở y tế, ngành y tế (công lập và tư nhân)"),
    (
        "2",
        "Người tham gia phòng, chống dịch (Ban Chỉ đạo các cấp, khu cách ly, truy vết, tổ COVID cộng đồng, "
        "tình nguyện viên, phóng viên)",
    ),
    ("3", "Lực lượng Quân đội"),
    ("4", "Lực lượng Công an"),
    ("5", "Nhân viên, cán bộ ngoại giao; người làm việc trong cơ quan ngoại giao, tổ chức quốc tế tại Việt Nam"),
    ("6", "Hải quan, cán bộ làm công tác xuất nhập cảnh"),
    ("7", "Người cung cấp dịch vụ thiết yếu: hàng không, vận tải, du lịch; cung cấp dịch vụ điện, nước"),
    (
        "8",
        "Giáo viên, người làm việc, học sinh, sinh viên tại các cơ sở giáo dục; người làm việc tại cơ quan "
        "hành chính thường xuyên tiếp xúc với nhiều người",
    ),
    ("9", "Người mắc các bệnh mạn tính; người trên 65 tuổi"),
    ("10", "Người sinh sống tại các vùng có dịch"),
    ("11", "Người nghèo, các đối tượng chính sách xã hội"),
    ("12", "Người được cử đi công tác, học tập, lao động ở nước ngoài; chuyên gia nước ngoài làm việc tại Việt Nam"),
    ("13", "Người lao động, thân nhân người lao động tại các doanh nghiệp, khu công nghiệp"),
    ("14", "Chức sắc, chức việc các tôn giáo"),
    ("15", "Người lao động tự do"),
    ("16", "Các đối tượng khác theo quyết định của Bộ trưởng Bộ Y tế hoặc Chủ tịch UBND tỉnh"),
]


def load(apps, schema_editor):
    Product = apps.get_model("vaccination", "VaccineProduct")
    Rule = apps.get_model("vaccination", "EligibilityRule")
    PList = apps.get_model("vaccination", "PriorityList")
    Group = apps.get_model("vaccination", "PriorityGroup")
    for code, name, maker, doses, interval, source, uncertain in PRODUCTS:
        Product.objects.get_or_create(
            code=code,
            defaults={
                "uid": uuid.uuid4(),
                "name": name,
                "manufacturer": maker,
                "primary_doses": doses,
                "min_interval_days": interval,
                "source": source,
                "uncertain": uncertain,
            },
        )
    for start, end, age, booster, source, uncertain, note in RULES:
        Rule.objects.get_or_create(
            effective_from=start,
            min_age=age,
            defaults={
                "uid": uuid.uuid4(),
                "effective_to": end,
                "booster_min_days": booster,
                "source": source,
                "uncertain": uncertain,
                "note": note,
            },
        )
    nq21, _ = PList.objects.get_or_create(
        code="nq21-2021",
        defaults={
            "uid": uuid.uuid4(),
            "name": "Nghị quyết 21/NQ-CP — 9 nhóm ưu tiên",
            "source": "Nghị quyết 21/NQ-CP ngày 26/02/2021 của Chính phủ",
            "effective_from": dt.date(2021, 2, 26),
            "effective_to": dt.date(2021, 7, 7),
            "uncertain": False,
        },
    )
    by_code = {}
    for order, (code, parent, name, description) in enumerate(NQ21_GROUPS, start=1):
        group, _ = Group.objects.get_or_create(
            priority_list=nq21,
            code=code,
            defaults={
                "uid": uuid.uuid4(),
                "parent": by_code.get(parent),
                "order": order,
                "name": name,
                "description": description,
            },
        )
        by_code[code] = group
    plan, _ = PList.objects.get_or_create(
        code="ke-hoach-16-nhom-2021",
        defaults={
            "uid": uuid.uuid4(),
            "name": "Kế hoạch tiêm chủng 2021–2022 — 16 nhóm ưu tiên",
            "source": "Kế hoạch triển khai chiến dịch tiêm vắc xin phòng COVID-19 của Bộ Y tế (07/2021); "
            "tên từng nhóm chưa đối chiếu văn bản gốc",
            "effective_from": dt.date(2021, 7, 8),
            "effective_to": None,
            "uncertain": True,
        },
    )
    for order, (code, name) in enumerate(PLAN_16_GROUPS, start=1):
        Group.objects.get_or_create(
            priority_list=plan, code=code, defaults={"uid": uuid.uuid4(), "order": order, "name": name}
        )


def unload(apps, schema_editor):
    apps.get_model("vaccination", "PriorityList").objects.filter(
        code__in=["nq21-2021", "ke-hoach-16-nhom-2021"]
    ).delete()
    apps.get_model("vaccination", "EligibilityRule").objects.all().delete()
    apps.get_model("vaccination", "VaccineProduct").objects.filter(code__in=[p[0] for p in PRODUCTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("vaccination", "0001_products_doses_priority_aefi")]

    operations = [migrations.RunPython(load, unload)]
