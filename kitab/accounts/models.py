"""Online access for patrons: the login linked to a patron, self-registration requests and their settings, login
throttling, the patron's own preferences and their (opt-in) reading history.

How patrons sign in: each patron with online access has a Django `User` (no staff rights, a generated username
nobody types) joined one-to-one to the Patron by `PatronAccount`. The password lives on the User, so Django's
password hashing, validators, sessions and password-reset tokens all work unchanged; the `PatronBackend`
(backends.py) finds the account by card number or email. Patron records themselves stay in kitab.patrons.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from kitab.patrons import names


class PatronAccount(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="patron_account",
                                verbose_name=_("user"))
    patron = models.OneToOneField("patrons.Patron", on_delete=models.CASCADE, related_name="online_account",
                                  verbose_name=_("patron"))
    created_at = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("patron account")
        verbose_name_plural = _("patron accounts")

    def __str__(self) -> str:
        return str(self.patron)


class RegistrationSettings(models.Model):
    """Self-registration settings of one branch; the row without a branch holds the defaults for every branch."""

    branch = models.ForeignKey("items.Branch", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("branch"))
    open = models.BooleanField(_("self-registration open"), default=True,
                               help_text=_("People may register online and choose this branch."))
    requires_approval = models.BooleanField(
        _("registration needs staff approval"), default=False,
        help_text=_("After confirming their email address, new patrons wait until a librarian approves them."))
    category = models.ForeignKey("patrons.PatronCategory", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("category of new patrons"),
                                 help_text=_("Empty: the first category by code."))
    card_prefix = models.CharField(_("card number prefix"), max_length=8, default="W", blank=True,
                                   help_text=_("Cards of self-registered patrons start with this text."))

    class Meta:
        verbose_name = _("registration settings")
        verbose_name_plural = _("registration settings")
        constraints = [models.UniqueConstraint(Coalesce("branch", 0), name="registration_settings_unique_branch")]

    def __str__(self) -> str:
        return str(self.branch) if self.branch_id else str(_("All branches"))


class RegistrationRequest(models.Model):
    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("Email not confirmed")
        PENDING = "pending", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.UNCONFIRMED)
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.TextField(_("address"), blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    language = models.CharField(_("preferred language"), max_length=8, choices=settings.LANGUAGES)
    branch = models.ForeignKey("items.Branch", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("home branch"))
    # A Django password hash (make_password): the password is chosen at registration, never stored in clear.
    password_hash = models.CharField(max_length=256)
    # sha256 of the emailed confirmation token; the token itself is only in the email.
    token_hash = models.CharField(max_length=64, unique=True)
    token_expires_at = models.DateTimeField()
    created_at = models.DateTimeField(_("registered"))
    client_ip = models.GenericIPAddressField(null=True, blank=True)
    confirmed_at = models.DateTimeField(_("email confirmed"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.CharField(_("decided by"), max_length=200, blank=True)
    rejection_reason = models.TextField(_("reason"), blank=True)
    patron = models.ForeignKey("patrons.Patron", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("patron"))

    class Meta:
        verbose_name = _("registration request")
        verbose_name_plural = _("registration requests")
        indexes = [models.Index(fields=["status", "created_at"]), models.Index(fields=["client_ip", "created_at"]),
                   models.Index(fields=["email"])]

    def __str__(self) -> str:
        return f"{self.last_name}, {self.first_name} <{self.email}>"

    @property
    def full_name(self) -> str:
        return names.full_name(self.first_name, self.last_name)


class LoginFailure(models.Model):
    """One failed sign-in, counted per account and per client address (policy.login_lockout); also one
    password-reset email sent, counted per patron (policy.reset_mail_allowed), so the form cannot flood a
    patron's mailbox."""

    class Scope(models.TextChoices):
        ACCOUNT = "account", _("account")
        IP = "ip", _("address")
        RESET = "reset", _("password reset email")

    scope = models.CharField(max_length=8, choices=Scope.choices)
    key = models.CharField(max_length=200)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["scope", "key", "at"])]


class NoticeChoice(models.TextChoices):
    """Notices a patron may turn off. Overdue and fine notices are always sent: the library must send them."""

    DUE_SOON = "due_soon", _("A reminder before items are due")
    HOLD_READY = "hold_ready", _("A message when a hold is ready for pickup")
    HOLD_EXPIRED = "hold_expired", _("A message when a hold expires")


class PatronPreferences(models.Model):
    patron = models.OneToOneField("patrons.Patron", on_delete=models.CASCADE, related_name="preferences",
                                  verbose_name=_("patron"))
    # Off unless the patron turns it on: a record of what someone reads is personal data.
    keep_reading_history = models.BooleanField(_("keep my reading history"), default=False)
    reading_history_since = models.DateTimeField(null=True, blank=True)
    # Notice kinds (NoticeChoice) the patron does not want by email.
    muted_notices = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(_("updated"))

    class Meta:
        verbose_name = _("patron preferences")
        verbose_name_plural = _("patron preferences")

    def __str__(self) -> str:
        return str(self.patron)

    def wants(self, kind: str) -> bool:
        return kind not in self.muted_notices


class ReadingHistoryEntry(models.Model):
    """A title the patron borrowed, kept only while they have reading history switched on.

    Title and author are copied at checkout, so the entry still reads well if the record is later deleted."""

    patron = models.ForeignKey("patrons.Patron", on_delete=models.CASCADE, related_name="reading_history",
                               verbose_name=_("patron"))
    loan = models.OneToOneField("circulation.Loan", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    record = models.ForeignKey("catalogue.Record", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+", verbose_name=_("record"))
    title = models.TextField(_("title"))
    author = models.TextField(_("author"), blank=True)
    barcode = models.CharField(_("barcode"), max_length=64, blank=True)
    borrowed_at = models.DateTimeField(_("borrowed"))

    class Meta:
        verbose_name = _("reading history entry")
        verbose_name_plural = _("reading history entries")
        indexes = [models.Index(fields=["patron", "-borrowed_at"])]

    def __str__(self) -> str:
        return self.title
