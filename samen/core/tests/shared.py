"""Test data made once per module instead of once per test (like Django's `setUpTestData`).

    @shared_data
    def world():
        \"\"\"The people and organisations of the table.\"\"\"
        org = factories.make_our_org()
        return {"org": org, "editor": factories.make_editor(org)}

`world` is then a module-scoped fixture: its rows are written once, inside a transaction that stays
open while the module's tests run; each test runs in a savepoint inside it (the usual `db`
fixture), so what a test writes is rolled back, and at the end of the module everything is.
Rules: every test of the module takes `db` (directly or through another fixture); no
`transactional_db` or `live_server` test in the same module or class (they commit and flush);
treat the returned objects as read-only, or read a fresh copy (`Model.objects.get(pk=...)`) to
change one: the database rolls back after each test, Python objects do not.
`@shared_data(scope="class")` shares within a test class only, so a module can mix tests that want
the shared rows with tests that want an empty database."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar, overload

import pytest

T = TypeVar("T")


@overload
def shared_data(build: Callable[[], T], *, scope: str = "module") -> Any: ...
@overload
def shared_data(build: None = None, *, scope: str = "module") -> Callable[[Callable[[], T]], Any]: ...


def shared_data(build: Callable[[], T] | None = None, *, scope: str = "module") -> Any:
    """Turn a function that makes rows into a fixture made once per module (or class) and rolled back after it."""

    def decorate(build: Callable[[], T]) -> Any:
        @pytest.fixture(scope=scope, name=build.__name__)  # type: ignore[call-overload]
        def fixture(django_db_setup: None, django_db_blocker: Any, tmp_path_factory: Any) -> Iterator[T]:
            from django.contrib.contenttypes.models import ContentType
            from django.db import transaction
            from django.test import override_settings

            outer = transaction.atomic()
            with django_db_blocker.unblock():
                outer.__enter__()
                try:
                    # Files the data writes (images) go to a folder of their own, not to var/media.
                    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp(f"{build.__name__}-media")):
                        data = build()
                except BaseException:
                    transaction.set_rollback(True)
                    outer.__exit__(None, None, None)
                    raise
            try:
                yield data
            finally:
                with django_db_blocker.unblock():
                    transaction.set_rollback(True)
                    outer.__exit__(None, None, None)
                # A copy of the demo (demo_copy) replaces the content types; the rollback brings the
                # old ids back, so Django's cache of them must go too.
                ContentType.objects.clear_cache()

        fixture.__doc__ = build.__doc__
        return fixture

    return decorate(build) if build is not None else decorate
