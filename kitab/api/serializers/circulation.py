"""Loans: checkout, checkin and renewal requests, and the loans they answer with."""

from __future__ import annotations

from rest_framework import serializers

from kitab.circulation.models import Loan


class LoanSerializer(serializers.ModelSerializer):
    item = serializers.CharField(source="item.barcode")
    record = serializers.IntegerField(source="item.record_id")
    patron = serializers.IntegerField(source="patron_id")
    patron_card = serializers.CharField(source="patron.card_number")
    branch = serializers.CharField(source="branch.code")

    class Meta:
        model = Loan
        fields = ("id", "item", "record", "patron", "patron_card", "branch", "status", "issued_at", "due_at",
                  "returned_at", "renewals", "override_code")


class CheckoutSerializer(serializers.Serializer):
    patron = serializers.CharField(help_text="The patron's card number.")
    item = serializers.CharField(help_text="The copy's barcode.")
    override = serializers.BooleanField(required=False, default=False,
                                        help_text="Go past refusals the caller may override.")


class CheckinSerializer(serializers.Serializer):
    barcode = serializers.CharField()


class CheckinResultSerializer(serializers.Serializer):
    loan = LoanSerializer()
    destination = serializers.CharField(help_text="shelve, transit or hold_shelf")
    fine = serializers.DecimalField(max_digits=10, decimal_places=2, source="fine.amount", allow_null=True,
                                    default=None, help_text="Overdue fine settled at this return.")
    hold = serializers.IntegerField(source="hold.pk", allow_null=True, default=None,
                                    help_text="The hold the copy was set aside for.")
    replayed = serializers.BooleanField(help_text="An earlier checkin with the same Idempotency-Key.")


class RenewSerializer(serializers.Serializer):
    override = serializers.BooleanField(required=False, default=False)


class PatronParamSerializer(serializers.Serializer):
    patron = serializers.CharField(help_text="The patron's card number.")
