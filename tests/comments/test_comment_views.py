"""Comment pages: posting needs a signed-in patron, other people's comments are 404, nothing patrons type is ever
rendered as HTML, and the staff queue needs the moderation permission."""

from __future__ import annotations

import pytest
from django.test import Client

from kitab.catalogue.models import Record
from kitab.comments import services
from kitab.comments.models import Comment
from kitab.core.actor import Actor
from kitab.patrons.models import StaffAssignment, StaffRole
from tests.lists.factories import OPAC, T0, demo_ids, patron_with_account, signed_in

pytestmark = pytest.mark.django_db

PAYLOAD = '<script>alert("pwned")</script><b onmouseover="alert(1)">bold</b>'


@pytest.fixture
def record_id(import_demo):  # type: ignore[no-untyped-def]
    import_demo(2)
    return demo_ids()[0]


def test_anonymous_visitors_see_a_sign_in_link_and_cannot_post(client, record_id):
    page = client.get(f"/record/{record_id}/").content.decode()
    assert 'id="comments"' in page and "/account/login/" in page
    response = client.post(f"/record/{record_id}/comments/", {"body": "hello"})
    assert response.status_code == 302 and "login" in response["Location"]
    assert not Comment.objects.exists()


def test_post_edit_delete_own_comment_with_escaped_payload(client, record_id):
    patron = patron_with_account(first_name="Aysel", last_name="Məmmədova")
    signed_in(client, patron)
    response = client.post(f"/record/{record_id}/comments/", {"body": PAYLOAD})
    assert response.status_code == 302 and response["Location"].endswith("#comments")
    comment = Comment.objects.get()
    assert comment.body == PAYLOAD  # stored as typed

    page = client.get(f"/record/{record_id}/").content.decode()
    assert "Awaiting moderation" in page
    assert "<script>alert" not in page and '<b onmouseover' not in page
    assert "&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;" in page

    services.approve_comment(comment, actor=Actor(channel="staff", username="x"), at=T0)
    public = Client().get(f"/record/{record_id}/").content.decode()
    assert "Aysel M." in public and "Məmmədova" not in public and patron.card_number not in public
    assert "<script>alert" not in public and "&lt;script&gt;" in public

    assert client.get(f"/comments/{comment.pk}/edit/").status_code == 200
    client.post(f"/comments/{comment.pk}/edit/", {"body": "Calmer words"})
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING and comment.body == "Calmer words"
    assert "Calmer words" not in Client().get(f"/record/{record_id}/").content.decode()

    assert client.get(f"/comments/{comment.pk}/delete/").status_code == 200
    client.post(f"/comments/{comment.pk}/delete/")
    assert not Comment.objects.exists()


def test_empty_comment_gives_a_message_not_an_error(client, record_id):
    signed_in(client, patron_with_account())
    response = client.post(f"/record/{record_id}/comments/", {"body": "   "}, follow=True)
    assert response.status_code == 200 and not Comment.objects.exists()
    assert 'class="notice notice-error"' in response.content.decode()
    assert client.post("/record/999999/comments/", {"body": "x"}).status_code == 404


def test_other_patrons_comments_are_404(client, record_id):
    owner, stranger = patron_with_account(), patron_with_account()
    comment = services.post_comment(record=Record.objects.get(pk=record_id), patron=owner, body="mine", actor=OPAC,
                                    at=T0)
    signed_in(client, stranger)
    assert client.get(f"/comments/{comment.pk}/edit/").status_code == 404
    assert client.post(f"/comments/{comment.pk}/edit/", {"body": "hijacked"}).status_code == 404
    assert client.post(f"/comments/{comment.pk}/delete/").status_code == 404
    comment.refresh_from_db()
    assert comment.body == "mine"
    # somebody else's pending comment is not shown to other patrons
    assert "mine" not in client.get(f"/record/{record_id}/").content.decode().split('id="comments"')[1]


