"""Forms of the patron account pages: parsing only; every rule is checked by the kitab.accounts services."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kitab.accounts.models import NoticeChoice
from kitab.core import clock
from kitab.core.alphabetical import AlphabeticalModelChoiceField
from kitab.items.models import Branch

_FORM_SALT = "kitab.opac.registration-form"


def signed_start(at: datetime) -> str:
    """When the registration form was shown, signed so a robot cannot backdate it."""
    return signing.dumps(at.timestamp(), salt=_FORM_SALT)


def form_age(value: str, at: datetime) -> timedelta | None:
    """How long ago the form was shown, or None when the stamp is missing or forged."""
    try:
        started = float(signing.loads(value or "", salt=_FORM_SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return None
    return at - datetime.fromtimestamp(started, tz=timezone.get_current_timezone())


def _language_choices() -> list[tuple[str, str]]:
    from django.utils.translation import get_language_info

    return [(code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES]


class RegistrationForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False,
                                 widget=forms.TextInput(attrs={"autocomplete": "given-name"}))
    last_name = forms.CharField(label=_("Last name"), max_length=150,
                                widget=forms.TextInput(attrs={"autocomplete": "family-name"}))
    email = forms.EmailField(label=_("Email"), max_length=254,
                             help_text=_("We send a link to this address to confirm it."),
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False,
                            widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}))
    address = forms.CharField(label=_("Address"), required=False, max_length=500,
                              widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "street-address"}))
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False,
                                    widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}))
    branch = AlphabeticalModelChoiceField(label=_("Home branch"), queryset=Branch.objects.none(),
                                    help_text=_("Where you will usually borrow and collect books."))
    language = forms.ChoiceField(label=_("Preferred language"), choices=())
    password = forms.CharField(label=_("Password"), strip=False,
                               help_text=_("At least 8 characters; not a common password."),
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password_again = forms.CharField(label=_("Password again"), strip=False,
                                     widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    # Spam protection: people never see or fill this field; robots filling every field give themselves away.
    website = forms.CharField(label=_("Leave this field empty"), required=False,
                              widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, branches: list[Branch], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = Branch.objects.filter(pk__in=[b.pk for b in branches]).order_by("name")
        self.fields["language"].choices = _language_choices()
        if not self.is_bound:
            self.initial.setdefault("started", signed_start(clock.now()))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("password") and data.get("password_again") and data["password"] != data["password_again"]:
            self.add_error("password_again", _("The two passwords are not the same."))
        return data


class LoginForm(forms.Form):
    identifier = forms.CharField(label=_("Card number or email"), max_length=254,
                                 widget=forms.TextInput(attrs={"autocomplete": "username",
                                                               "autocapitalize": "none", "autofocus": True}))
    password = forms.CharField(label=_("Password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class PasswordResetRequestForm(forms.Form):
    identifier = forms.CharField(label=_("Card number or email"), max_length=254,
                                 widget=forms.TextInput(attrs={"autocomplete": "username",
                                                               "autocapitalize": "none"}))


class ProfileForm(forms.Form):
    email = forms.EmailField(label=_("Email"), max_length=254, required=False,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False,
                            widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}))
    address = forms.CharField(label=_("Address"), required=False, max_length=500,
                              widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}))
    language = forms.ChoiceField(label=_("Preferred language"), choices=(),
                                 help_text=_("The catalogue and the library's messages to you use this language."))
    notices = forms.MultipleChoiceField(
        label=_("Emails I want"), required=False, choices=NoticeChoice.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Overdue notices and fines are always sent."))
    current_password = forms.CharField(
        label=_("Current password"), strip=False, required=False,
        help_text=_("Needed only to change your email address."),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = _language_choices()


class HoldForm(forms.Form):
    pickup_branch = AlphabeticalModelChoiceField(label=_("Pick up at"), queryset=Branch.objects.none())
    item = forms.TypedChoiceField(label=_("Which copy"), required=False, coerce=int, empty_value=None, choices=(),
                                  help_text=_("Any copy is usually fastest."))

    def __init__(self, *args: Any, branches: list[Branch], copies: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pickup_branch"].queryset = Branch.objects.filter(pk__in=[b.pk for b in branches]).order_by("name")
        self.fields["item"].choices = [("", _("The first available copy"))] + copies


class SuspendForm(forms.Form):
    until = forms.DateField(label=_("Suspend until"), required=False,
                            help_text=_("Leave empty to suspend until you resume it."),
                            widget=forms.DateInput(attrs={"type": "date"}))
