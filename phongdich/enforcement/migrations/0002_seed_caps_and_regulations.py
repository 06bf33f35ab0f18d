"""The fallback caps on weddings and funerals (21/03/2020: no more than 50 people) and the catalogue of
regulations a violation may breach.

Article numbers and fine ranges of the decrees are kept as editable data; those not checked against the
text of the decree are flagged ``uncertain`` and shown as unconfirmed.
"""

from datetime import date

from django.db import migrations

CAP_SOURCE = "Chỉ đạo của Thủ tướng Chính phủ ngày 21/03/2020: đám cưới, đám tang không quá 50 người"

CAPS = [
    {"kind": "wedding", "cap": 50, "effective_from": date(2020, 3, 21), "source": CAP_SOURCE},
    {"kind": "funeral", "cap": 50, "effective_from": date(2020, 3, 21), "source": CAP_SOURCE},
]

ND117 = "Nghị định 117/2020/NĐ-CP ngày 28/09/2020 (xử phạt vi phạm hành chính trong lĩnh vực y tế)"

REGULATIONS = [
    {
        "code": "nd117-d12-k1a",
        "document": ND117,
        "article": "Điểm a khoản 1 Điều 12",
        "title": "Không thực hiện biện pháp bảo vệ cá nhân (đeo khẩu trang nơi công cộng) theo hướng dẫn của cơ quan y tế",
        "fine_min": 1_000_000,
        "fine_max": 3_000_000,
        "uncertain": False,
    },
    {
        "code": "nd117-d7-khai-bao",
        "document": ND117,
        "article": "Điều 7",
        "title": "Che giấu, không khai báo hoặc khai báo không trung thực tình trạng bệnh truyền nhiễm nhóm A",
        "fine_min": None,
        "fine_max": None,
        "uncertain": True,
    },
    {
        "code": "nd117-d12-tu-tap",
        "document": ND117,
        "article": "Điều 12",
        "title": "Không chấp hành biện pháp hạn chế tập trung đông người hoặc hạn chế đi lại khi có dịch",
        "fine_min": None,
        "fine_max": None,
        "uncertain": True,
    },
    {
        "code": "nd117-d11-cach-ly",
        "document": ND117,
        "article": "Điều 11",
        "title": "Không chấp hành biện pháp cách ly y tế, cưỡng chế cách ly y tế",
        "fine_min": None,
        "fine_max": None,
        "uncertain": True,
    },
    {
        "code": "nd109-2013-gia",
        "document": "Nghị định 109/2013/NĐ-CP (xử phạt vi phạm hành chính trong lĩnh vực quản lý giá)",
        "article": "Điều 17",
        "title": "Tăng giá bán hàng hóa, dịch vụ bất hợp lý (khẩu trang, vật tư y tế) khi có dịch bệnh",
        "fine_min": None,
        "fine_max": None,
        "uncertain": True,
    },
    {
        "code": "nd98-2020-hang-gia",
        "document": "Nghị định 98/2020/NĐ-CP (xử phạt vi phạm hành chính trong hoạt động thương mại)",
        "article": "Chương II (hàng giả, hàng nhập lậu)",
        "title": "Buôn bán vật tư, trang thiết bị y tế, thuốc giả, nhập lậu, không rõ nguồn gốc",
        "fine_min": None,
        "fine_max": None,
        "uncertain": True,
    },
    {
        "code": "600-cv-tu-muc-4",
        "document": "Văn bản 600-CV/TU ngày 06/11/2021 của Thường trực Tỉnh ủy Thái Nguyên",
        "article": "Mục 4",
        "title": "Cán bộ, đảng viên, công chức đi ra ngoài tỉnh ngày nghỉ, ngoài giờ hành chính không được "
        "thủ trưởng đồng ý; tổ chức, tham gia hoạt động tập trung đông người không cần thiết",
        "fine_min": None,
        "fine_max": None,
        "uncertain": False,
    },
]


def seed(apps, schema_editor):
    CapRule = apps.get_model("enforcement", "CapRule")
    Regulation = apps.get_model("enforcement", "Regulation")
    for spec in CAPS:
        CapRule.objects.update_or_create(
            kind=spec["kind"],
            effective_from=spec["effective_from"],
            defaults={"cap": spec["cap"], "source": spec["source"]},
        )
    for spec in REGULATIONS:
        values = dict(spec)
        Regulation.objects.update_or_create(code=values.pop("code"), defaults=values)


def unseed(apps, schema_editor):
    apps.get_model("enforcement", "CapRule").objects.filter(source=CAP_SOURCE).delete()
    apps.get_model("enforcement", "Regulation").objects.filter(code__in=[r["code"] for r in REGULATIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("enforcement", "0001_gatherings_inspections_violations")]

    operations = [migrations.RunPython(seed, unseed)]
