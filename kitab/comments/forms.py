from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import BODY_MAX


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Your comment"), max_length=BODY_MAX,
                           widget=forms.Textarea(attrs={"rows": 4}))


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason (the reader sees it)"), max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 2}))
