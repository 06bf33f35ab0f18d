"""The two rule sets of Resolution 128/NQ-CP's guidance, as data: Decision 4800/QĐ-BYT and Decision 218/QĐ-BYT.

Every cell carries the certainty of its official annex cell: V verified (a source states it), P partly,
U uncertain (a best reconstruction, kept editable). The sources are named in ``source`` and the notes.
"""

from django.db import migrations

SOURCE_4800 = (
    "Quyết định 4800/QĐ-BYT ngày 12/10/2021 của Bộ Y tế hướng dẫn tạm thời Nghị quyết 128/NQ-CP; "
    "cổng thông tin Sở Y tế Hải Phòng; thông báo TP Hồ Chí Minh 24/10/2021; VnExpress"
)
SOURCE_218 = (
    "Quyết định 218/QĐ-BYT ngày 27/01/2022 của Bộ Y tế (thay Quyết định 4800/QĐ-BYT); "
    "đánh giá của TP Hồ Chí Minh ngày 14/02/2022"
)

PARAMS_4800 = {
    "adult_one_dose_pass_pct": {
        "value": 70,
        "certainty": "U",
        "note": "Ngưỡng tỷ lệ người ≥ 18 tuổi tiêm ≥ 1 mũi: 70% hay 80%?",
    },
    "elderly_full_pass_pct": {
        "value": 80,
        "certainty": "U",
        "note": "Ngưỡng tỷ lệ người cao tuổi tiêm đủ liều: 70% hay 80%?",
    },
    "elderly_age": {"value": 50, "certainty": "U", "note": "Tuổi người cao tuổi: 50+ hay 65+?"},
    "capacity_fail_raises_one": {
        "value": False,
        "certainty": "U",
        "note": "Không đạt tiêu chí 3 thì không được hạ cấp [V tóm tắt]; một số hướng dẫn địa phương nâng một cấp [U].",
    },
    "capacity_free_beds_per_100k_min": {"value": 10, "certainty": "U", "note": "Giường trống tối thiểu /100.000 dân"},
    "capacity_icu_beds_per_100k_min": {
        "value": 1,
        "certainty": "U",
        "note": "Giường hồi sức có nhân lực tối thiểu /100.000 dân",
    },
    "capacity_mobile_stations_min": {"value": 1, "certainty": "U", "note": "Số trạm y tế lưu động tối thiểu"},
}

PARAMS_218 = {
    "full_coverage_pass_pct": {"value": 75, "certainty": "V", "note": "≥ 75% dân số tiêm đủ liều cơ bản"},
    "high_risk_full_pass_pct": {"value": 90, "certainty": "V", "note": "≥ 90% người nguy cơ cao tiêm đủ liều"},
    "high_risk_age": {"value": 65, "certainty": "U", "note": "Người nguy cơ cao tính theo tuổi (≥ 65?)"},
    "beds_high_above": {"value": 30, "certainty": "V", "note": "Giường trống /100.000 dân cấp huyện: cao > 30"},
    "beds_low_below": {"value": 10, "certainty": "V", "note": "Giường trống /100.000 dân cấp huyện: thấp < 10"},
    "icu_high_above": {"value": 4, "certainty": "U", "note": "Giường hồi sức /100.000 dân: ngưỡng cao chưa xác minh"},
    "icu_low_below": {"value": 2, "certainty": "U", "note": "Giường hồi sức /100.000 dân: ngưỡng thấp chưa xác minh"},
    "deaths_raise_above": {
        "value": 6,
        "certainty": "P",
        "note": "TP HCM 14/02/2022 nâng cấp 3 phường vì tử vong > 6 /100.000 /tuần; ngưỡng trong phụ lục chưa xác minh",
    },
    "oxygen_raise_above": {
        "value": 20,
        "certainty": "U",
        "note": "Ca cần hỗ trợ oxy /100.000 /tuần: ngưỡng chưa xác minh",
    },
}

# 4800: bands of criterion 1 (min, max exclusive, certainty of the band).
BANDS_4800 = [(None, 20, "V"), (20, 50, "P"), (50, 150, "V"), (150, None, "V")]
# level, certainty, note — per band: (criterion 2 met, capacity met), (criterion 2 not met, capacity met).
LEVELS_4800 = [
    ((1, "P", "Cấp thấp nhất"), (1, "U", "Tái dựng: 1 hoặc 2")),
    ((1, "U", "Tái dựng"), (2, "U", "Tái dựng")),
    ((2, "V", "Ví dụ TP HCM 24/10/2021: 73,5 ca, đạt tiêu chí 2 → cấp 2"), (3, "U", "Tái dựng")),
    ((3, "P", "Tái dựng"), (4, "U", "Tái dựng")),
]

