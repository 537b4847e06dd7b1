"""Names of the MARC 21 bibliographic fields and subfields cataloguers meet most, shown beside tags in
the editor.

Translated like any other interface text; a framework field may override the name with its own label.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

FIELDS: dict[str, str | Promise] = {
    "001": _("Control number"),
    "003": _("Control number identifier"),
    "005": _("Date and time of latest transaction"),
    "006": _("Additional material characteristics"),
    "007": _("Physical description fixed field"),
    "008": _("Fixed-length data elements"),
    "010": _("Library of Congress Control Number"),
    "020": _("ISBN"),
    "022": _("ISSN"),
    "024": _("Other standard identifier"),
    "028": _("Publisher or distributor number"),
    "034": _("Coded cartographic mathematical data"),
    "035": _("System control number"),
    "040": _("Cataloguing source"),
    "041": _("Language code"),
    "043": _("Geographic area code"),
    "050": _("Library of Congress call number"),
    "080": _("Universal Decimal Classification number"),
    "082": _("Dewey Decimal Classification number"),
    "084": _("Other classification number"),
    "100": _("Main entry – personal name"),
    "110": _("Main entry – corporate name"),
    "111": _("Main entry – meeting name"),
    "130": _("Main entry – uniform title"),
    "240": _("Uniform title"),
    "245": _("Title statement"),
    "246": _("Varying form of title"),
    "250": _("Edition statement"),
    "255": _("Cartographic mathematical data"),
    "260": _("Publication, distribution, etc. (imprint)"),
    "264": _("Production, publication, distribution, manufacture, and copyright notice"),
    "300": _("Physical description"),
    "310": _("Current publication frequency"),
    "336": _("Content type"),
    "337": _("Media type"),
    "338": _("Carrier type"),
    "362": _("Dates of publication and sequential designation"),
    "382": _("Medium of performance"),
    "490": _("Series statement"),
    "500": _("General note"),
    "504": _("Bibliography, etc. note"),
    "505": _("Formatted contents note"),
    "506": _("Restrictions on access note"),
    "511": _("Participant or performer note"),
    "520": _("Summary, etc."),
    "538": _("System details note"),
    "546": _("Language note"),
    "561": _("Ownership and custodial history"),
    "600": _("Subject added entry – personal name"),
    "610": _("Subject added entry – corporate name"),
    "650": _("Subject added entry – topical term"),
    "651": _("Subject added entry – geographic name"),
    "655": _("Index term – genre/form"),
    "700": _("Added entry – personal name"),
    "710": _("Added entry – corporate name"),
    "740": _("Added entry – uncontrolled related/analytical title"),
    "773": _("Host item entry"),
    "830": _("Series added entry – uniform title"),
    "856": _("Electronic location and access"),
    "880": _("Alternate graphic representation"),
}

SUBFIELDS: dict[str, str | Promise] = {
    "020a": _("ISBN"),
    "020q": _("Qualifying information"),
    "020z": _("Cancelled/invalid ISBN"),
    "022a": _("ISSN"),
    "041a": _("Language code of text"),
    "100a": _("Personal name"),
    "100d": _("Dates associated with a name"),
    "100e": _("Relator term"),
    "245a": _("Title"),
    "245b": _("Remainder of title"),
    "245c": _("Statement of responsibility"),
    "245n": _("Number of part/section"),
    "245p": _("Name of part/section"),
    "250a": _("Edition statement"),
    "255a": _("Statement of scale"),
    "260a": _("Place of publication"),
    "260b": _("Name of publisher"),
    "260c": _("Date of publication"),
    "264a": _("Place"),
    "264b": _("Name of producer, publisher, distributor, manufacturer"),
    "264c": _("Date"),
    "300a": _("Extent"),
    "300b": _("Other physical details"),
    "300c": _("Dimensions"),
    "300e": _("Accompanying material"),
    "310a": _("Current publication frequency"),
    "336a": _("Content type term"),
    "337a": _("Media type term"),
    "338a": _("Carrier type term"),
    "362a": _("Dates of publication and/or sequential designation"),
    "490a": _("Series statement"),
    "490v": _("Volume/sequential designation"),
    "500a": _("General note"),
    "520a": _("Summary, etc."),
    "650a": _("Topical term"),
    "650x": _("General subdivision"),
    "650y": _("Chronological subdivision"),
    "650z": _("Geographic subdivision"),
    "700a": _("Personal name"),
    "700e": _("Relator term"),
    "856u": _("Uniform Resource Identifier"),
    "856z": _("Public note"),
}


def field_name(tag: str) -> str:
    name = FIELDS.get(tag)
    return str(name) if name else ""


def subfield_name(tag: str, code: str) -> str:
    name = SUBFIELDS.get(tag + code)
    return str(name) if name else ""
