"""The interface languages Kitab ships, in one place: settings, the message tools and the tests read this table."""

from __future__ import annotations

from dataclasses import dataclass


def gettext_noop(message: str) -> str:
    """Marks a name for makemessages (which looks for this function name); Django's own needs settings loaded."""
    return message


@dataclass(frozen=True)
class InterfaceLanguage:
    code: str
    english_name: str
    # The Plural-Forms header Django's own catalogue for the language uses; ours must agree with it.
    plural_forms: str
    rtl: bool = False

    @property
    def plural_count(self) -> int:
        return int(self.plural_forms.split("nplurals=")[1].split(";")[0])


INTERFACE_LANGUAGES: tuple[InterfaceLanguage, ...] = (
    InterfaceLanguage("en", gettext_noop("English"), "nplurals=2; plural=(n != 1);"),
    InterfaceLanguage("az", gettext_noop("Azerbaijani"), "nplurals=2; plural=(n != 1);"),
    InterfaceLanguage("tr", gettext_noop("Turkish"), "nplurals=2; plural=(n > 1);"),
    InterfaceLanguage("kk", gettext_noop("Kazakh"), "nplurals=2; plural=(n!=1);"),
    InterfaceLanguage("uz", gettext_noop("Uzbek"), "nplurals=1; plural=0;"),
    InterfaceLanguage("ky", gettext_noop("Kyrgyz"), "nplurals=1; plural=0;"),
    InterfaceLanguage("tk", gettext_noop("Turkmen"), "nplurals=2; plural=(n != 1);"),
    InterfaceLanguage("tg", gettext_noop("Tajik"), "nplurals=2; plural=(n != 1);"),
    InterfaceLanguage("fa", gettext_noop("Persian"), "nplurals=2; plural=(n > 1);", rtl=True),
    InterfaceLanguage(
        "ru",
        gettext_noop("Russian"),
        "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    ),
)

# Languages with a message catalogue to translate (English is the source language).
TRANSLATED_CODES: tuple[str, ...] = tuple(lang.code for lang in INTERFACE_LANGUAGES if lang.code != "en")


def by_code(code: str) -> InterfaceLanguage:
    for language in INTERFACE_LANGUAGES:
        if language.code == code:
            return language
    raise KeyError(code)
