"""Countries an epidemic area may name: ISO 3166-1 alpha-2 codes with their Vietnamese names (data)."""

from __future__ import annotations

COUNTRIES: dict[str, str] = {
    "AU": "Úc",
    "BD": "Bangladesh",
    "BR": "Brazil",
    "CA": "Canada",
    "CH": "Thụy Sĩ",
    "CN": "Trung Quốc",
    "CZ": "Séc",
    "DE": "Đức",
    "DK": "Đan Mạch",
    "ES": "Tây Ban Nha",
    "FR": "Pháp",
    "GB": "Anh",
    "HK": "Hồng Kông (Trung Quốc)",
    "ID": "Indonesia",
    "IN": "Ấn Độ",
    "IR": "Iran",
    "IT": "Italia",
    "JP": "Nhật Bản",
    "KH": "Campuchia",
    "KR": "Hàn Quốc",
    "LA": "Lào",
    "MM": "Myanmar",
    "MY": "Malaysia",
    "NL": "Hà Lan",
    "NO": "Na Uy",
    "PH": "Philippines",
    "PK": "Pakistan",
    "RU": "Nga",
    "SA": "Ả Rập Xê Út",
    "SE": "Thụy Điển",
    "SG": "Singapore",
    "TH": "Thái Lan",
    "TR": "Thổ Nhĩ Kỳ",
    "TW": "Đài Loan (Trung Quốc)",
    "US": "Hoa Kỳ",
    "ZA": "Nam Phi",
}


def country_name(code: str) -> str:
    return COUNTRIES.get(code.upper(), code.upper())
