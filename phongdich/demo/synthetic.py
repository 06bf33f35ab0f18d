"""A synthetic population: plausible, deterministic (seeded) and never real.

``PopulationGenerator`` draws people one at a time as dicts of ``Person`` fields: a
Vietnamese name (family names weighted as in the north of the country, with the Tày and
Nùng names of Thái Nguyên), sex, a year and usually a date of birth following an age
pyramid, a structurally valid and unique CCCD (``0`` + province of birth, century/sex
digit, two digits of the year, six serial digits), a unique mobile number on a real
network prefix, a residence spread over communes in proportion to their population
(and over hamlets where a commune has them), an address, an occupation and, for some
adults, an employer. ``people_bulk_create`` writes them in batches through
``bulk_create`` — a million people in a few minutes.

Every number and name is drawn at random; the combination is fictional. Rows are marked
``is_synthetic``.
"""

# Seeded pseudo-random numbers on purpose: the same seed gives the same synthetic data.
# ruff: noqa: S311

from __future__ import annotations

import bisect
import itertools
import random
import sys
import time
import uuid
from collections.abc import Container, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Generic, TextIO, TypeVar

from phongdich.core.text import fold

# The year the scenario is set in (the COVID-19 directives of 2020–2021): ages are counted
# from it, so that a given seed always yields the same people.
REFERENCE_YEAR = 2021
# CCCDs are issued from the age of 14; children under it have none.
CCCD_MIN_AGE = 14
PHONE_MIN_AGE = 15

T = TypeVar("T")


def _words(text: str, sep: str = " ") -> tuple[str, ...]:
    return tuple(word.strip() for word in text.split(sep) if word.strip())


def _weighted(text: str) -> tuple[tuple[str, float], ...]:
    """``"Nguyễn 31|Trần 9"`` → ``(("Nguyễn", 31.0), ("Trần", 9.0))``."""
    pairs = (item.strip().rsplit(" ", 1) for item in text.split("|") if item.strip())
    return tuple((name, float(weight)) for name, weight in pairs)


class Picker(Generic[T]):
    """Weighted choice by bisection over cumulative weights (faster than random.choices per call)."""

    def __init__(self, items: Sequence[tuple[T, float]]) -> None:
        if not items:
            raise ValueError("Picker needs at least one item")
        self.values: list[T] = [value for value, _weight in items]
        self.cumulative: list[float] = list(itertools.accumulate(float(weight) for _value, weight in items))
        self.total = self.cumulative[-1]
        if self.total <= 0:
            raise ValueError("Picker needs a positive total weight")

    def pick(self, rng: random.Random) -> T:
        index = bisect.bisect_right(self.cumulative, rng.random() * self.total)
        return self.values[min(index, len(self.values) - 1)]


# --- Names ----------------------------------------------------------------------------
# Weights (per cent, roughly) of family names in the northern midlands; Ma, Nông, Hà, Triệu,
# Lục, La, Hứa, Đàm are common among the Tày, Nùng, Dao and Sán Dìu of Thái Nguyên.
FAMILY_NAMES: tuple[tuple[str, float], ...] = _weighted(
    "Nguyễn 31|Trần 9|Lê 7|Phạm 5|Hoàng 5|Huỳnh 0.3|Phan 2|Vũ 3|Võ 0.5|Đặng 2|Bùi 2|Đỗ 2|Hồ 0.8|Ngô 1.5|"
    "Dương 2|Lý 0.8|Ma 1.5|Nông 1.2|Hà 1.5|Triệu 0.8|Lương 1|Đào 1|Đinh 1|Trịnh 0.8|Đoàn 0.8|Mai 0.6|"
    "Cao 0.6|Lâm 0.5|Chu 0.6|Đàm 0.4|Lục 0.3|La 0.3|Hứa 0.3|Tạ 0.4|Tô 0.4|Lưu 0.5|Phùng 0.3|Quách 0.2|"
    "Kiều 0.2|Vương 0.2|Nghiêm 0.2|Thân 0.2|Tống 0.2|Khổng 0.1|Mạc 0.1|Âu 0.1"
)

