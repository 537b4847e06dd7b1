"""Keep Kitab's message catalogues in step with the code, for every interface language (scripts/i18n).

Catalogues live in `kitab/locale` (messages of the apps that have no catalogue of their own, and of config/)
and in `kitab/<app>/locale` for apps that carry their own, so that people working on different apps never
rewrite the same file. Every command takes the catalogue folder's parent: `kitab` or `kitab/<app>`.

    messages [DIR...]   extract messages (makemessages) for every language, fix headers, compile
    todo DIR [LANG]     print, as JSON, the messages still untranslated or fuzzy
    fill DIR FILE.json  write translations {"lang": {"msgid": "text" | ["form", ...]}} and compile;
                        a message with a context is keyed "context\\u0004msgid"

Each command holds a lock on the catalogue folder, so two people (or agents) never interleave writes.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kitab.core.languages import TRANSLATED_CODES, by_code

# -P: run in an app folder without putting it first on sys.path, where an app's selectors.py would shadow the
# standard library's `selectors` module.
DJANGO_ADMIN = [sys.executable, "-P", "-m", "django"]
# Folders makemessages must never read from the project root.
NOT_SOURCE = [".venv", "var", "tests", "benchmarks", "scripts", "test-artifacts", "node_modules", "docs"]


def app_catalogue_dirs() -> list[Path]:
    """kitab/<app> folders that carry their own catalogue (kitab/<app>/locale)."""
    return sorted(path.parent for path in (ROOT / "kitab").glob("*/locale") if path.is_dir())


def _catalogue_root(target: str | Path) -> Path:
    path = (ROOT / target).resolve()
    if not (path / "locale").is_dir() and path != (ROOT / "kitab").resolve():
        raise SystemExit(f"{target}: no locale/ folder (create {target}/locale to give an app its own catalogue)")
    return path


@contextlib.contextmanager
def locked(parent: Path) -> Iterator[None]:
    (parent / "locale").mkdir(exist_ok=True)
    with open(parent / "locale" / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def po_path(parent: Path, code: str) -> Path:
    return parent / "locale" / code / "LC_MESSAGES" / "django.po"


def _fix_header(po: polib.POFile, code: str) -> None:
    language = by_code(code)
    po.metadata.update(
        {
            "Project-Id-Version": "Kitab",
            "Language": code,
            "Language-Team": str(language.english_name),
            "Last-Translator": "Kitab contributors",
            "Content-Type": "text/plain; charset=UTF-8",
            "Plural-Forms": language.plural_forms,
            "PO-Revision-Date": po.metadata.get("POT-Creation-Date", ""),
        }
    )
    po.header = (
        f"{language.english_name} translation of Kitab.\n"
        "This file is distributed under the same license as Kitab (GPL-3.0-or-later)."
    )
    po.metadata_is_fuzzy = []


def compile_catalogue(path: Path) -> None:
    subprocess.run(["msgfmt", "--check", "-o", str(path.with_suffix(".mo")), str(path)], check=True)


def messages(targets: list[str]) -> None:
    parents = [_catalogue_root(t) for t in targets] or [ROOT / "kitab", *app_catalogue_dirs()]
    for parent in parents:
        with locked(parent):
            languages = [arg for code in TRANSLATED_CODES for arg in ("-l", code)]
            common = ["makemessages", *languages, "--no-obsolete", "--no-wrap", "-e", "html,txt,py"]
            if parent == (ROOT / "kitab").resolve():
                ignores = [*NOT_SOURCE, *(str(p.relative_to(ROOT)) + "/*" for p in app_catalogue_dirs())]
                command = [*DJANGO_ADMIN, *common, *(arg for i in ignores for arg in ("--ignore", i))]
                env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev", "PYTHONPATH": str(ROOT)}
                subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
            else:
                # Without settings, makemessages writes to ./locale of the app folder it runs in.
                env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
                env["PYTHONPATH"] = str(ROOT)
                subprocess.run([*DJANGO_ADMIN, *common], cwd=parent, env=env, check=True, stdout=subprocess.DEVNULL)
            for code in TRANSLATED_CODES:
                path = po_path(parent, code)
                po = polib.pofile(str(path), wrapwidth=0)
                _fix_header(po, code)
                po.save(str(path))
                compile_catalogue(path)
        print(f"{parent.relative_to(ROOT)}: {summary(parent)}")


def _missing(entry: polib.POEntry, nplurals: int) -> bool:
    if entry.obsolete:
        return False
    if "fuzzy" in entry.flags:
        return True
    if entry.msgid_plural:
        return len(entry.msgstr_plural) != nplurals or any(not v.strip() for v in entry.msgstr_plural.values())
    return not entry.msgstr.strip()


def todo(parent: Path, codes: list[str]) -> dict[str, list[dict[str, object]]]:
    result: dict[str, list[dict[str, object]]] = {}
    for code in codes:
        nplurals = by_code(code).plural_count
        po = polib.pofile(str(po_path(parent, code)), wrapwidth=0)
        entries = []
        for entry in po:
            if _missing(entry, nplurals):
                item: dict[str, object] = {"msgid": entry.msgid}
                if entry.msgctxt:
                    item["msgctxt"] = entry.msgctxt
                if entry.msgid_plural:
                    item["msgid_plural"] = entry.msgid_plural
                    item["forms"] = nplurals
                entries.append(item)
        if entries:
            result[code] = entries
    return result


def summary(parent: Path) -> str:
    missing = {code: len(entries) for code, entries in todo(parent, list(TRANSLATED_CODES)).items()}
    return "complete" if not missing else "untranslated " + ", ".join(f"{c}={n}" for c, n in missing.items())


def fill(parent: Path, translations: dict[str, dict[str, str | list[str]]]) -> None:
    with locked(parent):
        for code, texts in translations.items():
            nplurals = by_code(code).plural_count
            path = po_path(parent, code)
            po = polib.pofile(str(path), wrapwidth=0)
            unknown = set(texts)
            for entry in po:
                key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
                if key not in texts:
                    continue
                unknown.discard(key)
                text = texts[key]
                if entry.msgid_plural:
                    forms = text if isinstance(text, list) else [text] * nplurals
                    if len(forms) != nplurals:
                        raise SystemExit(f"{code}: {entry.msgid!r} needs {nplurals} plural forms, got {len(forms)}")
                    entry.msgstr_plural = dict(enumerate(forms))
                else:
                    entry.msgstr = text if isinstance(text, str) else text[0]
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
                entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
            if unknown:
                print(f"{code}: not in the catalogue (run `messages` first?): {sorted(unknown)[:5]}", file=sys.stderr)
            _fix_header(po, code)
            po.save(str(path))
            compile_catalogue(path)
    print(f"{parent.relative_to(ROOT)}: {summary(parent)}")


def main(argv: list[str]) -> None:
    if not argv or argv[0] not in {"messages", "todo", "fill"}:
        raise SystemExit(__doc__)
    command, args = argv[0], argv[1:]
    if command == "messages":
        messages(args)
    elif command == "todo":
        parent = _catalogue_root(args[0])
        codes = args[1:] or list(TRANSLATED_CODES)
        json.dump(todo(parent, codes), sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        parent = _catalogue_root(args[0])
        fill(parent, json.loads(Path(args[1]).read_text(encoding="utf-8")))


if __name__ == "__main__":
    main(sys.argv[1:])
