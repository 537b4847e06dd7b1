"""Every catalogue (kitab/locale and each app's own locale/) is complete in every interface language, not fuzzy,
compiled, and used by Django. `scripts/i18n todo DIR` lists what is missing (docs/translating.md)."""

from __future__ import annotations

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.utils import translation

from kitab.core.languages import TRANSLATED_CODES, by_code

KITAB = Path(__file__).resolve().parents[2] / "kitab"
LOCALE = KITAB / "locale"
LANGUAGES = TRANSLATED_CODES
PLURAL_FORMS = {code: by_code(code).plural_count for code in TRANSLATED_CODES}
# kitab/locale holds the apps without a catalogue of their own; some apps carry one (kitab/<app>/locale).
CATALOGUES = [LOCALE, *sorted(path for path in KITAB.glob("*/locale") if path.is_dir())]
CATALOGUE_FILES = [(locale, lang) for locale in CATALOGUES for lang in LANGUAGES]
CATALOGUE_IDS = [f"{locale.parent.name}-{lang}" for locale, lang in CATALOGUE_FILES]
# %(name)s, %s, %d, {name}: what must survive translation unchanged
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


@dataclass
class Entry:
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0


def parse_po(path: Path) -> list[Entry]:
    """A small .po reader: enough for the files makemessages writes (obsolete `#~` entries are skipped)."""
    entries: list[Entry] = []
    entry = Entry()
    target: tuple[str, int] | None = None

    def flush() -> None:
        nonlocal entry
        if target is not None or entry.flags:
            entries.append(entry)
        entry = Entry()

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            flush()
            target = None
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#,"):
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith("#"):
            continue
        match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")$', line)
        if match:
            keyword, index, text = match.group(1), match.group(2), ast.literal_eval(match.group(3))
            entry.line = entry.line or number
            if keyword.startswith("msgstr"):
                target = ("msgstr", int(index or 0))
                entry.msgstr[target[1]] = text
            else:
                target = (keyword, 0)
                setattr(entry, keyword, text)
            continue
        assert line.startswith('"') and target is not None, f"{path}:{number}: cannot read {raw!r}"
        text = ast.literal_eval(line)
        if target[0] == "msgstr":
            entry.msgstr[target[1]] += text
        else:
            setattr(entry, target[0], (getattr(entry, target[0]) or "") + text)
    flush()
    return entries


def _po(lang: str, locale: Path = LOCALE) -> Path:
    return locale / lang / "LC_MESSAGES" / "django.po"


def _mo(lang: str, locale: Path = LOCALE) -> Path:
    return locale / lang / "LC_MESSAGES" / "django.mo"


@pytest.mark.parametrize(("locale", "lang"), CATALOGUE_FILES, ids=CATALOGUE_IDS)
def test_catalogue_is_complete_and_not_fuzzy(locale, lang):
    path = _po(lang, locale)
    assert path.exists(), f"{path} is missing: run scripts/i18n messages {locale.parent.relative_to(KITAB.parent)}"
    entries = parse_po(path)
    header, messages = entries[0], entries[1:]
    assert header.msgid == "" and "fuzzy" not in header.flags, "the header is still marked fuzzy"
    assert f"Language: {lang}\n" in header.msgstr[0]
    assert f"nplurals={PLURAL_FORMS[lang]};" in header.msgstr[0]
    if locale == LOCALE:
        assert len(messages) > 250
    problems = []
    for entry in messages:
        where = f"{path.relative_to(KITAB)}:{entry.line} {entry.msgid[:50]!r}"
        if "fuzzy" in entry.flags:
            problems.append(f"{where}: fuzzy")
        expected = PLURAL_FORMS[lang] if entry.msgid_plural is not None else 1
        if sorted(entry.msgstr) != list(range(expected)):
            problems.append(f"{where}: {len(entry.msgstr)} translations, expected {expected}")
        if any(not text.strip() for text in entry.msgstr.values()):
            problems.append(f"{where}: empty translation")
        wanted = sorted(PLACEHOLDER.findall(entry.msgid_plural or entry.msgid))
        for text in entry.msgstr.values():
            found = sorted(PLACEHOLDER.findall(text))
            # a singular form may leave out the count ("one record" written as a word is fine)
            if found != wanted and not set(found) <= set(wanted):
                problems.append(f"{where}: placeholders {found} instead of {wanted}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("locale", "lang"), CATALOGUE_FILES, ids=CATALOGUE_IDS)
def test_compiled_catalogue_is_up_to_date(locale, lang):
    po, mo = _po(lang, locale), _mo(lang, locale)
    assert mo.exists(), f"{mo} is missing: run compilemessages"
    # A fresh checkout writes both files within a moment; a .po edited after compiling is seconds newer.
    assert mo.stat().st_mtime >= po.stat().st_mtime - 2, (
        f"{mo.name} is older than {po.name}: run compilemessages"
    )
    with mo.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    stale = []
    for entry in parse_po(po)[1:]:
        key = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        if entry.msgid_plural is None:
            if catalog.get(key) != entry.msgstr[0]:
                stale.append(entry.msgid)
        elif any(catalog.get((key, i)) != text for i, text in entry.msgstr.items()):
            stale.append(entry.msgid)
    assert not stale, f"{mo} does not match {po.name} for: {stale[:10]}"


KNOWN = {
    "az": {
        "Search": "Axtar",
        "Copies": "Nüsxələr",
        "Search the catalogue": "Kataloqda axtarış",
        "On loan": "Oxucudadır",
        "Turkish": "Türk dili",
        "Dashboard": "İdarə paneli",
    },
    "tr": {
        "Search": "Ara",
        "Copies": "Nüshalar",
        "Search the catalogue": "Katalogda ara",
        "On loan": "Ödünçte",
        "Turkish": "Türkçe",
        "Dashboard": "Pano",
    },
    "ru": {
        "Search": "Найти",
        "Copies": "Экземпляры",
        "Search the catalogue": "Поиск по каталогу",
        "On loan": "Выдан",
        "Turkish": "Турецкий",
        "Dashboard": "Панель управления",
    },
}


@pytest.mark.parametrize("lang", sorted(KNOWN))
def test_django_uses_the_translations(lang):
    with translation.override(lang):
        for source, expected in KNOWN[lang].items():
            assert translation.gettext(source) == expected
        assert translation.pgettext("role", "translator") != "translator"


def test_russian_plurals():
    with translation.override("ru"):
        forms = [
            translation.npgettext("dashboard counter", "record", "records", n) for n in (1, 2, 5, 11, 21, 22)
        ]
    assert forms == ["запись", "записи", "записей", "записей", "запись", "записи"]
