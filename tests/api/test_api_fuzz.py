"""Schemathesis against /api/openapi.json: generated requests (valid and invalid) for
every operation, with a real token, in-process through the WSGI application. Fails on any
5xx and on any answer the schema does not document (status code, content type, body).

Bounded: API_FUZZ_EXAMPLES examples per operation (20 in the test suite; CI runs this
file again with more, see .ci/run), no per-example deadline."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from carewatch.kids.tracker.models import Child, Device, Place
from carewatch.platform.accounts.models import ApiToken, Family, FamilyMembership, FamilyRole
from carewatch.wsgi import application
from tests.base import make_user

EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "20"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def keep_connection() -> Iterator[None]:
    """As Django's test client does: the WSGI handler would close the test's database
    connection after each request (and its transaction with it, on PostgreSQL)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(db: Any, keep_connection: None) -> str:
    user = make_user("fuzz@example.org")
    family = Family.objects.create(name="Fuzz family")
    FamilyMembership.objects.create(family=family, user=user, role=FamilyRole.OWNER)
    child = Child.objects.create(family=family, name="Asha", birth_year=2016)
    Device.objects.create(identifier="860000000000009", family=family, child=child)
    Place.objects.create(family=family, name="School", lat=13.08, lon=80.27, radius_m=150)
    return ApiToken.issue(user, "fuzz")[1]


# Loaded at collection: pytest-django has set Django up, and the schema needs no database.
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_the_api_answers_every_generated_request_as_documented(case: Any, token: str) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