# "Văn" and "Thị" dominate older generations; younger people get more varied middle names.
MIDDLE_MALE_TRADITIONAL = "Văn"
MIDDLE_FEMALE_TRADITIONAL = "Thị"
MIDDLE_MALE: tuple[str, ...] = _words(
    "Đức Minh Hữu Quang Công Thành Xuân Mạnh Tiến Trung Ngọc Thế Duy Hoàng Quốc Anh Gia Đình Bá Trọng "
    "Việt Huy Tuấn Hải Thanh Đăng Khắc Kim"
)
MIDDLE_FEMALE: tuple[str, ...] = _words(
    "Ngọc Thu Thanh Minh Hồng Phương Thùy Kim Bảo Khánh Mai Hải Lan Hoài Diệu Quỳnh Bích Thúy Hương Thảo "
    "Mỹ Tuyết Yến Vân"
)
GIVEN_MALE: tuple[str, ...] = _words(
    "Anh Hùng Dũng Tuấn Hải Long Nam Thắng Hiếu Minh Quân Sơn Trung Cường Đức Huy Hoàng Khánh Phong Thành "
    "Tùng Việt Bình Công Đạt Duy Giang Hậu Hòa Khoa Kiên Lâm Lực Mạnh Nghĩa Phúc Quang Tài Thái Thịnh "
    "Tiến Toàn Trí Tú Vinh Vũ Bảo Chiến Định Đông Hiệp Hưng Khang Lộc Luân Nhân Phát Quyết Sang Tâm Thiện "
    "Thuận Trường Kiệt Lợi Ninh Tân Thông Tuyên Vượng Đoàn Hào"
)
GIVEN_FEMALE: tuple[str, ...] = _words(
    "Anh Hương Hà Lan Linh Mai Ngọc Nhung Phương Thảo Trang Huyền Hằng Hạnh Hoa Hồng Yến Thủy Thu Vân "
    "Oanh Quyên Nga Ngân Nhi Như Quỳnh Tâm Thơ Trâm Uyên Vy Xuân Diệp Dung Duyên Giang Hiền Huệ Lệ Liên "
    "Loan Ly My Nguyệt Nhàn Thanh Thúy Tuyết Hậu Chi Châu Bích Lụa Hiên Thắm Gấm Đào Hải Khuê"
)

# --- Age pyramid (per cent of the population by 5-year band, Vietnam 2019 census shape) ---
AGE_BANDS: tuple[tuple[tuple[int, int], float], ...] = (
    ((0, 4), 8.0),
    ((5, 9), 8.5),
    ((10, 14), 7.5),
    ((15, 19), 6.8),
    ((20, 24), 7.0),
    ((25, 29), 8.0),
    ((30, 34), 8.3),
    ((35, 39), 7.8),
    ((40, 44), 7.2),
    ((45, 49), 6.6),
    ((50, 54), 5.9),
    ((55, 59), 5.2),
    ((60, 64), 4.3),
    ((65, 69), 3.2),
    ((70, 74), 2.0),
    ((75, 79), 1.4),
    ((80, 84), 1.0),
    ((85, 89), 0.6),
    ((90, 99), 0.3),
)

# --- Identity numbers ----------------------------------------------------------------------
# Province of birth registration (GSO code) for residents of Thái Nguyên: mostly 19, the rest
# from neighbouring provinces and the big cities.
BIRTH_PROVINCES: tuple[tuple[str, float], ...] = _weighted(
    "19 86|01 2|24 2|06 1.5|08 1.2|20 1|26 1|25 1|27 0.8|04 0.8|38 0.6|40 0.6|30 0.5|36 0.5|15 0.4|79 0.3"
)

# Mobile prefixes by network, weighted by market share (Viettel, VinaPhone, MobiFone,
# Vietnamobile, Gmobile, Itelecom).
MOBILE_PREFIXES: tuple[tuple[str, float], ...] = (
    *((f"03{d}", 5.0) for d in "23456789"),
    ("086", 3.0),
    ("096", 3.0),
    ("097", 4.0),
    ("098", 4.0),
    *((f"08{d}", 3.5) for d in "12345"),
    ("088", 2.0),
    ("091", 4.0),
    ("094", 3.0),
    ("070", 2.0),
    *((f"07{d}", 2.0) for d in "6789"),
    ("089", 1.5),
    ("090", 3.5),
    ("093", 3.0),
    ("052", 0.6),
    ("056", 0.8),
    ("058", 0.8),
    ("092", 0.8),
    ("059", 0.5),
    ("099", 0.5),
    ("087", 0.2),
)

