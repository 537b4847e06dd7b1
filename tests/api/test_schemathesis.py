"""Property-based runs of every API operation against its OpenAPI schema: whatever the parameters and bodies,
no server error, and every answer matches the schema (status code, content type, body).

* anonymous callers on the public reads;
* an application token with every scope, owned by a superuser (every staff permission), on every operation,
  writes included (POST, PATCH, DELETE), with a few real patrons, copies and records to hit;
* a token with no scope but search:read on every operation: only refusals, never a server error.

The default run tries a few examples per operation; the `slow` run (CI runs it) many more.
Skipped when schemathesis is not installed.
"""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis")

from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.api.conftest import app_token
from tests.circulation.factories import ItemFactory
from tests.patrons.factories import PatronFactory

PUBLIC = r"^/api/v1/(search|records|items)/"


def _run(operations, headers: dict[str, str], examples: int) -> list[str]:  # type: ignore[no-untyped-def]
    app = get_wsgi_application()
    failures: list[str] = []
    for result in operations.get_all_operations():
        operation = result.ok()

        @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        @given(case=operation.as_strategy())
        def check(case):  # type: ignore[no-untyped-def]
            # A schema-valid value may still be refused on purpose (an unknown card number: 404; NUL characters:
            # 400; a policy refusal: 409), so "valid data is accepted" is not checked; everything else is.
            case.call_and_validate(app=app, headers={"Host": "localhost", **headers},
                                   excluded_checks=[positive_data_acceptance])

        try:
            check()
        except Exception as exc:  # noqa: BLE001 - collect every operation's failure, then report them all
            failures.append(f"{operation.label}: {exc}")
    return failures


def _schema():  # type: ignore[no-untyped-def]
    return schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())


@pytest.fixture
def fuzz_data(import_demo, rule, main, django_user_model):  # type: ignore[no-untyped-def]
    """A few records, patrons and copies, and a superuser's token with every scope."""
    import_demo(10)
    for _n in range(3):
        PatronFactory(home_branch=main)
        ItemFactory(home_branch=main)
    # A superuser, not the admin role: a transactional test empties the tables, roles included, after it.
    admin = django_user_model.objects.create_superuser("fuzz-admin", password="x" * 16)
    return {"Authorization": f"Bearer {app_token(admin)}", "X-Kitab-Branch": "MAIN"}


def _fuzz(fuzz_data, examples: int) -> None:  # type: ignore[no-untyped-def]
    schema = _schema()
    failures = _run(schema.include(path_regex=PUBLIC, method="GET"), {}, examples)
    failures += _run(schema.exclude(path_regex=r"/schema/"), fuzz_data, examples)
    assert not failures, "\n\n".join(failures)


@pytest.mark.django_db(transaction=True)
def test_every_operation_never_fails(fuzz_data):  # type: ignore[no-untyped-def]
    _fuzz(fuzz_data, examples=8)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_every_operation_never_fails_deeper(fuzz_data):  # type: ignore[no-untyped-def]
    _fuzz(fuzz_data, examples=120)


@pytest.mark.django_db(transaction=True)
def test_a_token_without_the_scopes_is_only_refused(fuzz_data, django_user_model):  # type: ignore[no-untyped-def]
    admin = django_user_model.objects.get(username="fuzz-admin")
    headers = {"Authorization": f"Bearer {app_token(admin, 'search:read', name='narrow')}"}
    failures = _run(_schema().exclude(path_regex=r"/(schema|search)/"), headers, examples=3)
    assert not failures, "\n\n".join(failures)
