"""The outbox that keeps the search index in step with the database.

Services add a row in the same transaction as the change they make; whoever holds the index writer drains it.
A crash between the database commit and the index commit therefore loses nothing: the rows are still here.
"""

from __future__ import annotations

from django.db import models


class PendingIndexUpdate(models.Model):
    record_id = models.BigIntegerField(primary_key=True)  # a record id; deleted records are removed from the index
    queued_at = models.DateTimeField()
