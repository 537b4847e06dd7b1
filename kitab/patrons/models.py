"""Patrons, their categories and manual blocks. Fines live in the circulation ledger (kitab.circulation)."""

from __future__ import annotations

import re
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from kitab.patrons import names
from kitab.textnorm import fold

DEFAULT_CARD_NUMBER_PATTERN = r"^[A-Za-z0-9-]{4,32}$"

# Name search keys. `fold` already maps every script to one Latin pivot (Мамедов -> mamedov, Məmmədov ->
# memmedov); names need two more steps because the same surname is written down differently by different
# clerks: doubled letters are dropped (Məmmədov/Mamedov, Aliyev -> aliiev/Алиев -> aliev) and "e" is
# read as "a" (Azerbaijani ə is "a" in English-style and "е" in Russian-style passports). The key is looser
# than `fold`, so it is only used for patron look-up, where staff pick from a short list.
_DOUBLED = re.compile(r"(.)\1+")
_KEY_PAIRS = (("iu", "u"), ("io", "o"), ("ia", "a"), ("e", "a"))


def card_number_pattern() -> str:
    return getattr(settings, "KITAB_CARD_NUMBER_PATTERN", DEFAULT_CARD_NUMBER_PATTERN)


def validate_card_number(value: str) -> None:
    if not re.fullmatch(card_number_pattern(), value or ""):
        raise ValidationError(_("Card number %(value)s has the wrong format."), params={"value": value},
                              code="invalid_card_number")


def name_key(token: str) -> str:
    """The loose look-up form of one folded name token (see the comment above)."""
    for old, new in _KEY_PAIRS:
        token = token.replace(old, new)
    return _DOUBLED.sub(r"\1", token)


def folded_names(*names: str) -> tuple[str, str]:
    """(folded tokens, loose keys), each as " tok1 tok2 " so a prefix test is `contains(" " + prefix)`."""
    tokens = fold(" ".join(n for n in names if n)).split()
    return " " + " ".join(tokens) + " ", " " + " ".join(name_key(t) for t in tokens) + " "


def phone_digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


class PatronCategory(models.Model):
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    requires_guarantor = models.BooleanField(_("requires a guarantor"), default=False)
    enrolment_period_days = models.PositiveIntegerField(_("enrolment period (days)"), default=365)
    # Automatic blocks (policy.patron_blocks): fines strictly above this amount block loans; None = no limit.
    fine_limit = models.DecimalField(_("fine limit"), max_digits=10, decimal_places=2, null=True, blank=True)
    overdue_blocks = models.BooleanField(_("overdue items block loans"), default=True)

    class Meta:
        verbose_name = _("patron category")
        verbose_name_plural = _("patron categories")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Patron(models.Model):
    card_number = models.CharField(_("card number"), max_length=32, unique=True, validators=[validate_card_number])
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150)
    # Written by save(): folded name tokens and loose keys for search_patrons.
    name_folded = models.TextField(editable=False, default="", db_index=True)
    name_key = models.TextField(editable=False, default="", db_index=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    email = models.EmailField(_("email"), blank=True, db_index=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    phone_digits = models.CharField(max_length=40, editable=False, default="", db_index=True)
    address = models.TextField(_("address"), blank=True)
    language = models.CharField(_("preferred language"), max_length=8, choices=settings.LANGUAGES,
                                default=settings.LANGUAGE_CODE)
    home_branch = models.ForeignKey("items.Branch", on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("home branch"))
    category = models.ForeignKey(PatronCategory, on_delete=models.PROTECT, related_name="patrons",
                                 verbose_name=_("category"))
    expires_on = models.DateField(_("card expiry date"))
    notes = models.TextField(_("notes"), blank=True)
    guarantor = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="guarantees", verbose_name=_("guarantor"))
    is_anonymised = models.BooleanField(_("anonymised"), default=False)
    created_at = models.DateTimeField(_("registered"))
    updated_at = models.DateTimeField(_("updated"))

    class Meta:
        verbose_name = _("patron")
        verbose_name_plural = _("patrons")
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.last_name}, {self.first_name} ({self.card_number})" if self.first_name else \
            f"{self.last_name} ({self.card_number})"

    def save(self, *args: object, **kwargs: object) -> None:
        self.name_folded, self.name_key = folded_names(self.first_name, self.last_name)
        self.phone_digits = phone_digits(self.phone)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = set(update_fields) | {"name_folded", "name_key", "phone_digits"}  # type: ignore[call-overload]
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def is_expired(self, on: date) -> bool:
        return self.expires_on < on

    @property
    def full_name(self) -> str:
        return names.full_name(self.first_name, self.last_name)


class PatronBlock(models.Model):
    """A block put on by staff; automatic blocks are computed by policy.patron_blocks and never stored."""

    patron = models.ForeignKey(Patron, on_delete=models.CASCADE, related_name="blocks")
    reason = models.TextField(_("reason"))
    created_at = models.DateTimeField(_("blocked at"))
    created_by = models.CharField(_("blocked by"), max_length=200)
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lifted_by = models.CharField(_("lifted by"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("patron block")
        verbose_name_plural = _("patron blocks")
        indexes = [models.Index(fields=["patron", "lifted_at"])]

    def __str__(self) -> str:
        return self.reason

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None


class StaffRole(models.Model):
    """A named set of permission codes (kitab.patrons.roles.PERMISSIONS), given to staff per branch."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    permissions = models.JSONField(_("permissions"), default=list)

    class Meta:
        verbose_name = _("staff role")
        verbose_name_plural = _("staff roles")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class StaffAssignment(models.Model):
    """`user` holds `role` at `branch`, or at every branch when the branch is empty."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_assignments",
                             verbose_name=_("user"))
    role = models.ForeignKey(StaffRole, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("role"))
    branch = models.ForeignKey("items.Branch", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("branch"), help_text=_("Empty means every branch."))

    class Meta:
        verbose_name = _("staff assignment")
        verbose_name_plural = _("staff assignments")
        constraints = [
            models.UniqueConstraint(models.F("user"), models.F("role"), models.functions.Coalesce("branch", 0),
                                    name="staff_assignment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.role.code} {self.branch or '*'}"


class PatronEvent(models.Model):
    """One change to a patron record (registered, details changed, card renewed, blocked, unblocked, merged,
    anonymised): who did it, at which branch, through which channel, when. Written by patrons.services only."""

    class Action(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        UPDATED = "updated", _("Details changed")
        CARD_RENEWED = "card_renewed", _("Card renewed")
        BLOCKED = "blocked", _("Blocked")
        UNBLOCKED = "unblocked", _("Block lifted")
        MERGED = "merged", _("Duplicate merged in")
        ANONYMISED = "anonymised", _("Anonymised")

    patron = models.ForeignKey(Patron, on_delete=models.CASCADE, related_name="events", verbose_name=_("patron"))
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    at = models.DateTimeField(_("when"))
    # What changed, in words a librarian reads (field names, the merged card), never personal data that
    # anonymisation must remove.
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    actor_channel = models.CharField(_("channel"), max_length=16, blank=True)
    actor_name = models.CharField(_("by"), max_length=200, blank=True)
    actor_branch = models.CharField(_("at branch"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("patron record change")
        verbose_name_plural = _("patron record changes")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["patron", "at"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.actor_name})"
