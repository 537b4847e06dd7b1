"""Cataloguing frameworks (templates) per material type: read from the database as `FrameworkSpec`s, checked
against a record, and used to start a new record.

`DEFAULTS` is the shipped set (book, serial, map, manuscript, music, e-book, audiobook); the data migration
stores it and an administrator edits it from there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pymarc
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from . import marctags
from .validation import ERROR, WARNING, Issue

# RDA content/media/carrier terms (336/337/338 $a) a framework offers as controlled values.
CONTENT_TYPES = [
    "text",
    "spoken word",
    "notated music",
    "performed music",
    "cartographic image",
    "still image",
    "two-dimensional moving image",
    "computer dataset",
    "computer program",
]
MEDIA_TYPES = ["unmediated", "computer", "audio", "video", "microform"]
CARRIER_TYPES = ["volume", "sheet", "online resource", "audio disc", "computer disc", "microfiche", "object"]


def parse_dollar(text: str) -> list[tuple[str, str]]:
    """ "$a text $b txt" -> [("a", "text"), ("b", "txt")] (the notation of framework defaults)."""
    pairs: list[tuple[str, str]] = []
    for chunk in text.split("$")[1:]:
        if chunk:
            pairs.append((chunk[0], chunk[1:].strip()))
    return pairs


@dataclass(frozen=True)
class SubfieldSpec:
    code: str
    label: str = ""
    required: bool = False
    repeatable: bool = True
    values: tuple[str, ...] = ()


@dataclass(frozen=True)
class FieldSpec:
    tag: str
    label: str = ""
    shown: bool = True
    required: bool = False
    repeatable: bool = True
    in_template: bool = False
    indicators: str = "  "
    default: str = ""
    subfields: tuple[SubfieldSpec, ...] = ()

    @property
    def name(self) -> str:
        return self.label or marctags.field_name(self.tag)

    def subfield(self, code: str) -> SubfieldSpec | None:
        return next((s for s in self.subfields if s.code == code), None)

    def subfield_name(self, code: str) -> str:
        spec = self.subfield(code)
        return (spec.label if spec and spec.label else "") or marctags.subfield_name(self.tag, code)


@dataclass(frozen=True)
class FrameworkSpec:
    code: str
    name: str
    leader: str
    field_008: str
    fields: tuple[FieldSpec, ...] = field(default_factory=tuple)

    def field(self, tag: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.tag == tag), None)

    def check(self, record: pymarc.Record) -> list[Issue]:
        """Required and non-repeatable fields and subfields, and controlled values (a value outside the list
        is a warning: the lists are the common terms, not every term a cataloguer may need)."""
        issues: list[Issue] = []
        for spec in self.fields:
            found = record.get_fields(spec.tag)
            if spec.required and not found:
                issues.append(
                    Issue(
                        ERROR,
                        "framework_field_required",
                        _("The %(framework)s framework requires field %(tag)s (%(name)s).")
                        % {"framework": self.name, "tag": spec.tag, "name": spec.name},
                        spec.tag,
                    )
                )
            if not spec.repeatable and len(found) > 1:
                issues.append(
                    Issue(
                        ERROR,
                        "framework_field_not_repeatable",
                        _("Field %(tag)s (%(name)s) may appear only once in the %(framework)s framework.")
                        % {"framework": self.name, "tag": spec.tag, "name": spec.name},
                        spec.tag,
                        record.fields.index(found[1]),
                    )
                )
            for marc_field in found:
                if marc_field.is_control_field():
                    continue
                index = record.fields.index(marc_field)
                codes = [code for code, _value in marc_field.subfields]
                for sub in spec.subfields:
                    if sub.required and sub.code not in codes:
                        issues.append(
                            Issue(
                                ERROR,
                                "framework_subfield_required",
                                _("Field %(tag)s needs subfield $%(code)s (%(name)s).")
                                % {"tag": spec.tag, "code": sub.code, "name": spec.subfield_name(sub.code)},
                                spec.tag,
                                index,
                                sub.code,
                            )
                        )
                    if not sub.repeatable and codes.count(sub.code) > 1:
                        issues.append(
                            Issue(
                                ERROR,
                                "framework_subfield_not_repeatable",
                                _("Subfield $%(code)s of field %(tag)s may appear only once.")
                                % {"tag": spec.tag, "code": sub.code},
                                spec.tag,
                                index,
                                sub.code,
                            )
                        )
                for code, value in marc_field.subfields:
                    sub = spec.subfield(code)
                    if sub and sub.values and value.strip() not in sub.values:
                        issues.append(
                            Issue(
                                WARNING,
                                "framework_value_not_controlled",
                                _(
                                    "“%(value)s” in %(tag)s $%(code)s is not one of the framework's "
                                    "values (%(values)s)."
                                )
                                % {
                                    "value": value,
                                    "tag": spec.tag,
                                    "code": code,
                                    "values": ", ".join(sub.values),
                                },
                                spec.tag,
                                index,
                                code,
                            )
                        )
        return issues

    def new_record(self, *, today: date) -> pymarc.Record:
        """An empty record of this framework: its leader, 008 (date entered = `today`) and template fields."""
        record = pymarc.Record(force_utf8=True, leader=self.leader)
        record.add_field(pymarc.Field(tag="008", data=today.strftime("%y%m%d") + self.field_008[6:]))
        for spec in self.fields:
            if not spec.in_template or spec.tag == "008":
                continue
            if spec.tag < "010":
                record.add_ordered_field(pymarc.Field(tag=spec.tag, data=spec.default))
                continue
            pairs = (
                parse_dollar(spec.default)
                or [(s.code, "") for s in spec.subfields if s.required][:1]
                or [("a", "")]
            )
            indicators = (spec.indicators or "  ").ljust(2)
            record.add_ordered_field(
                pymarc.Field(
                    tag=spec.tag,
                    indicators=[indicators[0], indicators[1]],
                    subfields=[pymarc.Subfield(c, v) for c, v in pairs],
                )
            )
        return record


def _subfields(items: list[dict[str, Any]]) -> tuple[SubfieldSpec, ...]:
    return tuple(
        SubfieldSpec(
            code=str(item.get("code", ""))[:1],
            label=str(item.get("label", "")),
            required=bool(item.get("required")),
            repeatable=bool(item.get("repeatable", True)),
            values=tuple(str(v) for v in item.get("values", []) or []),
        )
        for item in items or []
        if isinstance(item, dict) and item.get("code")
    )


def spec(code: str) -> FrameworkSpec | None:
    """The framework `code` as stored (None when there is no such framework)."""
    from .models import Framework

    framework = Framework.objects.filter(code=code).prefetch_related("fields").first()
    if framework is None:
        return None
    return FrameworkSpec(
        code=framework.code,
        name=framework.name,
        leader=framework.leader,
        field_008=framework.field_008.ljust(40)[:40],
        fields=tuple(
            FieldSpec(
                tag=f.tag,
                label=f.label,
                shown=f.shown,
                required=f.required,
                repeatable=f.repeatable,
                in_template=f.in_template,
                indicators=f.indicators,
                default=f.default,
                subfields=_subfields(f.subfields),
            )
            for f in framework.fields.all()
        ),
    )


def code_for(material_type: str) -> str:
    """The framework used by default for a record of `material_type` (the first listing it; else "book")."""
    from .models import Framework

    for code, types in Framework.objects.values_list("code", "material_types"):
        if material_type in [t.strip() for t in types.split(",")]:
            return code
    return "book"


def choices() -> list[tuple[str, str]]:
    from .models import Framework

    return list(Framework.objects.values_list("code", "name"))


# ---- The shipped frameworks (stored by migration 0006; edited in the admin from then on) ----


def _f(
    tag: str,
    *,
    required: bool = False,
    repeatable: bool = True,
    template: bool = False,
    ind: str = "  ",
    default: str = "",
    subs: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    return {
        "tag": tag,
        "required": required,
        "repeatable": repeatable,
        "in_template": template,
        "indicators": ind,
        "default": default,
        "subfields": subs or [],
    }


def _s(
    code: str, *, required: bool = False, repeatable: bool = True, values: list[str] | None = None
) -> dict[str, Any]:
    item: dict[str, Any] = {"code": code, "required": required, "repeatable": repeatable}
    if values:
        item["values"] = values
    return item


def _rda(content: str, media: str, carrier: str) -> list[dict[str, Any]]:
    """The RDA content (336), media (337) and carrier (338) type fields, each with its default term."""
    return [
        _f(tag, required=True, template=True, default=term, subs=[_s("a", required=True, values=terms)])
        for tag, term, terms in (
            ("336", content, CONTENT_TYPES),
            ("337", media, MEDIA_TYPES),
            ("338", carrier, CARRIER_TYPES),
        )
    ]


def _common(title_required: bool = True) -> list[dict[str, Any]]:
    return [
        _f("001", repeatable=False),
        _f("003", repeatable=False),
        _f("005", repeatable=False),
        _f("008", required=True, repeatable=False),
        _f("010", repeatable=False, subs=[_s("a", repeatable=False)]),
        _f("020", subs=[_s("a", repeatable=False), _s("q"), _s("z")]),
        _f("035", subs=[_s("a", repeatable=False)]),
        _f(
            "040",
            repeatable=False,
            subs=[_s("a", repeatable=False), _s("b", repeatable=False), _s("c", repeatable=False), _s("e")],
        ),
        _f("041", subs=[_s("a"), _s("h")]),
        _f("080", subs=[_s("a", repeatable=False)]),
        _f("082", subs=[_s("a")]),
        _f(
            "100",
            repeatable=False,
            ind="1 ",
            subs=[_s("a", required=True, repeatable=False), _s("d", repeatable=False), _s("e")],
        ),
        _f("110", repeatable=False, ind="2 ", subs=[_s("a", required=True, repeatable=False), _s("b")]),
        _f("240", repeatable=False, ind="10", subs=[_s("a", required=True, repeatable=False)]),
        _f(
            "245",
            required=title_required,
            repeatable=False,
            template=True,
            ind="10",
            subs=[
                _s("a", required=True, repeatable=False),
                _s("b", repeatable=False),
                _s("c", repeatable=False),
                _s("n"),
                _s("p"),
            ],
        ),
        _f("246", subs=[_s("a", required=True, repeatable=False)]),
        _f("250", repeatable=False, subs=[_s("a", required=True, repeatable=False)]),
        _f(
            "264",
            template=True,
            ind=" 1",
            default="$a $b $c",
            subs=[_s("a"), _s("b"), _s("c", repeatable=False)],
        ),
        _f("260", subs=[_s("a"), _s("b"), _s("c")]),
        _f(
            "300",
            template=True,
            subs=[_s("a", required=True), _s("b", repeatable=False), _s("c"), _s("e", repeatable=False)],
        ),
        _f("490", ind="0 ", subs=[_s("a", required=True), _s("v")]),
        _f("500", subs=[_s("a", required=True, repeatable=False)]),
        _f("504", subs=[_s("a", required=True)]),
        _f("505", subs=[_s("a")]),
        _f("520", subs=[_s("a", required=True)]),
        _f("546", subs=[_s("a")]),
        _f("600", ind="10", subs=[_s("a", required=True, repeatable=False), _s("d"), _s("x"), _s("z")]),
        _f("610", ind="20", subs=[_s("a", required=True, repeatable=False), _s("b"), _s("x")]),
        _f("650", ind=" 0", subs=[_s("a", required=True, repeatable=False), _s("x"), _s("y"), _s("z")]),
        _f("651", ind=" 0", subs=[_s("a", required=True, repeatable=False), _s("x"), _s("y")]),
        _f("655", ind=" 7", subs=[_s("a", required=True, repeatable=False), _s("2")]),
        _f("700", ind="1 ", subs=[_s("a", required=True, repeatable=False), _s("d"), _s("e"), _s("t")]),
        _f("710", ind="2 ", subs=[_s("a", required=True, repeatable=False), _s("b"), _s("e")]),
        _f("740", ind="02", subs=[_s("a", required=True, repeatable=False)]),
        _f("830", ind=" 0", subs=[_s("a", required=True, repeatable=False), _s("v")]),
        _f("856", ind="40", subs=[_s("u", required=True), _s("z")]),
        _f("880"),
    ]


def _blank_008(config: str, *, date_type: str = "s", date2: str = "    ", form: str = " ") -> str:
    tails = {
        "BK": "    " + " " + form + "    " + " " + "000" + " " + "0" + " ",
        "CR": "uu p" + " " + form + " " + "   " + " " + "0" + "   " + " " + "0",
        "MP": "    " + "  " + " " + "a" + "  " + " " + form + " " + "0" + " " + "  ",
        "MU": "uuu" + " " + " " + form + "      " + "  " + " " + " " + " ",
        "SR": "nnnn" + " " + form + "      " + "  " + " " + "n" + " ",
    }
    text = "      " + date_type + "    " + date2 + "xx " + tails[config] + "und" + " " + "d"
    assert len(text) == 40, (config, len(text))
    return text


DEFAULTS: list[dict[str, Any]] = [
    {
        "code": "book",
        "name": "Book",
        "material_types": "book,mixed,kit",
        "order": 1,
        "leader": "00000nam a2200000 i 4500",
        "field_008": _blank_008("BK"),
        "fields": _common()
        + _rda(
            "$a text $b txt $2 rdacontent", "$a unmediated $b n $2 rdamedia", "$a volume $b nc $2 rdacarrier"
        ),
    },
    {
        "code": "serial",
        "name": "Serial",
        "material_types": "serial",
        "order": 2,
        "leader": "00000nas a2200000 i 4500",
        "field_008": _blank_008("CR", date_type="c", date2="9999"),
        "fields": _common()
        + _rda(
            "$a text $b txt $2 rdacontent", "$a unmediated $b n $2 rdamedia", "$a volume $b nc $2 rdacarrier"
        )
        + [
            _f("022", subs=[_s("a", repeatable=False), _s("y"), _s("z")]),
            _f("310", repeatable=False, template=True, subs=[_s("a", required=True, repeatable=False)]),
            _f("362", template=True, ind="0 ", subs=[_s("a", required=True, repeatable=False)]),
        ],
    },
    {
        "code": "map",
        "name": "Map",
        "material_types": "map",
        "order": 3,
        "leader": "00000nem a2200000 i 4500",
        "field_008": _blank_008("MP"),
        "fields": _common()
        + _rda(
            "$a cartographic image $b cri $2 rdacontent",
            "$a unmediated $b n $2 rdamedia",
            "$a sheet $b nb $2 rdacarrier",
        )
        + [
            _f("034", ind="1 ", subs=[_s("a", required=True, repeatable=False), _s("b")]),
            _f("255", required=True, template=True, subs=[_s("a", required=True, repeatable=False)]),
        ],
    },
    {
        "code": "manuscript",
        "name": "Manuscript",
        "material_types": "manuscript",
        "order": 4,
        "leader": "00000ntm a2200000 i 4500",
        "field_008": _blank_008("BK"),
        "fields": _common()
        + _rda(
            "$a text $b txt $2 rdacontent", "$a unmediated $b n $2 rdamedia", "$a volume $b nc $2 rdacarrier"
        )
        + [
            _f("506", subs=[_s("a")]),
            _f("561", subs=[_s("a", required=True)]),
        ],
    },
    {
        "code": "music",
        "name": "Music (score)",
        "material_types": "score",
        "order": 5,
        "leader": "00000ncm a2200000 i 4500",
        "field_008": _blank_008("MU"),
        "fields": _common()
        + _rda(
            "$a notated music $b ntm $2 rdacontent",
            "$a unmediated $b n $2 rdamedia",
            "$a volume $b nc $2 rdacarrier",
        )
        + [
            _f("028", ind="22", subs=[_s("a", required=True, repeatable=False), _s("b")]),
            _f("382", subs=[_s("a"), _s("n")]),
        ],
    },
    {
        "code": "ebook",
        "name": "E-book",
        "material_types": "ebook,computer",
        "order": 6,
        "leader": "00000nam a2200000 i 4500",
        "field_008": _blank_008("BK", form="o"),
        "fields": _common()
        + _rda(
            "$a text $b txt $2 rdacontent",
            "$a computer $b c $2 rdamedia",
            "$a online resource $b cr $2 rdacarrier",
        )
        + [
            _f("007", template=True, default="cr |n|||||||||"),
            _f("538", subs=[_s("a")]),
        ]
        + [dict(_f("856", required=True, template=True, ind="40", subs=[_s("u", required=True), _s("z")]))],
    },
    {
        "code": "audiobook",
        "name": "Audiobook",
        "material_types": "sound",
        "order": 7,
        "leader": "00000nim a2200000 i 4500",
        "field_008": _blank_008("SR"),
        "fields": _common()
        + _rda(
            "$a spoken word $b spw $2 rdacontent",
            "$a audio $b s $2 rdamedia",
            "$a audio disc $b sd $2 rdacarrier",
        )
        + [
            _f("007", template=True, default="sd fsngnnmmned"),
            _f("511", subs=[_s("a", required=True)]),
            _f("538", subs=[_s("a")]),
        ],
    },
]


def install_defaults(framework_model: Any, field_model: Any) -> None:
    """Store DEFAULTS (used by the data migration with its historical models; existing codes are left
    alone)."""
    for data in DEFAULTS:
        if framework_model.objects.filter(code=data["code"]).exists():
            continue
        framework = framework_model.objects.create(
            code=data["code"],
            name=data["name"],
            material_types=data["material_types"],
            leader=data["leader"],
            field_008=data["field_008"],
            order=data["order"],
        )
        by_tag: dict[str, dict[str, Any]] = {}
        for item in data["fields"]:
            by_tag[item["tag"]] = item  # a later definition (the e-book's 856) replaces the common one
        field_model.objects.bulk_create(
            [
                field_model(
                    framework=framework,
                    order=n,
                    tag=item["tag"],
                    required=item["required"],
                    repeatable=item["repeatable"],
                    in_template=item["in_template"],
                    indicators=item["indicators"],
                    default=item["default"],
                    subfields=item["subfields"],
                )
                for n, item in enumerate(sorted(by_tag.values(), key=lambda i: i["tag"]))
            ]
        )


# Names of the shipped frameworks in the interface language (an administrator's own names show as entered).
BUILTIN_NAMES = {
    "book": (_lazy("Book"), "Book"),
    "serial": (_lazy("Serial"), "Serial"),
    "map": (_lazy("Map"), "Map"),
    "manuscript": (_lazy("Manuscript"), "Manuscript"),
    "music": (_lazy("Music (score)"), "Music (score)"),
    "ebook": (_lazy("E-book"), "E-book"),
    "audiobook": (_lazy("Audiobook"), "Audiobook"),
}


def display_name(code: str, name: str) -> str:
    builtin = BUILTIN_NAMES.get(code)
    return str(builtin[0]) if builtin and builtin[1] == name else name
