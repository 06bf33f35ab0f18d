"""English as the second language (D4): Vietnamese by default, English on request, a complete catalogue.

The catalogue is phongdich/locale/en/LC_MESSAGES/django.po (Vietnamese msgids, English msgstrs) and its
compiled django.mo, both in the repository; ``scripts/messages`` refreshes them.

Django REST framework's own messages are English msgids: their Vietnamese (D1) is
phongdich/locale/vi/LC_MESSAGES/django.po and its django.mo, which hold DRF's msgids only.
"""

from __future__ import annotations

import ast
import gettext
import re
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient

LOGIN = "/accounts/login/"
SETLANG = "/i18n/setlang/"
PO = Path(settings.BASE_DIR) / "phongdich" / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
VI_PO = Path(settings.BASE_DIR) / "phongdich" / "locale" / "vi" / "LC_MESSAGES" / "django.po"
VI_MO = VI_PO.with_suffix(".mo")


# --- A small .po reader (no polib dependency) ---------------------------------------------


@dataclass
class Entry:
    line: int
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False


def read_po(path: Path) -> list[Entry]:
    """Entries of a .po file, the header (empty msgid) included."""
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int] | None = None  # ("msgid" | "msgid_plural" | "msgctxt" | "msgstr", index)

    def start(lineno: int) -> Entry:
        nonlocal entry
        if entry is None or entry.msgstr:
            entry = Entry(line=lineno)
            entries.append(entry)
        return entry

    def put(e: Entry, where: tuple[str, int], text: str) -> None:
        kind, index = where
        if kind == "msgstr":
            e.msgstr[index] = e.msgstr.get(index, "") + text
        elif kind == "msgid_plural":
            e.msgid_plural = (e.msgid_plural or "") + text
        elif kind == "msgctxt":
            e.msgctxt = (e.msgctxt or "") + text
        else:
            e.msgid += text

    pending_flags: set[str] = set()
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#~"):
            e = start(lineno)
            e.obsolete = True
            continue
        if line.startswith("#,"):
            pending_flags |= {f.strip() for f in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")$', line)
        if match:
            keyword, index, literal = match.group(1), match.group(2), match.group(3)
            if keyword in ("msgctxt", "msgid"):
                e = start(lineno)
                e.flags |= pending_flags
                pending_flags = set()
            assert entry is not None, f"{path}:{lineno}: {keyword} before any msgid"
            target = ("msgstr", int(index or 0)) if keyword.startswith("msgstr") else (keyword, 0)
            put(entry, target, ast.literal_eval(literal))
        elif line.startswith('"') and entry is not None and target is not None:
            put(entry, target, ast.literal_eval(line))
        else:
            raise AssertionError(f"{path}:{lineno}: cannot read {raw!r}")
    return entries


def messages() -> list[Entry]:
    return [e for e in read_po(PO) if e.msgid and not e.obsolete]


PLACEHOLDER = re.compile(r"%\((\w+)\)[sdifr]|%[sdifr]|\{\w*\}")


def placeholders(text: str) -> Counter[str]:
    return Counter(m.group(0) for m in PLACEHOLDER.finditer(text))


def english(entry: Entry, n: int = 1) -> str:
    if entry.msgid_plural is not None:
        if entry.msgctxt is not None:
            return translation.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n)
        return translation.ngettext(entry.msgid, entry.msgid_plural, n)
    if entry.msgctxt is not None:
        return translation.pgettext(entry.msgctxt, entry.msgid)
    return translation.gettext(entry.msgid)


# --- Pages ----------------------------------------------------------------------------------


def test_login_page_is_vietnamese_by_default_i18n_D4(db: Any, client: Client) -> None:
    html = client.get(LOGIN).content.decode()
    assert '<html lang="vi">' in html
    assert "Đăng nhập" in html
    assert "Quên mật khẩu?" in html
    assert "Log in" not in html


def test_english_switch_turns_login_page_english_i18n_D4(db: Any, client: Client) -> None:
    response = client.post(SETLANG, {"language": "en", "next": LOGIN})
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    html = client.get(LOGIN).content.decode()
    assert '<html lang="en">' in html
    for text in ("Log in", "Username", "Password", "Forgot your password?", "Epidemic prevention and control"):
        assert text in html
    for text in ("Đăng nhập", "Mật khẩu", "Quên mật khẩu?"):
        assert text not in html
    # The switch offers each language under its own name, and back to Vietnamese works.
    assert "Tiếng Việt" in html
    client.post(SETLANG, {"language": "vi", "next": LOGIN})
    assert "Đăng nhập" in client.get(LOGIN).content.decode()