# --- Occupations ----------------------------------------------------------------------------
RURAL_OCCUPATIONS: tuple[tuple[str, float], ...] = _weighted(
    "Nông dân 40|Công nhân 15|Lao động tự do 12|Buôn bán 8|Thợ xây 5|Nội trợ 5|Kinh doanh 4|Lái xe 3|"
    "Thợ may 3|Chăn nuôi 3|Giáo viên 2"
)
URBAN_OCCUPATIONS: tuple[tuple[str, float], ...] = _weighted(
    "Công nhân 15|Buôn bán 12|Nhân viên văn phòng 12|Kinh doanh 10|Lao động tự do 10|Nhân viên bán hàng 6|"
    "Cán bộ, công chức 6|Giáo viên 5|Nội trợ 5|Kỹ sư 4|Lái xe 4|Thợ sửa chữa 3|Bác sĩ 1.5|Điều dưỡng 1.5"
)
# Occupations of people employed by an organisation, by its kind (orgs.OrganisationKind).
EMPLOYER_OCCUPATIONS: dict[str, tuple[tuple[str, float], ...]] = {
    "enterprise": (
        ("Công nhân", 75.0),
        ("Nhân viên văn phòng", 10.0),
        ("Kỹ sư", 8.0),
        ("Tổ trưởng sản xuất", 4.0),
        ("Lái xe", 3.0),
    ),
    "hospital": (
        ("Điều dưỡng", 40.0),
        ("Bác sĩ", 30.0),
        ("Kỹ thuật viên y tế", 15.0),
        ("Nhân viên hành chính", 10.0),
        ("Dược sĩ", 5.0),
    ),
    "school": (("Giáo viên", 85.0), ("Nhân viên hành chính", 15.0)),
    "university": (("Giảng viên", 75.0), ("Nhân viên hành chính", 25.0)),
    "police": (("Công an", 100.0),),
    "military": (("Quân nhân", 100.0),),
}
EMPLOYER_OCCUPATIONS["health_agency"] = EMPLOYER_OCCUPATIONS["hospital"]
STATE_OCCUPATIONS: tuple[tuple[str, float], ...] = _weighted("Công chức 70|Viên chức 20|Nhân viên hành chính 10")

# Street names and hamlet names for addresses (common Vietnamese place words).
STREETS: tuple[str, ...] = _words(
    "Hoàng Văn Thụ|Lương Ngọc Quyến|Quang Trung|Phan Đình Phùng|Cách Mạng Tháng Tám|Minh Cầu|Bắc Kạn|"
    "Dương Tự Minh|Thống Nhất|Việt Bắc|Hùng Vương|Lê Duẩn|Tân Thịnh|Bến Oánh|Z115|Quyết Thắng",
    sep="|",
)
HAMLET_NAMES: tuple[str, ...] = _words(
    "Đồng Tâm|Tân Lập|Hòa Bình|Thống Nhất|Đoàn Kết|Trung Tâm|Tân Thành|Làng Mới|Cầu Mây|Đồng Chùa|"
    "Bãi Bông|Soi Đình|Đầm Mương|Ao Sen|Na Hoàng|Khuôn Lăn|Đồng Bầu|Cây Thị|Gốc Gạo|Tiền Phong",
    sep="|",
)


@dataclass(frozen=True)
class Residence:
    """A commune people may live in, weighted by its population; hamlets as ``(unit id, name)``."""

    unit_id: int
    weight: float
    urban: bool = False
    hamlets: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True)
class Employer:
    """An organisation that employs some of the adults; ``kind`` is an OrganisationKind value."""

    organisation_id: int
    kind: str
    weight: float = 1.0


