"""Staff forms: they parse and resolve input only. The rules (card number format, guarantors, amounts, loan
limits) are checked by the services, whose refusals the views show."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kitab.circulation.models import ALL_WEEKDAYS, BranchCalendar, CirculationRule, Closure
from kitab.core.alphabetical import AlphabeticalModelChoiceField
from kitab.items.models import Branch, Item, ItemType
from kitab.patrons.models import Patron, PatronCategory

WEEKDAYS = [
    ("1", _("Monday")), ("2", _("Tuesday")), ("3", _("Wednesday")), ("4", _("Thursday")),
    ("5", _("Friday")), ("6", _("Saturday")), ("7", _("Sunday")),
]


def patron_by_card(card_number: str) -> Patron | None:
    card_number = card_number.strip()
    if not card_number:
        return None
    return Patron.objects.filter(card_number__iexact=card_number, is_anonymised=False).first()


def item_by_barcode(barcode: str) -> Item | None:
    barcode = barcode.strip()
    return Item.objects.select_related("record", "item_type").filter(barcode=barcode).first() if barcode else None


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class PatronSearchForm(forms.Form):
    q = forms.CharField(label=_("Card number, name, email or phone"), required=False, max_length=200)
    category = AlphabeticalModelChoiceField(label=_("Category"), queryset=PatronCategory.objects.all(), required=False,
                                      empty_label=_("Any category"))
    branch = AlphabeticalModelChoiceField(label=_("Home branch"), queryset=Branch.objects.all(), required=False,
                                    empty_label=_("Any branch"))


class PatronForm(forms.Form):
    """Registration and edit. The guarantor is named by card number and resolved here."""

    card_number = forms.CharField(label=_("Card number"), max_length=32)
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput())
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    address = forms.CharField(label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    language = forms.ChoiceField(label=_("Preferred language"), choices=settings.LANGUAGES)
    category = AlphabeticalModelChoiceField(label=_("Category"), queryset=PatronCategory.objects.all())
    home_branch = AlphabeticalModelChoiceField(label=_("Home branch"), queryset=Branch.objects.all())
    expires_on = forms.DateField(label=_("Card expiry date"), required=False, widget=DateInput())
    guarantor_card = forms.CharField(label=_("Guarantor's card number"), max_length=32, required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.editing = editing
        if editing:
            self.fields["expires_on"].required = True
        else:
            del self.fields["expires_on"]  # registration: the category's enrolment period decides

    def clean_guarantor_card(self) -> Patron | None:
        card = self.cleaned_data.get("guarantor_card", "").strip()
        if not card:
            return None
        guarantor = patron_by_card(card)
        if guarantor is None:
            raise forms.ValidationError(_("No patron has the card number %(card)s."), params={"card": card})
        return guarantor

    def service_values(self) -> dict[str, Any]:
        """The cleaned values under the names the patron services take."""
        data = dict(self.cleaned_data)
        data["guarantor"] = data.pop("guarantor_card")
        for name in ("first_name", "last_name", "email", "phone", "address", "notes"):
            data[name] = data.get(name) or ""
        return data

    @staticmethod
    def initial_for(patron: Patron) -> dict[str, Any]:
        return {
            "card_number": patron.card_number, "first_name": patron.first_name, "last_name": patron.last_name,
            "date_of_birth": patron.date_of_birth, "email": patron.email, "phone": patron.phone,
            "address": patron.address, "language": patron.language, "category": patron.category_id,
            "home_branch": patron.home_branch_id, "expires_on": patron.expires_on,
            "guarantor_card": patron.guarantor.card_number if patron.guarantor else "", "notes": patron.notes,
        }


class BlockForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the block"), max_length=500, required=False)


class MergeForm(forms.Form):
    other_card = forms.CharField(label=_("Card number of the duplicate record"), max_length=32)

    def clean_other_card(self) -> Patron:
        card = self.cleaned_data["other_card"].strip()
        other = patron_by_card(card)
        if other is None:
            raise forms.ValidationError(_("No patron has the card number %(card)s."), params={"card": card})
        return other


class CardScanForm(forms.Form):
    card = forms.CharField(label=_("Patron card or name"), max_length=200)


class CheckoutForm(forms.Form):
    barcode = forms.CharField(label=_("Item barcode"), max_length=64)
    key = forms.CharField(widget=forms.HiddenInput, max_length=80)
    override = forms.BooleanField(required=False, widget=forms.HiddenInput)


class HoldForm(forms.Form):
    barcode = forms.CharField(label=_("Barcode of a copy of the wanted title"), max_length=64)
    pickup_branch = AlphabeticalModelChoiceField(label=_("Pickup branch"), queryset=Branch.objects.all())
    key = forms.CharField(widget=forms.HiddenInput, max_length=80)


class CheckinForm(forms.Form):
    barcode = forms.CharField(label=_("Item barcode"), max_length=64)
    key = forms.CharField(widget=forms.HiddenInput, max_length=80)


class PaymentForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount"), max_digits=10, decimal_places=2)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class LedgerEntryForm(forms.Form):
    """A manual charge or a credit: the amount and what it is for (the fines service checks both)."""

    amount = forms.DecimalField(label=_("Amount"), max_digits=10, decimal_places=2)
    note = forms.CharField(label=_("What for"), max_length=200, required=False)


class WaiveForm(forms.Form):
    entry = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason for the waiver"), max_length=200, required=False)


class RuleForm(forms.ModelForm):
    """Parses a rule for kitab.circulation.settings_services.save_rule (the view saves through the service);
    the model's fields and unique constraint give field-level messages first."""

    class Meta:
        model = CirculationRule
        fields = ("branch", "patron_category", "item_type", "loan_period", "loan_unit", "max_loans",
                  "renewals_allowed", "renewal_period", "holds_allowed", "max_holds", "fine_per_day", "fine_cap",
                  "grace_days", "lost_item_charge")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["branch"].empty_label = _("Any branch")
        self.fields["patron_category"].empty_label = _("Any category")
        self.fields["item_type"].empty_label = _("Any item type")

    def _post_clean(self) -> None:
        super()._post_clean()
        # The model's constraint error names no field and reads like SQL; say what it means.
        for error in self.non_field_errors().as_data():
            if error.code == "unique" or "circulation_rule_unique_scope" in str(error.message):
                self._errors.pop("__all__", None)
                self.add_error(None, _("A rule for this branch, category and item type already exists."))
                break


