"""A small property-based run over the public read endpoints: whatever the parameters, no server error and
every answer matches the schema (status, content type, body). Skipped when schemathesis is not installed."""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis")

from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

PUBLIC = r"^/api/v1/(search|records|items)/"


@pytest.mark.django_db(transaction=True)
def test_public_endpoints_never_fail(import_demo):  # type: ignore[no-untyped-def]
    import_demo(10)
    app = get_wsgi_application()
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", app)
    selected = schema.include(path_regex=PUBLIC, method="GET")
    failures = []
    for result in selected.get_all_operations():
        operation = result.ok()

        @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        @given(case=operation.as_strategy())
        def check(case):  # type: ignore[no-untyped-def]
            # A schema-valid string may still be refused on purpose (NUL characters): 400, not accepted.
            case.call_and_validate(app=app, headers={"Host": "localhost"},
                                   excluded_checks=[positive_data_acceptance])

        try:
            check()
        except Exception as exc:  # noqa: BLE001 - collect every operation's failure, then report them all
            failures.append(f"{operation.label}: {exc}")
    assert not failures, "\n\n".join(failures)