# 218: bands of new cases /100,000 /week → transmission level; only > 600 is verified.
BANDS_218 = [
    (None, True, 50, False, "U"),
    (50, True, 150, False, "U"),
    (150, True, 600, True, "U"),
    (600, False, None, False, "V"),
]
# The 4 × 3 matrix (transmission × response capacity high/medium/low) with the vaccination criterion met.
MATRIX_218 = [(1, 1, 2), (1, 2, 3), (2, 3, 4), (3, 4, 4)]


def seed(apps, schema_editor):
    RuleSet = apps.get_model("levels", "RuleSet")
    RuleCell = apps.get_model("levels", "RuleCell")
    rs, _ = RuleSet.objects.update_or_create(
        code="4800",
        defaults={
            "name": "Quyết định 4800/QĐ-BYT",
            "source": SOURCE_4800,
            "effective_from": "2021-10-12",
            "effective_to": "2022-01-26",
            "parameters": PARAMS_4800,
            "note": (
                "Tiêu chí 1: ca mắc mới trong cộng đồng /100.000 dân /tuần (không tính ca trong khu cách ly, nhập cảnh). "
                "Tiêu chí 2 đạt thì hạ một cấp so với khoảng (ví dụ TP HCM). Tiêu chí 3 không đạt thì không được hạ cấp."
            ),
        },
    )
    rs.cells.all().delete()
    order = 0
    for (low, high, band_certainty), (met_cell, not_met_cell) in zip(BANDS_4800, LEVELS_4800, strict=True):
        rows = [
            (True, "met", *met_cell),
            (False, "met", *not_met_cell),
            (
                True,
                "not_met",
                not_met_cell[0],
                "P" if not_met_cell[1] != "U" else "U",
                "Không đạt tiêu chí 3: không hạ cấp theo tiêu chí 2",
            ),
            (False, "not_met", not_met_cell[0], not_met_cell[1], "Không đạt tiêu chí 2 và 3"),
        ]
        for vaccination_met, capacity, level, certainty, note in rows:
            order += 1
            RuleCell.objects.create(
                rule_set=rs,
                order=order,
                cases_min=low,
                cases_min_inclusive=True,
                cases_max=high,
                cases_max_inclusive=False,
                band_certainty=band_certainty,
                vaccination_met=vaccination_met,
                capacity=capacity,
                level=level,
                certainty=certainty,
                note=note,
            )
    rs, _ = RuleSet.objects.update_or_create(
        code="218",
        defaults={
            "name": "Quyết định 218/QĐ-BYT",
            "source": SOURCE_218,
            "effective_from": "2022-01-27",
            "effective_to": None,
            "parameters": PARAMS_218,
            "note": (
                "Nhóm lây truyền (ca mắc mới, ca cần oxy, tử vong /100.000 /tuần) và năng lực đáp ứng (tiêm chủng, giường). "
                "Không đạt tiêm chủng thì nâng một cấp [V]. Ma trận 4 × 3 chưa xác minh [U]."
            ),
        },
    )
    rs.cells.all().delete()
    order = 0
    for (low, low_inc, high, high_inc, band_certainty), levels in zip(BANDS_218, MATRIX_218, strict=True):
        for vaccination_met in (True, False):
            for capacity, level in zip(("high", "medium", "low"), levels, strict=True):
                order += 1
                final = level if vaccination_met else min(4, level + 1)
                RuleCell.objects.create(
                    rule_set=rs,
                    order=order,
                    cases_min=low,
                    cases_min_inclusive=low_inc,
                    cases_max=high,
                    cases_max_inclusive=high_inc,
                    band_certainty=band_certainty,
                    vaccination_met=vaccination_met,
                    capacity=capacity,
                    level=final,
                    certainty="U",
                    note="Ma trận tái dựng"
                    if vaccination_met
                    else "Ma trận tái dựng; không đạt tiêm chủng: nâng một cấp [V]",
                )


def unseed(apps, schema_editor):
    apps.get_model("levels", "RuleSet").objects.filter(code__in=["4800", "218"]).delete()


class Migration(migrations.Migration):
    dependencies = [("levels", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