def test_staff_moderation_queue(client, record_id, django_user_model):
    patron = patron_with_account(first_name="Orxan")
    record = Record.objects.get(pk=record_id)
    first = services.post_comment(record=record, patron=patron, body=PAYLOAD, actor=OPAC, at=T0)
    second = services.post_comment(record=record, patron=patron, body="Spam spam", actor=OPAC, at=T0)

    desk_only = django_user_model.objects.create_user("desk", password="pw", is_staff=True)
    StaffAssignment.objects.create(user=desk_only, role=StaffRole.objects.get(code="desk"))
    client.force_login(desk_only, backend="kitab.accounts.backends.StaffBackend")
    assert client.get("/staff/comments/").status_code == 403

    cataloguer = django_user_model.objects.create_user("cat", password="pw", is_staff=True)
    StaffAssignment.objects.create(user=cataloguer, role=StaffRole.objects.get(code="cataloguer"))
    client.force_login(cataloguer, backend="kitab.accounts.backends.StaffBackend")
    queue = client.get("/staff/comments/")
    html = queue.content.decode()
    assert queue.status_code == 200 and "2 comments await moderation." in html
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert f"/staff/comments/{first.pk}/approve/" in html

    client.post(f"/staff/comments/{first.pk}/approve/", {"seen": first.updated_at.isoformat()})
    first.refresh_from_db()
    assert first.status == Comment.Status.APPROVED and first.moderated_by == "staff:cat"
    empty_reason = client.post(f"/staff/comments/{second.pk}/reject/", {"reason": ""}, follow=True)
    assert "Say why the comment is not published" in empty_reason.content.decode()
    client.post(f"/staff/comments/{second.pk}/reject/", {"reason": "Advertising"})
    second.refresh_from_db()
    assert (second.status, second.rejection_reason) == (Comment.Status.REJECTED, "Advertising")
    assert "Nothing to moderate." in client.get("/staff/comments/").content.decode()

    # the patron sees why
    signed_in(client, patron)
    page = client.get(f"/record/{record_id}/").content.decode()
    assert "Advertising" in page and "Not published" in page
    assert Client().get("/staff/comments/").status_code == 302


def test_a_name_with_markup_is_shown_as_text_everywhere(client, record_id, django_user_model):
    patron = patron_with_account(first_name='<img src=x onerror=alert(1)>', last_name="<b>Bold</b>")
    comment = services.post_comment(record=Record.objects.get(pk=record_id), patron=patron, body="Nice",
                                    actor=OPAC, at=T0)
    staff = django_user_model.objects.create_user("boss", password="pw", is_staff=True, is_superuser=True)
    client.force_login(staff, backend="kitab.accounts.backends.StaffBackend")
    queue = client.get("/staff/comments/").content.decode()
    assert "<img src=x" not in queue and "<bdi>&lt;img src=x onerror=alert(1)&gt; &lt;.</bdi>" in queue
    services.approve_comment(comment, actor=Actor(channel="staff", username="boss"), at=T0)
    page = Client().get(f"/record/{record_id}/").content.decode()
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


def test_staff_bar_links_the_queue_only_for_moderators(client, record_id, django_user_model):
    services.post_comment(record=Record.objects.get(pk=record_id), patron=patron_with_account(), body="x",
                          actor=OPAC, at=T0)
    desk_only = django_user_model.objects.create_user("desk2", password="pw", is_staff=True)
    StaffAssignment.objects.create(user=desk_only, role=StaffRole.objects.get(code="desk"))
    client.force_login(desk_only, backend="kitab.accounts.backends.StaffBackend")
    assert 'href="/staff/comments/"' not in client.get("/staff/").content.decode()
    boss = django_user_model.objects.create_user("boss2", password="pw", is_staff=True, is_superuser=True)
    client.force_login(boss, backend="kitab.accounts.backends.StaffBackend")
    bar = client.get("/staff/").content.decode()
    assert 'href="/staff/comments/"' in bar and 'aria-label="1 comment awaits moderation."' in bar
