"""The supply catalogue as data (E6): test kits, protective equipment, disinfectant, oxygen, equipment."""

from django.db import migrations

CATALOGUE = [
    ("test-rapid-antigen", "Test nhanh kháng nguyên SARS-CoV-2", "test_kit", "test"),
    ("test-pcr-kit", "Sinh phẩm xét nghiệm RT-PCR SARS-CoV-2", "test_kit", "phản ứng"),
    ("swab-vtm", "Que lấy mẫu kèm môi trường vận chuyển (VTM)", "test_kit", "bộ"),
    ("mask-medical", "Khẩu trang y tế", "protective", "cái"),
    ("mask-n95", "Khẩu trang N95", "protective", "cái"),
    ("ppe-suit", "Bộ quần áo bảo hộ phòng dịch", "protective", "bộ"),
    ("gloves", "Găng tay y tế", "protective", "đôi"),
    ("face-shield", "Kính chắn giọt bắn", "protective", "cái"),
    ("hand-sanitiser", "Dung dịch sát khuẩn tay nhanh", "disinfectant", "lít"),
    ("chloramine-b", "Cloramin B", "disinfectant", "kg"),
    ("oxygen-cylinder", "Bình ô-xy y tế", "oxygen", "bình"),
    ("oxygen-concentrator", "Máy tạo ô-xy", "oxygen", "máy"),
    ("pulse-oximeter", "Máy đo nồng độ ô-xy trong máu (SpO2)", "equipment", "máy"),
    ("thermometer-ir", "Nhiệt kế hồng ngoại", "equipment", "cái"),
]


def seed(apps, schema_editor):
    SupplyItem = apps.get_model("supplies", "SupplyItem")
    for code, name, category, uom in CATALOGUE:
        SupplyItem.objects.update_or_create(
            code=code, defaults={"name": name, "category": category, "unit_of_measure": uom}
        )


def unseed(apps, schema_editor):
    apps.get_model("supplies", "SupplyItem").objects.filter(code__in=[c[0] for c in CATALOGUE]).delete()


class Migration(migrations.Migration):
    dependencies = [("supplies", "0001_ledger")]

    operations = [migrations.RunPython(seed, unseed)]
