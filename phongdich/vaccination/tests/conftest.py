"""Vaccination fixtures: the seeded products, a lot and a site in Quán Triều.

Who sees what: alice everything; cuong Quán Triều (with hamlet Tổ dân phố 1); chi Quang Vinh.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from phongdich.vaccination import services as s
from phongdich.vaccination.models import VaccinationSite, VaccineLot, VaccineProduct


@pytest.fixture
def az() -> VaccineProduct:
    return VaccineProduct.objects.get(code="astrazeneca")


@pytest.fixture
def pfizer() -> VaccineProduct:
    return VaccineProduct.objects.get(code="pfizer")


@pytest.fixture
def az_lot(az: VaccineProduct) -> VaccineLot:
    return s.lot_create(actor=None, product=az, lot_number="ABV5811", expiry_date=date(2021, 12, 31))


@pytest.fixture
def site(tree: Any) -> VaccinationSite:
    return s.site_create(actor=None, name="Trạm Y tế phường Quán Triều", unit=tree.quan_trieu)
