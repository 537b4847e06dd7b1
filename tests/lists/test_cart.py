from __future__ import annotations

from datetime import timedelta

import pytest

from kitab.lists import cart as cart_module
from kitab.lists.cart import Cart
from kitab.lists.errors import ListError
from tests.circulation.factories import RecordFactory
from tests.lists.factories import T0

pytestmark = pytest.mark.django_db


def test_cart_collects_each_existing_record_once_in_order():
    session: dict = {}
    a, b = RecordFactory(), RecordFactory()
    cart = Cart(session)
    assert cart.add([b.pk, a.pk, b.pk, 77777]) == 2
    assert cart.add([a.pk]) == 0
    assert cart.ids() == [b.pk, a.pk]
    assert a.pk in cart and len(cart) == 2
    assert cart.remove(b.pk) is True and cart.remove(b.pk) is False
    cart.clear()
    assert cart.ids() == [] and cart_module.SESSION_KEY not in session


def test_cart_refuses_unknown_records_and_overflow(monkeypatch):
    cart = Cart({})
    with pytest.raises(ListError) as excinfo:
        cart.add([123456])
    assert excinfo.value.code == "record_not_found"
    monkeypatch.setattr(cart_module, "MAX_CART", 1)
    cart.add([RecordFactory().pk])
    with pytest.raises(ListError) as excinfo:
        cart.add([RecordFactory().pk])
    assert excinfo.value.code == "cart_full"
    assert len(cart) == 1


def test_cart_ignores_garbage_in_the_session():
    assert Cart({cart_module.SESSION_KEY: ["x", None, 3]}).ids() == [3]


def test_mail_limit_per_session_and_hour():
    cart = Cart({})
    for minute in range(cart_module.MAIL_LIMIT):
        cart.note_mail(at=T0 + timedelta(minutes=minute))
    with pytest.raises(ListError) as excinfo:
        cart.note_mail(at=T0 + timedelta(minutes=30))
    assert excinfo.value.code == "email_limit"
    cart.note_mail(at=T0 + timedelta(hours=1, minutes=1))  # the first ones have aged out