class _Serials:
    """Unique six- or seven-digit serials per bucket, scrambled by an affine permutation.

    ``(offset + n * multiplier) mod 10**digits`` visits every serial once as ``n`` counts up,
    because the multiplier is coprime to 10 — unique without remembering what was issued.
    """

    def __init__(self, *, seed: int, digits: int, salt: str) -> None:
        self.modulus = 10**digits
        self.digits = digits
        self.seed = seed
        self.salt = salt
        rng = random.Random(f"{salt}:{seed}")
        multiplier = rng.randrange(self.modulus // 10, self.modulus)
        while multiplier % 2 == 0 or multiplier % 5 == 0:
            multiplier += 1
        self.multiplier = multiplier
        self.buckets: dict[str, list[int]] = {}

    def next(self, bucket: str) -> str:
        state = self.buckets.get(bucket)
        if state is None:
            state = [random.Random(f"{self.salt}:{self.seed}:{bucket}").randrange(self.modulus), 0]
            self.buckets[bucket] = state
        offset, n = state
        if n >= self.modulus:
            raise OverflowError(f"serials of {bucket} exhausted")
        state[1] = n + 1
        return f"{(offset + n * self.multiplier) % self.modulus:0{self.digits}d}"


def _folded(words: Sequence[str]) -> dict[str, str]:
    return {word: fold(word) for word in words}


@dataclass
class PopulationGenerator:
    """Draws synthetic people; the same seed and inputs give the same people, in the same order.

    ``taken_cccds`` / ``taken_phones``: numbers already in the database, never issued again.
    """

    seed: int
    residences: Sequence[Residence]
    employers: Sequence[Employer] = ()
    employed_share: float = 0.3
    reference_year: int = REFERENCE_YEAR
    taken_cccds: Container[str] = frozenset()
    taken_phones: Container[str] = frozenset()
    rng: random.Random = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if not self.residences:
            raise ValueError("PopulationGenerator needs at least one residence")
        self.rng = random.Random(self.seed)
        self._residences = Picker([(r, max(r.weight, 0.0) or 1.0) for r in self.residences])
        self._employers: Picker[Employer] | None = (
            Picker([(e, e.weight) for e in self.employers]) if self.employers else None
        )
        self._family = Picker(FAMILY_NAMES)
        self._age_band = Picker(AGE_BANDS)
        self._birth_province = Picker(BIRTH_PROVINCES)
        self._prefix = Picker(MOBILE_PREFIXES)
        self._rural = Picker(RURAL_OCCUPATIONS)
        self._urban = Picker(URBAN_OCCUPATIONS)
        self._state = Picker(STATE_OCCUPATIONS)
        self._by_kind = {kind: Picker(items) for kind, items in EMPLOYER_OCCUPATIONS.items()}
        self._fold = _folded(
            [
                *(name for name, _w in FAMILY_NAMES),
                MIDDLE_MALE_TRADITIONAL,
                MIDDLE_FEMALE_TRADITIONAL,
                *MIDDLE_MALE,
                *MIDDLE_FEMALE,
                *GIVEN_MALE,
                *GIVEN_FEMALE,
            ]
        )
        self._cccd_serials = _Serials(seed=self.seed, digits=6, salt="cccd")
        self._phone_serials = _Serials(seed=self.seed, digits=7, salt="phone")

    # --- one attribute at a time ---------------------------------------------------------
    def name(self, *, sex: str, birth_year: int) -> tuple[str, str, str]:
        """``(full name, folded full name, folded given name)``."""
        rng = self.rng
        family = self._family.pick(rng)
        # The share of Văn / Thị falls with each generation.
        traditional = 0.75 if birth_year < 1970 else 0.5 if birth_year < 1990 else 0.25
        if sex == "M":
            middle = MIDDLE_MALE_TRADITIONAL if rng.random() < traditional else rng.choice(MIDDLE_MALE)
            given = rng.choice(GIVEN_MALE)
            second = rng.choice(MIDDLE_MALE) if rng.random() < 0.08 else ""
        else:
            middle = MIDDLE_FEMALE_TRADITIONAL if rng.random() < traditional else rng.choice(MIDDLE_FEMALE)
            given = rng.choice(GIVEN_FEMALE)
            second = rng.choice(MIDDLE_FEMALE) if rng.random() < 0.2 else ""
        words = [family, middle, second, given] if second and second != middle and second != given else None
        if words is None:
            words = [family, middle, given] if middle != given else [family, given]
        full = " ".join(words)
        folded = " ".join(self._fold[w] for w in words)
        return full, folded, self._fold[given]

    def birth(self) -> tuple[int, date | None]:
        rng = self.rng
        low, high = self._age_band.pick(rng)
        year = self.reference_year - rng.randint(low, high)
        # Older people often know only their year of birth.
        if year < 1950 and rng.random() < 0.4:
            return year, None
        return year, date(year, 1, 1) + timedelta(days=rng.randrange(365))

    def cccd(self, *, sex: str, birth_year: int) -> str:
        province = self._birth_province.pick(self.rng)
        digit = {19: 0, 20: 2, 21: 4}[birth_year // 100] + (1 if sex == "F" else 0)
        prefix = f"0{province}{digit}{birth_year % 100:02d}"
        while True:
            value = prefix + self._cccd_serials.next(prefix)
            if value not in self.taken_cccds:
                return value

    def phone(self) -> str:
        prefix = self._prefix.pick(self.rng)
        while True:
            value = prefix + self._phone_serials.next(prefix)
            if value not in self.taken_phones:
                return value

    def occupation(self, *, age: int, sex: str, urban: bool) -> tuple[str, int | None]:
        """``(occupation, employer organisation id or None)``."""
        rng = self.rng
        if age < 6:
            return "", None
        if age < 18:
            return "Học sinh", None
        if age <= 22 and rng.random() < 0.45:
            return "Sinh viên", None
        retired_at = 60 if sex == "M" else 55
        if age >= retired_at:
            if urban or rng.random() < 0.4:
                return "Hưu trí", None
            return ("Nông dân" if rng.random() < 0.7 else "Nội trợ"), None
        if self._employers is not None and rng.random() < self.employed_share:
            employer = self._employers.pick(rng)
            picker = self._by_kind.get(employer.kind, self._state)
            return picker.pick(rng), employer.organisation_id
        return (self._urban if urban else self._rural).pick(rng), None

    def address(self, *, residence: Residence, hamlet_name: str) -> str:
        rng = self.rng
        if hamlet_name:
            if residence.urban:
                return f"Số {rng.randint(1, 180)}, ngõ {rng.randint(1, 60)}, {hamlet_name}"
            return hamlet_name
        if residence.urban:
            if rng.random() < 0.5:
                return f"Số {rng.randint(1, 400)}, đường {rng.choice(STREETS)}"
            return f"Số {rng.randint(1, 180)}, tổ {rng.randint(1, 30)}"
        return f"Xóm {rng.choice(HAMLET_NAMES)}"

    # --- a person ------------------------------------------------------------------------
    def person(self) -> dict[str, Any]:
        """One person as keyword arguments for ``Person(...)``."""
        rng = self.rng
        birth_year, birth_date = self.birth()
        age = self.reference_year - birth_year
        female_share = 0.58 if age >= 65 else 0.49
        sex = "F" if rng.random() < female_share else "M"
        full_name, name_folded, given_folded = self.name(sex=sex, birth_year=birth_year)
        residence = self._residences.pick(rng)
        unit_id, hamlet_name = residence.unit_id, ""
        if residence.hamlets:
            unit_id, hamlet_name = rng.choice(residence.hamlets)
        occupation, organisation_id = self.occupation(age=age, sex=sex, urban=residence.urban)
        return {
            "uid": uuid.UUID(int=rng.getrandbits(128), version=4),
            "full_name": full_name,
            "name_folded": name_folded,
            "given_name_folded": given_folded,
            "birth_year": birth_year,
            "birth_date": birth_date,
            "sex": sex,
            "cccd": self.cccd(sex=sex, birth_year=birth_year) if age >= CCCD_MIN_AGE else None,
            "phone": self.phone() if age >= PHONE_MIN_AGE and rng.random() < 0.92 else "",
            "nationality": "VN",
            "residence_unit_id": unit_id,
            "address": self.address(residence=residence, hamlet_name=hamlet_name),
            "occupation": occupation,
            "organisation_id": organisation_id,
            "is_synthetic": True,
        }

    def people(self, count: int) -> Iterator[dict[str, Any]]:
        for _ in range(count):
            yield self.person()


class Progress:
    """A counter on stderr: redrawn in place on a terminal, every tenth otherwise."""

    def __init__(self, *, total: int, label: str, stream: TextIO | None = None) -> None:
        self.total = max(total, 1)
        self.label = label
        self.stream = stream
        self.done = 0
        self.started = time.monotonic()
        self._last_tenth = -1
        self._tty = bool(stream is not None and getattr(stream, "isatty", lambda: False)())

    def update(self, n: int) -> None:
        self.done += n
        if self.stream is None:
            return
        tenth = self.done * 10 // self.total
        if not self._tty and tenth == self._last_tenth and self.done < self.total:
            return
        self._last_tenth = tenth
        elapsed = time.monotonic() - self.started
        rate = self.done / elapsed if elapsed > 0 else 0.0
        line = f"{self.label}: {self.done:,}/{self.total:,} ({self.done * 100 // self.total}%, {rate:,.0f}/s)"
        self.stream.write(("\r" + line) if self._tty else (line + "\n"))
        if self._tty and self.done >= self.total:
            self.stream.write("\n")
        self.stream.flush()


def people_bulk_create(
    *,
    generator: PopulationGenerator,
    count: int,
    batch_size: int = 5000,
    progress: TextIO | None = sys.stderr,
) -> int:
    """Write ``count`` synthetic people in batches of ``batch_size``; returns how many.

    ``Person.save()`` is bypassed, so the generator supplies the folded search keys
    (``name_folded``, ``given_name_folded``) itself, computed with ``core.text.fold``.
    Each batch is one multi-row INSERT (see ``BulkInserter``) committed on its own, so memory
    stays flat whatever ``count`` is.
    """
    from phongdich.people.models import Person

    inserter = BulkInserter(Person)
    meter = Progress(total=count, label="Nhân khẩu giả lập", stream=progress)
    created = 0
    while created < count:
        n = min(batch_size, count - created)
        inserter.insert(list(generator.people(n)))
        created += n
        meter.update(n)
    return created


class BulkInserter:
    """Insert rows given as dicts of field values, several times faster than ``bulk_create``.

    ``bulk_create`` compiles every value of every row through the ORM, which costs more than the
    database's own work for a million rows. Here the statement is built once — a plain
    parameterised ``INSERT`` that SQLite and PostgreSQL both accept — and values are converted
    to the database's form only for the field types that need it (UUIDs, dates, times, JSON),
    through the fields' own ``get_db_prep_save``. SQLite, in process, takes one row per
    statement through ``executemany``; a server takes many rows per statement (fewer round
    trips). Fields a row leaves out take their defaults; ``created_at``/``updated_at`` take the
    time of the batch. No signals are sent, no ``save()`` runs: rows must be complete and valid.
    """

    _PREPARED_TYPES = frozenset(
        {"UUIDField", "DateField", "DateTimeField", "TimeField", "DecimalField", "JSONField", "DurationField"}
    )
    ROWS_PER_STATEMENT = 1000

    def __init__(self, model: type[Any]) -> None:
        from django.db import connections, router

        self.model = model
        self.using = router.db_for_write(model)
        self.connection = connections[self.using]
        self.fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        quote = self.connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in self.fields)
        # Identifiers come from the model, quoted by the backend; values go as parameters.
        self.head = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES "  # noqa: S608
        self.row_sql = "(" + ", ".join(["%s"] * len(self.fields)) + ")"
        self.defaults = {f.attname: f.get_default() for f in self.fields}
        self.prepared = [f.get_internal_type() in self._PREPARED_TYPES for f in self.fields]
        max_params = self.connection.features.max_query_params or 65535
        per_statement = min(self.ROWS_PER_STATEMENT, max_params // len(self.fields))
        self.rows_per_statement = 1 if self.connection.vendor == "sqlite" else max(1, per_statement)

    def insert(self, rows: Sequence[dict[str, Any]]) -> None:
        from django.db import transaction
        from django.utils import timezone

        now = timezone.now()
        stamps = {"created_at": now, "updated_at": now}
        connection = self.connection
        values = []
        for row in rows:
            full = {**self.defaults, **stamps, **row}
            values.append(
                [
                    f.get_db_prep_save(full[f.attname], connection) if prep else full[f.attname]
                    for f, prep in zip(self.fields, self.prepared, strict=True)
                ]
            )
        per = self.rows_per_statement
        with transaction.atomic(using=self.using), connection.cursor() as cursor:
            if per == 1:
                cursor.executemany(self.head + self.row_sql, values)
                return
            for start in range(0, len(values), per):
                chunk = values[start : start + per]
                cursor.execute(self.head + ", ".join([self.row_sql] * len(chunk)), [v for row in chunk for v in row])


def residences_for(*, province: Any) -> list[Residence]:
    """The province's communes as residences, weighted by population (1 where unknown).

    Wards and townships (phường, thị trấn) count as urban; hamlets already registered under a
    commune receive its residents.
    """
    from phongdich.geo.models import Level, Unit, UnitType

    communes = list(Unit.objects.subtree(province).filter(level=Level.COMMUNE).order_by("path"))
    hamlets: dict[int, list[tuple[int, str]]] = {}
    for hamlet in Unit.objects.subtree(province).filter(level=Level.HAMLET).order_by("path"):
        if hamlet.parent_id is not None:
            hamlets.setdefault(hamlet.parent_id, []).append((hamlet.pk, hamlet.name))
    known = [c.population for c in communes if c.population]
    fallback = sum(known) / len(known) if known else 1.0
    return [
        Residence(
            unit_id=c.pk,
            weight=float(c.population or fallback),
            urban=c.unit_type in (UnitType.PHUONG, UnitType.THI_TRAN),
            hamlets=tuple(hamlets.get(c.pk, ())),
        )
        for c in communes
    ]
