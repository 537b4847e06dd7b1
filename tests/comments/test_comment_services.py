from __future__ import annotations

from datetime import timedelta

import pytest

from kitab.comments import policy, selectors, services
from kitab.comments.errors import CommentError
from kitab.comments.models import Comment
from kitab.core.actor import Actor
from tests.circulation.factories import RecordFactory
from tests.lists.factories import OPAC, T0
from tests.patrons.factories import PatronFactory

pytestmark = pytest.mark.django_db
STAFF = Actor(channel="staff", username="librarian")


def post(patron=None, record=None, body="A fine book.", at=T0):  # type: ignore[no-untyped-def]
    return services.post_comment(record=record or RecordFactory(), patron=patron or PatronFactory(), body=body,
                                 actor=OPAC, at=at)


def test_a_new_comment_waits_for_moderation_and_is_not_published():
    comment = post(body="  Loved it.\n\nRead it twice. \x00")
    assert comment.status == Comment.Status.PENDING
    assert comment.body == "Loved it.\n\nRead it twice."
    assert not selectors.published(comment.record_id).exists()


@pytest.mark.parametrize(("body", "code"), [("", "empty_comment"), (" \n\t ", "empty_comment"),
                                            ("x" * 4001, "comment_too_long")])
def test_bad_comments_are_refused(body, code):
    with pytest.raises(CommentError) as excinfo:
        post(body=body)
    assert excinfo.value.code == code
    assert not Comment.objects.exists()


def test_pending_comments_per_patron_are_limited(monkeypatch):
    monkeypatch.setattr(services, "MAX_PENDING_PER_PATRON", 2)
    patron = PatronFactory()
    post(patron)
    post(patron)
    with pytest.raises(CommentError) as excinfo:
        post(patron)
    assert excinfo.value.code == "too_many_pending"


def test_approve_publishes_and_records_who():
    comment = post()
    services.approve_comment(comment, actor=STAFF, at=T0, seen_at=comment.updated_at)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED and comment.moderated_by == "staff:librarian"
    assert list(selectors.published(comment.record_id)) == [comment]
    with pytest.raises(CommentError) as excinfo:
        services.approve_comment(comment, actor=STAFF, at=T0)
    assert excinfo.value.code == "not_pending"


def test_approving_text_the_moderator_did_not_read_is_refused():
    comment = post()
    seen = comment.updated_at
    services.edit_comment(comment, body="Changed after the moderator opened the queue", actor=OPAC,
                          at=T0 + timedelta(minutes=1))
    with pytest.raises(CommentError) as excinfo:
        services.approve_comment(comment, actor=STAFF, at=T0, seen_at=seen)
    assert excinfo.value.code == "not_pending"
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.PENDING


def test_reject_needs_a_reason():
    comment = post()
    with pytest.raises(CommentError) as excinfo:
        services.reject_comment(comment, reason="  ", actor=STAFF, at=T0)
    assert excinfo.value.code == "reason_required"
    services.reject_comment(comment, reason="Off topic", actor=STAFF, at=T0)
    comment.refresh_from_db()
    assert (comment.status, comment.rejection_reason) == (Comment.Status.REJECTED, "Off topic")


def test_editing_sends_a_published_or_rejected_comment_back_to_moderation():
    comment = post()
    services.approve_comment(comment, actor=STAFF, at=T0)
    services.edit_comment(comment, body="Better words", actor=OPAC, at=T0 + timedelta(hours=1))
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING and comment.moderated_at is None
    assert not selectors.published(comment.record_id).exists()
    services.reject_comment(comment, reason="Spoilers", actor=STAFF, at=T0)
    services.edit_comment(comment, body="No spoilers now", actor=OPAC, at=T0 + timedelta(hours=2))
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING and comment.rejection_reason == ""
    # the same text again changes nothing
    before = comment.updated_at
    services.edit_comment(comment, body="No spoilers now", actor=OPAC, at=T0 + timedelta(hours=3))
    comment.refresh_from_db()
    assert comment.updated_at == before


def test_delete_and_ownership():
    mine, other = PatronFactory(), PatronFactory()
    comment = post(mine)
    assert selectors.own_comment(mine, comment.pk) == comment
    assert selectors.own_comment(other, comment.pk) is None
    assert selectors.own_comment(None, comment.pk) is None
    services.delete_comment(comment, actor=OPAC, at=T0)
    assert not Comment.objects.exists()


def test_moderation_queue_oldest_change_first():
    first = post(at=T0)
    second = post(at=T0 + timedelta(minutes=5))
    services.edit_comment(first, body="edited", actor=OPAC, at=T0 + timedelta(minutes=10))
    assert list(selectors.moderation_queue()) == [second, first]


def test_display_name_is_first_name_and_initial_only():
    assert policy.display_name(PatronFactory.build(first_name="Aysel", last_name="Məmmədova")) == "Aysel M."
    assert policy.display_name(PatronFactory.build(first_name="", last_name="Əliyev")) == "Ə."
