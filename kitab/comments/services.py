"""Comment writes: a patron writes, edits (back to moderation) or deletes their own; staff approve or reject.

The adapter checks that a patron edits only their own comment (selectors.own_comment) and that staff hold the
moderation permission; nothing here reads a request.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from kitab.catalogue.models import Record
from kitab.core.actor import Actor
from kitab.patrons.models import Patron

from .errors import CommentError
from .models import BODY_MAX, Comment
from .policy import MAX_PENDING_PER_PATRON


def _clean_body(body: str) -> str:
    # Plain text: keep line breaks, drop surrounding blanks and control characters other than newline and tab.
    text = "".join(ch for ch in (body or "") if ch in "\n\t" or ch >= " ").strip()
    if not text:
        raise CommentError("empty_comment", _("Write something before sending the comment."))
    if len(text) > BODY_MAX:
        raise CommentError("comment_too_long",
                           _("The comment is too long: at most %(max)d characters.") % {"max": BODY_MAX})
    return text


@transaction.atomic
def post_comment(*, record: Record, patron: Patron, body: str, actor: Actor, at: datetime) -> Comment:
    """A new comment awaiting moderation. Raises CommentError: empty_comment, comment_too_long,
    too_many_pending, record_not_found."""
    text = _clean_body(body)
    if not Record.objects.filter(pk=record.pk).exists():
        raise CommentError("record_not_found", _("This record is not in the catalogue (any more)."))
    Patron.objects.select_for_update().filter(pk=patron.pk).first()
    if Comment.objects.filter(patron=patron, status=Comment.Status.PENDING).count() >= MAX_PENDING_PER_PATRON:
        raise CommentError("too_many_pending", _("You have many comments awaiting moderation. Please wait until "
                                                 "the library has read them."))
    return Comment.objects.create(record=record, patron=patron, body=text, created_at=at, updated_at=at)


@transaction.atomic
def edit_comment(comment: Comment, *, body: str, actor: Actor, at: datetime) -> Comment:
    """Change the text; the comment goes back to moderation (and disappears from the record page until approved).
    Raises CommentError: empty_comment, comment_too_long."""
    text = _clean_body(body)
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if text == comment.body:
        return comment
    comment.body = text
    comment.status = Comment.Status.PENDING
    comment.updated_at = at
    comment.moderated_at, comment.moderated_by, comment.rejection_reason = None, "", ""
    comment.save()
    return comment


@transaction.atomic
def delete_comment(comment: Comment, *, actor: Actor, at: datetime) -> None:
    Comment.objects.filter(pk=comment.pk).delete()


def _pending(comment: Comment) -> Comment:
    locked = Comment.objects.select_for_update().get(pk=comment.pk)
    if locked.status != Comment.Status.PENDING:
        raise CommentError("not_pending", _("This comment has already been moderated, or was changed meanwhile."))
    return locked


@transaction.atomic
def approve_comment(comment: Comment, *, actor: Actor, at: datetime, seen_at: datetime | None = None) -> Comment:
    """Publish a pending comment. `seen_at`: the comment's `updated_at` the moderator read; if the patron edited it
    since, the approval is refused (not_pending) so nobody publishes text they have not read."""
    locked = _pending(comment)
    if seen_at is not None and locked.updated_at != seen_at:
        raise CommentError("not_pending", _("This comment has already been moderated, or was changed meanwhile."))
    locked.status = Comment.Status.APPROVED
    locked.moderated_at, locked.moderated_by, locked.rejection_reason = at, actor.label(), ""
    locked.save()
    return locked


@transaction.atomic
def reject_comment(comment: Comment, *, reason: str, actor: Actor, at: datetime) -> Comment:
    """Refuse a pending comment with a reason the patron sees. Raises CommentError: reason_required, not_pending."""
    reason = (reason or "").strip()
    if not reason:
        raise CommentError("reason_required", _("Say why the comment is not published; the reader sees it."))
    locked = _pending(comment)
    locked.status = Comment.Status.REJECTED
    locked.moderated_at, locked.moderated_by, locked.rejection_reason = at, actor.label(), reason[:1000]
    locked.save()
    return locked


@transaction.atomic
def merge_patron_comments(*, keep: Patron, remove: Patron, actor: Actor, at: datetime) -> int:
    """Give `remove`'s comments to `keep` (patron merge). Returns how many moved."""
    return Comment.objects.filter(patron=remove).update(patron=keep)


@transaction.atomic
def erase_patron_comments(*, patron: Patron, actor: Actor, at: datetime) -> int:
    """Patron anonymisation: comments not yet published are deleted; published ones stay with the record (they
    are about the book) and are signed "A former reader" from then on (policy.display_name)."""
    deleted, _rows = Comment.objects.filter(patron=patron).exclude(status=Comment.Status.APPROVED).delete()
    return deleted
