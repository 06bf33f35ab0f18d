"""The measure sets of Directives 15/CT-TTg, 16/CT-TTg and 19/CT-TTg and of epidemic levels 1–4 (Z1).

The directives' gatherings, distance and business measures follow the comparison table of the
three directives (luatvietnam.vn). What that table does not state is listed in ``uncertain``: it
is kept as editable data and shown as unconfirmed. The measures of the four levels of Resolution
128/NQ-CP are set by each province's guidance; the values below are a reference only and every
one of them is flagged uncertain.
"""

from datetime import date

from django.db import migrations

ALL_MEASURES = [
    "indoor_gathering_cap",
    "outdoor_gathering_cap",
    "events_stopped",
    "min_distance_m",
    "non_essential_closed",
    "closed_business_kinds",
    "public_transport",
    "stay_home",
]
DIRECTIVES = "Bảng so sánh Chỉ thị 15, 16, 19/CT-TTg (luatvietnam.vn)"
LEVELS_NOTE = (
    "Nghị quyết 128/NQ-CP để địa phương quy định cụ thể biện pháp theo cấp độ; các giá trị ở đây chỉ để "
    "tham khảo, CHƯA ĐƯỢC XÁC NHẬN — sửa theo văn bản của tỉnh trước khi áp dụng."
)

MEASURE_SETS = [
    {
        "code": "ct15",
        "name": "Giãn cách xã hội theo Chỉ thị 15/CT-TTg",
        "source_document": "Chỉ thị 15/CT-TTg ngày 27/03/2020 của Thủ tướng Chính phủ",
        "source_date": date(2020, 3, 27),
        "effective_from": date(2020, 3, 27),
        "indoor_gathering_cap": 20,
        "outdoor_gathering_cap": 9,
        "events_stopped": True,
        "min_distance_m": "2.0",
        "non_essential_closed": True,
        "closed_business_kinds": [],
        "public_transport": "limited",
        "stay_home": False,
        "uncertain": ["events_stopped", "public_transport"],
        "note": "Không họp quá 20 người trong một phòng; không tụ tập từ 10 người trở lên ngoài công sở, trường "
        "học, bệnh viện; khoảng cách 2 m; dừng dịch vụ không thiết yếu. " + DIRECTIVES + ".",
    },
    {
        "code": "ct16",
        "name": "Cách ly toàn xã hội theo Chỉ thị 16/CT-TTg",
        "source_document": "Chỉ thị 16/CT-TTg ngày 31/03/2020 của Thủ tướng Chính phủ",
        "source_date": date(2020, 3, 31),
        "effective_from": date(2020, 3, 31),
        "indoor_gathering_cap": 2,
        "outdoor_gathering_cap": 2,
        "events_stopped": True,
        "min_distance_m": "2.0",
        "non_essential_closed": True,
        "closed_business_kinds": [],
        "public_transport": "stopped",
        "stay_home": True,
        "uncertain": [],
        "note": "Ở nhà; không tụ tập quá 2 người ngoài công sở, trường học, bệnh viện; khoảng cách 2 m; dừng dịch "
        "vụ không thiết yếu, chặt chẽ hơn Chỉ thị 15; dừng vận tải hành khách công cộng. " + DIRECTIVES + ".",
    },
    {
        "code": "ct19",
        "name": "Phòng, chống dịch trong tình hình mới theo Chỉ thị 19/CT-TTg",
        "source_document": "Chỉ thị 19/CT-TTg ngày 24/04/2020 của Thủ tướng Chính phủ",
        "source_date": date(2020, 4, 24),
        "effective_from": date(2020, 4, 24),
        "indoor_gathering_cap": 30,
        "outdoor_gathering_cap": 20,
        "events_stopped": True,
        "min_distance_m": "1.0",
        "non_essential_closed": False,
        "closed_business_kinds": ["karaoke", "massage", "bar", "discotheque", "beauty_salon"],
        "public_transport": "normal",
        "stay_home": False,
        "uncertain": ["indoor_gathering_cap", "outdoor_gathering_cap", "public_transport"],
        "note": "Dừng lễ hội, nghi lễ, giải đấu, sự kiện đông người; khoảng cách 1 m; phần lớn dịch vụ mở lại, "
        "karaoke, massage, quán bar, vũ trường, thẩm mỹ viện vẫn đóng cửa. " + DIRECTIVES + ". Giới hạn 30 người "
        "trong phòng, 20 người ngoài trời chưa được đối chiếu với nguồn.",
    },
    {
        "code": "level-1",
        "name": "Biện pháp cấp độ 1 (nguy cơ thấp, màu xanh)",
        "level": 1,
        "indoor_gathering_cap": None,
        "outdoor_gathering_cap": None,
        "events_stopped": False,
        "min_distance_m": "1.0",
        "non_essential_closed": False,
        "closed_business_kinds": [],
        "public_transport": "normal",
        "stay_home": False,
    },
    {
        "code": "level-2",
        "name": "Biện pháp cấp độ 2 (nguy cơ trung bình, màu vàng)",
        "level": 2,
        "indoor_gathering_cap": 50,
        "outdoor_gathering_cap": 100,
        "events_stopped": False,
        "min_distance_m": "1.0",
        "non_essential_closed": False,
        "closed_business_kinds": ["discotheque"],
        "public_transport": "limited",
        "stay_home": False,
    },
    {
        "code": "level-3",
        "name": "Biện pháp cấp độ 3 (nguy cơ cao, màu cam)",
        "level": 3,
        "indoor_gathering_cap": 20,
        "outdoor_gathering_cap": 30,
        "events_stopped": True,
        "min_distance_m": "2.0",
        "non_essential_closed": False,
        "closed_business_kinds": ["karaoke", "massage", "bar", "discotheque", "beauty_salon", "restaurant"],
        "public_transport": "limited",
        "stay_home": False,
    },
    {
        "code": "level-4",
        "name": "Biện pháp cấp độ 4 (nguy cơ rất cao, màu đỏ)",
        "level": 4,
        "indoor_gathering_cap": 2,
        "outdoor_gathering_cap": 2,
        "events_stopped": True,
        "min_distance_m": "2.0",
        "non_essential_closed": True,
        "closed_business_kinds": [],
        "public_transport": "stopped",
        "stay_home": True,
    },
]


def seed(apps, schema_editor):
    MeasureSet = apps.get_model("zones", "MeasureSet")
    for spec in MEASURE_SETS:
        values = dict(spec)
        if "level" in values:
            values.setdefault("source_document", "Nghị quyết 128/NQ-CP ngày 11/10/2021 của Chính phủ")
            values.setdefault("source_date", date(2021, 10, 11))
            values.setdefault("effective_from", date(2021, 10, 11))
            values.setdefault("uncertain", list(ALL_MEASURES))
            values.setdefault("note", LEVELS_NOTE)
        code = values.pop("code")
        MeasureSet.objects.update_or_create(code=code, defaults=values)


def unseed(apps, schema_editor):
    MeasureSet = apps.get_model("zones", "MeasureSet")
    MeasureSet.objects.filter(code__in=[s["code"] for s in MEASURE_SETS], zones__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("zones", "0002_control_zones_and_transport_passes")]

    operations = [migrations.RunPython(seed, unseed)]
