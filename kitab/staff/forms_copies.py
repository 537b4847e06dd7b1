"""Forms of the copies workbench, labels and record lists: they parse and resolve input only; the rules (barcode
uniqueness, what may be withdrawn, layouts that fit) are the services' and their refusals are shown as they
come."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

from kitab.core.alphabetical import AlphabeticalModelChoiceField
from kitab.items.models import BarcodePattern, Branch, Item, ItemType
from kitab.labels.models import LabelLayout
from kitab.worklists.models import BatchEdit

from .forms import DateInput

TEXT = {"autocomplete": "off"}


def _price(value: str) -> str:
    """A price as typed ("12,50" or "12.50"), normalised to a decimal with a dot; "" stays empty."""
    value = value.strip().replace(",", ".")
    if not value:
        return ""
    try:
        amount = Decimal(value)
    except InvalidOperation as error:
        raise forms.ValidationError(_("Enter the price as a number, e.g. 12.50.")) from error
    if amount < 0:
        raise forms.ValidationError(_("A price cannot be negative."))
    return f"{amount:.2f}"


class CopyFieldsMixin(forms.Form):
    home_branch = AlphabeticalModelChoiceField(Branch.objects.all(), label=_("Branch"))
    location = forms.CharField(label=_("Shelving location"), max_length=100, required=False,
                               widget=forms.TextInput(attrs=TEXT))
    call_number = forms.CharField(label=_("Call number"), max_length=200, required=False,
                                  widget=forms.TextInput(attrs=TEXT))
    item_type = AlphabeticalModelChoiceField(ItemType.objects.all(), label=_("Item type"), required=False)
    price = forms.CharField(label=_("Price"), max_length=32, required=False, widget=forms.TextInput(attrs=TEXT))
    acquisition_source = forms.CharField(label=_("Acquisition source"), max_length=200, required=False,
                                         help_text=_("Vendor, donor or exchange partner."),
                                         widget=forms.TextInput(attrs=TEXT))

    def clean_price(self) -> str:
        return _price(self.cleaned_data.get("price") or "")


class AddCopiesForm(CopyFieldsMixin):
    """The copy wizard: how many copies and how they get barcodes, then what they share."""

    BARCODES: ClassVar[list[tuple[str, Any]]] = [
        ("pattern", _("Generate barcodes")),
        ("range", _("A barcode range")),
        ("list", _("Type or scan barcodes")),
        ("none", _("No barcodes yet")),
    ]
    barcode_mode = forms.ChoiceField(label=_("Barcodes"), choices=BARCODES, initial="pattern",
                                     widget=forms.RadioSelect)
    count = forms.IntegerField(label=_("Number of copies"), min_value=1, max_value=500, initial=1, required=False)
    pattern = forms.ModelChoiceField(BarcodePattern.objects.all(), label=_("Barcode pattern"), required=False,
                                     empty_label=None)
    barcode_range = forms.CharField(label=_("Barcode range"), required=False, max_length=200,
                                    help_text=_("First and last barcode, e.g. A0001-A0100."),
                                    widget=forms.TextInput(attrs=TEXT))
    barcodes = forms.CharField(label=_("Barcodes"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                               help_text=_("One barcode a line (a scanner ends each with Enter)."))
    loanable = forms.BooleanField(label=_("Can be borrowed"), required=False, initial=True)

    field_order: ClassVar[list[str]] = ["barcode_mode", "count", "pattern", "barcode_range", "barcodes", "home_branch", "location",
                   "call_number", "item_type", "price", "acquisition_source", "loanable"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        mode = data.get("barcode_mode")
        if mode in ("pattern", "none") and not data.get("count"):
            self.add_error("count", _("How many copies?"))
        if mode == "pattern" and not data.get("pattern"):
            self.add_error("pattern", _("Choose a barcode pattern (an administrator adds them)."))
        if mode == "range" and not (data.get("barcode_range") or "").strip():
            self.add_error("barcode_range", _("Give the first and last barcode."))
        if mode == "list" and not [line for line in (data.get("barcodes") or "").splitlines() if line.strip()]:
            self.add_error("barcodes", _("Type or scan at least one barcode."))
        return data

    def barcode_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("barcodes", "").splitlines() if line.strip()]


class EditCopyForm(CopyFieldsMixin):
    holding_branch = AlphabeticalModelChoiceField(Branch.objects.all(), label=_("Current branch"))
    loanable = forms.BooleanField(label=_("Can be borrowed"), required=False)

    field_order: ClassVar[list[str]] = ["home_branch", "holding_branch", "location", "call_number", "item_type", "price",
                   "acquisition_source", "loanable"]


class BatchEditForm(forms.Form):
    """Fields left empty are left as they are; "clear" empties a text field on every copy."""

    LOANABLE: ClassVar[list[tuple[str, Any]]] = [("", _("Leave as it is")), ("yes", _("Can be borrowed")), ("no", _("Not for loan"))]
    home_branch = AlphabeticalModelChoiceField(Branch.objects.all(), label=_("Branch"), required=False,
                                         empty_label=_("Leave as it is"))
    holding_branch = AlphabeticalModelChoiceField(Branch.objects.all(), label=_("Current branch"), required=False,
                                            empty_label=_("Leave as it is"))
    location = forms.CharField(label=_("Shelving location"), max_length=100, required=False)
    call_number = forms.CharField(label=_("Call number"), max_length=200, required=False)
    item_type = AlphabeticalModelChoiceField(ItemType.objects.all(), label=_("Item type"), required=False,
                                       empty_label=_("Leave as it is"))
    price = forms.CharField(label=_("Price"), max_length=32, required=False)
    acquisition_source = forms.CharField(label=_("Acquisition source"), max_length=200, required=False)
    loanable = forms.ChoiceField(label=_("Loan status"), choices=LOANABLE, required=False)
    clear = forms.MultipleChoiceField(label=_("Empty these fields"), required=False,
                                      widget=forms.CheckboxSelectMultiple, choices=[
                                          ("location", _("Shelving location")), ("call_number", _("Call number")),
                                          ("price", _("Price")), ("acquisition_source", _("Acquisition source"))])

    def clean_price(self) -> str:
        return _price(self.cleaned_data.get("price") or "")

    def changes(self) -> dict[str, object]:
        data = self.cleaned_data
        changes: dict[str, object] = {name: data[name] for name in ("home_branch", "holding_branch", "item_type")
                                      if data.get(name)}
        for name in ("location", "call_number", "price", "acquisition_source"):
            if name in data.get("clear", []):
                changes[name] = ""
            elif (data.get(name) or "").strip():
                changes[name] = data[name].strip()
        if data.get("loanable"):
            changes["loanable"] = data["loanable"] == "yes"
        return changes


class CopySearchForm(forms.Form):
    barcode = forms.CharField(label=_("Barcode"), required=False, help_text=_("End with * to find barcodes that "
                                                                              "start with it."),
                              widget=forms.TextInput(attrs=TEXT))
    call_number = forms.CharField(label=_("Call number starts with"), required=False,
                                  widget=forms.TextInput(attrs=TEXT))
    branch = AlphabeticalModelChoiceField(Branch.objects.all(), label=_("Branch"), required=False,
                                    empty_label=_("Any branch"), to_field_name="code")
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any status")), *Item.Status.choices])
    added_from = forms.DateField(label=_("Added from"), required=False, widget=DateInput())
    added_to = forms.DateField(label=_("Added until"), required=False, widget=DateInput())


class StatusNoteForm(forms.Form):
    note = forms.CharField(label=_("Reason or note"), max_length=255, required=False,
                           widget=forms.TextInput(attrs=TEXT))


class LabelForm(forms.Form):
    KINDS: ClassVar[list[tuple[str, Any]]] = [("barcode", _("Barcode labels")), ("spine", _("Spine labels")),
             ("both", _("Barcode and spine label for each copy"))]
    SYMBOLOGIES: ClassVar[list[tuple[str, Any]]] = [("code128", "Code 128"), ("code39", "Code 39")]
    barcode_range = forms.CharField(label=_("Barcode range"), required=False, max_length=200,
                                    help_text=_("First and last barcode, e.g. A0001-A0100; the copies need not "
                                                "exist yet."), widget=forms.TextInput(attrs=TEXT))
    layout = forms.ModelChoiceField(LabelLayout.objects.all(), label=_("Label sheet"), empty_label=None,
                                    to_field_name="code")
    kind = forms.ChoiceField(label=_("Print"), choices=KINDS, initial="barcode")
    symbology = forms.ChoiceField(label=_("Barcode type"), choices=SYMBOLOGIES, initial="code128")
    start_at = forms.IntegerField(label=_("Start at label"), min_value=1, initial=1,
                                  help_text=_("To use a sheet that was partly used: the first free label, "
                                              "counted row by row from the top left."))
    library_name = forms.CharField(label=_("Library name on the label"), max_length=100, required=False)


class ListForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    shared = forms.BooleanField(label=_("Shared with other staff"), required=False)


class FieldEditForm(forms.Form):
    tag = forms.CharField(label=_("Tag"), max_length=3, min_length=3, widget=forms.TextInput(
        attrs={**TEXT, "size": 3, "inputmode": "numeric", "placeholder": "650"}))
    code = forms.CharField(label=_("Subfield"), max_length=1, widget=forms.TextInput(
        attrs={**TEXT, "size": 1, "placeholder": "a"}))
    operation = forms.ChoiceField(label=_("Change"), choices=BatchEdit.Operation.choices)
    match = forms.CharField(label=_("Only where the value is"), max_length=500, required=False,
                            help_text=_("Replace or delete only subfields with exactly this value (empty: every "
                                        "one)."))
    value = forms.CharField(label=_("New value"), max_length=500, required=False)


class SearchToListForm(forms.Form):
    q = forms.CharField(label=_("Catalogue search"), max_length=500,
                        help_text=_("Every record the search finds is added (at most 5,000)."))
