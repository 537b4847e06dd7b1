from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import NAME_MAX, NOTES_MAX


class ListForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=NAME_MAX)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=NOTES_MAX,
                            widget=forms.Textarea(attrs={"rows": 3}))
    is_public = forms.BooleanField(label=_("Public: anyone with the link can read this list"), required=False)


class EmailForm(forms.Form):
    to = forms.EmailField(label=_("Email address"), max_length=254,
                          widget=forms.EmailInput(attrs={"autocomplete": "email"}))