class RuleTesterForm(forms.Form):
    branch = AlphabeticalModelChoiceField(label=_("Branch"), queryset=Branch.objects.all(), required=False,
                                    empty_label=_("Any branch"))
    category = AlphabeticalModelChoiceField(label=_("Patron category"), queryset=PatronCategory.objects.all(),
                                      required=False, empty_label=_("Any category"))
    item_type = AlphabeticalModelChoiceField(label=_("Item type"), queryset=ItemType.objects.all(), required=False,
                                       empty_label=_("Any item type"))
    card = forms.CharField(label=_("Patron card number (optional)"), max_length=32, required=False)
    barcode = forms.CharField(label=_("Item barcode (optional)"), max_length=64, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        card, barcode = data.get("card", "").strip(), data.get("barcode", "").strip()
        data["patron"] = data["item"] = None
        if card:
            data["patron"] = patron_by_card(card)
            if data["patron"] is None:
                self.add_error("card", _("No patron has the card number %(card)s.") % {"card": card})
        if barcode:
            data["item"] = item_by_barcode(barcode)
            if data["item"] is None:
                self.add_error("barcode", _("No item has the barcode %(barcode)s.") % {"barcode": barcode})
        if bool(card) != bool(barcode):
            self.add_error(None, _("Give both a patron card number and an item barcode to test a loan."))
        return data


class CalendarForm(forms.ModelForm):
    open_days = forms.MultipleChoiceField(label=_("Opening weekdays"), choices=WEEKDAYS, required=False,
                                          widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = BranchCalendar
        fields = ("closes_at",)
        widgets: ClassVar[dict[str, Any]] = {"closes_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        weekdays = self.instance.open_weekdays if self.instance.pk else ALL_WEEKDAYS
        self.fields["open_days"].initial = [ch for ch in weekdays if ch.isdigit()]

    def clean_open_days(self) -> list[str]:
        days = self.cleaned_data["open_days"]
        if not days:
            raise forms.ValidationError(_("Choose at least one opening day."))
        return days


class OpeningForm(forms.Form):
    """An exceptional opening day (parsed here, saved by settings_services.add_opening)."""

    date = forms.DateField(label=_("Date"), widget=DateInput())
    name = forms.CharField(label=_("Name"), max_length=200, required=False)


class ClosureForm(forms.ModelForm):
    class Meta:
        model = Closure
        fields = ("branch", "name", "start_date", "end_date")
        widgets: ClassVar[dict[str, Any]] = {"start_date": DateInput(), "end_date": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["branch"].empty_label = _("All branches")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The last day cannot be before the first day."))
        return data