def test_english_wrong_password_message_is_english_i18n_D4(cast: Any, client: Client) -> None:
    client.post(SETLANG, {"language": "en", "next": LOGIN})
    html = client.post(LOGIN, {"username": "cuong", "password": "sai-mat-khau"}).content.decode()
    assert "Incorrect username or password" in html
    assert "không đúng" not in html


def test_english_switch_turns_home_page_english_i18n_D4(cast: Any, client: Client) -> None:
    client.login(username="cuong", password=cast.password)
    vietnamese = client.get("/").content.decode()
    assert "Vai trò và phạm vi của bạn" in vietnamese
    client.post(SETLANG, {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    for text in (
        f"Hello, {cast.cuong}",
        "Your roles and scope",
        "Today's tasks",
        "Commune officer",  # a role's label (TextChoices)
        "Update the resident list of Phường Quán Triều",  # a to-do built in Python
        "Registered residents",  # a panel fact
        ">People<",  # the main navigation
        ">Areas<",
        "Log out",
        "Masks – Disinfection – Distance – No gatherings – Health declaration",
    ):
        assert text in html, text
    for text in ("Vai trò và phạm vi của bạn", "Việc cần làm hôm nay", "Đăng xuất", "Cán bộ cấp xã"):
        assert text not in html, text


def test_api_errors_follow_accept_language_i18n_D4(tree: Any, cast: Any) -> None:
    api = APIClient()
    api.force_authenticate(user=cast.cuong)
    payload = {"full_name": "Ngô Thị Hằng", "birth_date": "2999-01-01", "sex": "F", "residence_unit": "05431"}
    english_errors = api.post("/api/v1/people/", payload, format="json", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english_errors["birth_date"] == ["The date of birth must not be in the future."]
    unknown_unit = api.post(
        "/api/v1/people/",
        {**payload, "birth_date": "1993-07-15", "residence_unit": "00000"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9",
    ).json()
    assert unknown_unit["residence_unit"] == ["There is no administrative unit “00000”."]
    vietnamese_errors = api.post("/api/v1/people/", payload, format="json", HTTP_ACCEPT_LANGUAGE="vi").json()
    assert vietnamese_errors["birth_date"] == ["Ngày sinh không được ở tương lai."]


# --- The catalogue --------------------------------------------------------------------------


def test_catalogue_is_complete_i18n_D4() -> None:
    entries = messages()
    assert len(entries) > 500  # every app's strings, not a stub
    references = re.findall(r"^#: (.+)$", PO.read_text(encoding="utf-8"), re.M)
    sources = {ref.rsplit(":", 1)[0] for line in references for ref in line.split()}
    for app in ("core", "geo", "orgs", "people", "dashboard"):
        assert any(path.startswith(f"phongdich/{app}/") for path in sources), app
    assert any(path.startswith("phongdich/templates/") for path in sources)

    header = next(e for e in read_po(PO) if not e.msgid)
    assert "Language: en\n" in header.msgstr[0]
    assert "nplurals=2; plural=(n != 1);" in header.msgstr[0]

    problems = []
    for e in entries:
        where = f"line {e.line}: {e.msgid!r}"
        if "fuzzy" in e.flags:
            problems.append(f"fuzzy, {where}")
        expected_forms = 2 if e.msgid_plural is not None else 1
        forms = [e.msgstr.get(i, "") for i in range(expected_forms)]
        if not all(s.strip() for s in forms):
            problems.append(f"untranslated, {where}")
        if "python-format" in e.flags or "python-brace-format" in e.flags:
            for source, text in zip([e.msgid, e.msgid_plural or ""][:expected_forms], forms, strict=True):
                if placeholders(source) != placeholders(text):
                    problems.append(f"placeholders {dict(placeholders(text))} ≠ {dict(placeholders(source))}, {where}")
    assert not problems, "\n".join(problems)


def test_catalogue_is_not_vietnamese_copied_through_i18n_D4() -> None:
    """A msgstr identical to its Vietnamese msgid is a string someone forgot (language names excepted)."""
    vietnamese_letters = re.compile("[ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ]", re.I)
    copied = [
        e.msgid
        for e in messages()
        if e.msgid_plural is None and e.msgstr.get(0) == e.msgid and vietnamese_letters.search(e.msgid)
    ]
    assert copied == ["Tiếng Việt"]


def test_compiled_catalogue_matches_the_po_i18n_D4() -> None:
    """django.mo ships in the repository: it must say what django.po says (run scripts/messages)."""
    assert MO.exists(), "phongdich/locale/en/LC_MESSAGES/django.mo is missing: run scripts/messages"
    stale = []
    with translation.override("en"):
        for e in messages():
            if e.msgid_plural is not None:
                got = [english(e, 1), english(e, 2)]
                want = [e.msgstr[0], e.msgstr[1]]
            else:
                got, want = [english(e)], [e.msgstr[0]]
            if got != want:
                stale.append(f"line {e.line}: {e.msgid!r} → {got!r}, .po says {want!r}")
    assert not stale, "django.mo is older than django.po (run scripts/messages):\n" + "\n".join(stale[:20])


def test_vietnamese_stays_the_source_language_i18n_D4() -> None:
    """Under Vietnamese nothing is translated: the msgids themselves are the interface."""
    sample = messages()[::50]
    with translation.override("vi"):
        for e in sample:
            assert english(e) == e.msgid


# What makemessages reads: every .py, .html and .txt file outside these folders, templates turned
# into Python by Django's templatize, then xgettext with Django's keywords.
SKIPPED_DIRS = {".venv", "var", "bench", "node_modules", "locale", "__pycache__"}
XGETTEXT = [
    "xgettext",
    "--language=Python",
    "--from-code=UTF-8",
    "--keyword=gettext_noop",
    "--keyword=gettext_lazy",
    "--keyword=ngettext_lazy:1,2",
    "--keyword=pgettext:1c,2",
    "--keyword=npgettext:1c,2,3",
    "--keyword=pgettext_lazy:1c,2",
    "--keyword=npgettext_lazy:1c,2,3",
]


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext's xgettext is not installed")
def test_every_source_string_is_in_the_catalogue_i18n_D4(tmp_path: Path) -> None:
    """A string added to the code or a template without scripts/messages (and a translation) fails here."""
    from django.utils.translation.template import templatize

    root = Path(settings.BASE_DIR)
    inputs: list[str] = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if path.suffix not in (".py", ".html", ".txt") or not path.is_file():
            continue
        if any(part in SKIPPED_DIRS or part.startswith(".") for part in relative.parts[:-1]):
            continue
        if path.suffix == ".py":
            inputs.append(str(path))
            continue
        work = tmp_path / "templates" / f"{relative}.py"
        work.parent.mkdir(parents=True, exist_ok=True)
        work.write_text(templatize(path.read_text(encoding="utf-8"), origin=str(path)), encoding="utf-8")
        inputs.append(str(work))
    pot = tmp_path / "django.pot"
    result = subprocess.run(
        [*XGETTEXT, f"--output={pot}", *inputs], capture_output=True, text=True, check=False, cwd=root
    )
    assert result.returncode == 0, result.stderr

    def keys(entries: list[Entry]) -> set[tuple[str | None, str, str | None]]:
        return {(e.msgctxt, e.msgid, e.msgid_plural) for e in entries if e.msgid and not e.obsolete}

    in_source = keys(read_po(pot))
    assert len(in_source) > 500
    missing = sorted(in_source - keys(messages()), key=lambda k: k[1])
    assert not missing, (
        "Strings in the code that phongdich/locale/en/LC_MESSAGES/django.po lacks: run scripts/messages, "
        "translate them, run scripts/messages again.\n" + "\n".join(repr(k[1]) for k in missing)
    )


# --- Vietnamese for Django REST framework's messages (D1) ------------------------------------


def drf_messages() -> list[Entry]:
    return [e for e in read_po(VI_PO) if e.msgid and not e.obsolete]


BRACES = re.compile(r"\{\w*(?::[^{}]*)?\}")  # {wait}, {input}, {code_point:X}


def test_drf_vietnamese_catalogue_is_complete_D1() -> None:
    entries = drf_messages()
    assert len(entries) > 80  # every DRF error message, not a stub
    header = next(e for e in read_po(VI_PO) if not e.msgid)
    assert "Language: vi\n" in header.msgstr[0]
    assert "nplurals=1; plural=0;" in header.msgstr[0]
    problems = []
    for e in entries:
        where = f"line {e.line}: {e.msgid!r}"
        if "fuzzy" in e.flags:
            problems.append(f"fuzzy, {where}")
        if e.msgid_plural is not None or e.msgctxt is not None:
            problems.append(f"DRF's messages have neither plurals nor contexts, {where}")
        text = e.msgstr.get(0, "")
        if not text.strip() or text == e.msgid or text != text.strip():
            problems.append(f"untranslated or padded, {where}")
        for pattern in (PLACEHOLDER, BRACES):
            found, wanted = Counter(pattern.findall(text)), Counter(pattern.findall(e.msgid))
            if found != wanted:
                problems.append(f"placeholders {dict(found)} ≠ {dict(wanted)}, {where}")
    assert not problems, "\n".join(problems)


def test_drf_vietnamese_catalogue_holds_no_project_string_D1() -> None:
    """The project's msgids are Vietnamese and shown as they are: none may get a vi translation."""
    vietnamese_letters = re.compile("[ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ]", re.I)
    ids = {e.msgid for e in drf_messages()}
    assert not ids & {e.msgid for e in messages()}
    assert not [i for i in ids if vietnamese_letters.search(i)]


def test_drf_vietnamese_mo_matches_the_po_and_wins_D1() -> None:
    """django.mo says what django.po says, and Django serves it ahead of DRF's and Django's own vi."""
    assert VI_MO.exists(), "phongdich/locale/vi/LC_MESSAGES/django.mo is missing: run scripts/messages"
    with VI_MO.open("rb") as fp:
        compiled = gettext.GNUTranslations(fp)
    stale, served = [], []
    with translation.override("vi"):
        for e in drf_messages():
            if compiled.gettext(e.msgid) != e.msgstr[0]:
                stale.append(f"line {e.line}: {e.msgid!r} → {compiled.gettext(e.msgid)!r}")
            if translation.gettext(e.msgid) != e.msgstr[0]:
                served.append(f"line {e.line}: {e.msgid!r} → {translation.gettext(e.msgid)!r}")
    assert not stale, "django.mo is older than django.po (run scripts/messages):\n" + "\n".join(stale[:20])
    assert not served, "\n".join(served[:20])
    with translation.override("en"):
        assert all(translation.gettext(e.msgid) == e.msgid for e in drf_messages())


def test_django_own_vietnamese_still_applies_D1() -> None:
    """A vi catalogue in LOCALE_PATHS adds to Django's Vietnamese, it does not replace it."""
    site = Path(translation.__file__).parents[2]  # …/site-packages/django
    listed = {e.msgid for e in drf_messages()}
    for mo, msgids in (
        ("conf/locale/vi/LC_MESSAGES/django.mo", ["Enter a valid date.", "Enter a whole number."]),
        ("contrib/admin/locale/vi/LC_MESSAGES/django.mo", ["Log out"]),
        ("contrib/auth/locale/vi/LC_MESSAGES/django.mo", ["The two password fields didn’t match."]),
    ):
        with (site / mo).open("rb") as fp:
            django_vi = gettext.GNUTranslations(fp)
        for msgid in msgids:
            assert msgid not in listed
            expected = django_vi.gettext(msgid)
            assert expected != msgid, (mo, msgid)
            with translation.override("vi"):
                assert translation.gettext(msgid) == expected


# What is in DRF's source but not a message an API user reads: model and admin labels (DRF's own vi
# catalogue covers some), the browsable API's option list, and schema and filter descriptions.
DRF_NOT_MESSAGES = {
    "Auth Token",
    "Key",
    "User",
    "Created",
    "Token",
    "Tokens",
    "Username",
    "Password",
    "More than {count} items...",
    "Search",
    "A search term.",
    "Ordering",
    "Which field to use when ordering the results.",
    "ascending",
    "descending",
    "A page number within the paginated result set.",
    "Number of results to return per page.",
    "The initial index from which to return the results.",
    "The pagination cursor value.",
    "unique integer value",
    "UUID string",
    "unique value",
    "A {value_type} identifying this {name}.",
}


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext's xgettext is not installed")
def test_drf_vietnamese_catalogue_follows_drf_source_D1(tmp_path: Path) -> None:
    """After a DRF upgrade this lists its new messages (to translate) and the msgids it dropped."""
    import rest_framework

    root = Path(rest_framework.__file__).parent
    pot = tmp_path / "drf.pot"
    sources = sorted(str(p.relative_to(root)) for p in root.rglob("*.py"))
    result = subprocess.run(
        [*XGETTEXT, f"--output={pot}", *sources], capture_output=True, text=True, check=False, cwd=root
    )
    assert result.returncode == 0, result.stderr
    in_drf = {e.msgid for e in read_po(pot) if e.msgid}
    assert len(in_drf) > 100
    listed = {e.msgid for e in drf_messages()}
    missing = sorted(in_drf - DRF_NOT_MESSAGES - listed)
    gone = sorted(listed - in_drf)
    assert not missing, f"DRF messages to translate in {VI_PO}:\n" + "\n".join(map(repr, missing))
    assert not gone, f"msgids DRF no longer has; remove them from {VI_PO}:\n" + "\n".join(map(repr, gone))


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext's msgfmt is not installed")
@pytest.mark.parametrize("catalogue", ["en", "vi"])
def test_catalogue_passes_msgfmt_check_D1_D4(tmp_path: Path, catalogue: str) -> None:
    """Both catalogues: the English of the project's strings (D4) and the Vietnamese of DRF's (D1)."""
    po = PO if catalogue == "en" else VI_PO
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", str(tmp_path / "django.mo"), str(po)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr
    assert "fuzzy" not in result.stderr
