"""Seed the public holidays of 2020–2022 and the office hours (data, editable in the admin).

Holidays: Bộ luật Lao động 2012 (Điều 115) for 2020, Bộ luật Lao động 2019 (Điều 112) from 2021, and the Prime
Minister's / Ministry of Labour's notices on the Tết and compensation days of each year. Rows marked
``uncertain`` are dates taken from memory of those notices that were not checked against the notice itself.
Office hours: the usual working hours of state offices in Thái Nguyên, Monday to Friday 07:00–11:30 and
13:30–17:00 — an assumption (the province sets summer and winter hours by decision); edit the row to match."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from django.db import migrations

BLLD_2012 = "Bộ luật Lao động 2012, Điều 115"
BLLD_2019 = "Bộ luật Lao động 2019, Điều 112"

HOLIDAYS: list[tuple[date, str, str, bool]] = [
    # 2020
    (date(2020, 1, 1), "Tết Dương lịch", BLLD_2012, False),
    *[
        (date(2020, 1, d), "Tết Nguyên đán Canh Tý", BLLD_2012 + "; thông báo nghỉ Tết 2020", False)
        for d in range(23, 30)
    ],
    (date(2020, 4, 2), "Giỗ Tổ Hùng Vương (10/3 âm lịch)", BLLD_2012, False),
    (date(2020, 4, 30), "Ngày Chiến thắng 30/4", BLLD_2012, False),
    (date(2020, 5, 1), "Ngày Quốc tế Lao động 1/5", BLLD_2012, False),
    (date(2020, 9, 2), "Quốc khánh 2/9", BLLD_2012, False),
    # 2021
    (date(2021, 1, 1), "Tết Dương lịch", BLLD_2019, False),
    *[
        (date(2021, 2, d), "Tết Nguyên đán Tân Sửu", BLLD_2019 + "; thông báo nghỉ Tết 2021", False)
        for d in range(10, 17)
    ],
    (date(2021, 4, 21), "Giỗ Tổ Hùng Vương (10/3 âm lịch)", BLLD_2019, False),
    (date(2021, 4, 30), "Ngày Chiến thắng 30/4", BLLD_2019, False),
    (date(2021, 5, 1), "Ngày Quốc tế Lao động 1/5", BLLD_2019, False),
    (date(2021, 5, 3), "Nghỉ bù ngày 1/5 (trùng thứ Bảy)", BLLD_2019, True),
    (date(2021, 9, 2), "Quốc khánh 2/9", BLLD_2019, False),
    (date(2021, 9, 3), "Quốc khánh (ngày liền kề)", BLLD_2019 + "; thông báo nghỉ Quốc khánh 2021", True),
    # 2022
    (date(2022, 1, 1), "Tết Dương lịch", BLLD_2019, False),
    (date(2022, 1, 3), "Nghỉ bù Tết Dương lịch (trùng thứ Bảy)", BLLD_2019, True),
    *[
        (date(2022, 1, d), "Tết Nguyên đán Nhâm Dần", BLLD_2019 + "; thông báo nghỉ Tết 2022", d in (29, 30))
        for d in (29, 30, 31)
    ],
    *[
        (date(2022, 2, d), "Tết Nguyên đán Nhâm Dần", BLLD_2019 + "; thông báo nghỉ Tết 2022", False)
        for d in range(1, 5)
    ],
    (date(2022, 4, 10), "Giỗ Tổ Hùng Vương (10/3 âm lịch)", BLLD_2019, False),
    (date(2022, 4, 11), "Nghỉ bù Giỗ Tổ Hùng Vương (trùng Chủ nhật)", BLLD_2019, True),
    (date(2022, 4, 30), "Ngày Chiến thắng 30/4", BLLD_2019, False),
    (date(2022, 5, 1), "Ngày Quốc tế Lao động 1/5", BLLD_2019, False),
    (date(2022, 5, 2), "Nghỉ bù 30/4 (trùng thứ Bảy)", BLLD_2019, True),
    (date(2022, 5, 3), "Nghỉ bù 1/5 (trùng Chủ nhật)", BLLD_2019, True),
    (date(2022, 9, 1), "Quốc khánh (ngày liền kề)", BLLD_2019 + "; thông báo nghỉ Quốc khánh 2022", True),
    (date(2022, 9, 2), "Quốc khánh 2/9", BLLD_2019, False),
]

UNCERTAIN_NOTE = "Ngày nghỉ bù, liền kề theo thông báo từng năm: chưa đối chiếu văn bản, cần kiểm tra"
HOURS_SOURCE = "Giả định: giờ làm việc hành chính thông thường của cơ quan nhà nước tỉnh Thái Nguyên"
HOURS_NOTE = "Tỉnh quy định giờ làm việc mùa hè, mùa đông theo quyết định: sửa dòng này cho đúng văn bản"


def seed(apps: Any, schema_editor: Any) -> None:
    PublicHoliday = apps.get_model("travel", "PublicHoliday")
    OfficeHours = apps.get_model("travel", "OfficeHours")
    for day, name, source, uncertain in HOLIDAYS:
        PublicHoliday.objects.get_or_create(
            day=day,
            defaults={
                "name": name,
                "source": source,
                "uncertain": uncertain,
                "note": UNCERTAIN_NOTE if uncertain else "",
            },
        )
    if not OfficeHours.objects.exists():
        OfficeHours.objects.create(
            effective_from=date(2020, 1, 1),
            weekdays="0,1,2,3,4",
            morning_start=time(7, 0),
            morning_end=time(11, 30),
            afternoon_start=time(13, 30),
            afternoon_end=time(17, 0),
            source=HOURS_SOURCE,
            note=HOURS_NOTE,
        )


def unseed(apps: Any, schema_editor: Any) -> None:
    apps.get_model("travel", "PublicHoliday").objects.filter(day__in=[h[0] for h in HOLIDAYS]).delete()
    apps.get_model("travel", "OfficeHours").objects.filter(source=HOURS_SOURCE).delete()


class Migration(migrations.Migration):
    dependencies = [("travel", "0001_trips_holidays_onsite_plans")]

    operations = [migrations.RunPython(seed, unseed)]
