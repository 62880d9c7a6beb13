"""Shared fixtures. Each block says who owns it; append new blocks at the end."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"


# --------------------------------------------------------------------------- batch / export (issue 5)


@pytest.fixture(scope="session")
def sample_texts() -> list[Path]:
    """The seed bulletins as plain text (samples/*.txt)."""
    paths = sorted(SAMPLES.glob("*.txt"))
    assert paths, "samples/*.txt missing"
    return paths


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database on the real server named by $RECTIPARSE_PG_URL, dropped afterwards.

    One database per test, so parallel test workers never see each other's tables. Without the variable the
    test is skipped — unless $RECTIPARSE_REQUIRE_PG is set (CI), where a missing server is a failure.
    Start a server with: eval "$(scripts/pg_test_server.sh)".
    """
    base = os.environ.get("RECTIPARSE_PG_URL")
    if not base:
        if os.environ.get("RECTIPARSE_REQUIRE_PG"):
            pytest.fail("RECTIPARSE_REQUIRE_PG is set but RECTIPARSE_PG_URL is not")
        pytest.skip("no PostgreSQL server: set RECTIPARSE_PG_URL (eval \"$(scripts/pg_test_server.sh)\")")
    import sqlalchemy as sa
    from sqlalchemy.engine import make_url

    from rectiparse.export import sqlalchemy_url

    url = make_url(sqlalchemy_url(base))
    name = f"rp_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        if os.environ.get("RECTIPARSE_REQUIRE_PG"):
            raise
        pytest.skip(f"PostgreSQL at {url.render_as_string()} not usable: {exc}")
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


# --------------------------------------------------------------------------- assertion output (issue 12)

_CAP = 2_000


def pytest_assertrepr_compare(config, op: str, left: object, right: object) -> list[str] | None:
    """Keep a failed comparison of large values short, on CI too.

    pytest never truncates assertion explanations when ``CI`` is set, so one failed comparison of two model files
    printed a 33 MB byte diff into the CI log. For long strings, bytes and containers this gives the sizes and the
    first place they differ instead; short values keep pytest's own explanation.
    """
    if op != "==" or not isinstance(left, str | bytes | list | tuple | dict) or type(left) is not type(right):
        return None
    if len(repr(left)) + len(repr(right)) <= _CAP:
        return None
    if isinstance(left, dict):
        differ = sorted(str(k) for k in left.keys() | right.keys() if left.get(k) != right.get(k))
        return [f"two dicts of {len(left)} and {len(right)} keys differ at keys: {differ[:20]}"]
    first = next((i for i, (a, b) in enumerate(zip(left, right, strict=False)) if a != b), min(len(left), len(right)))
    return [
        f"two {type(left).__name__} values of length {len(left)} and {len(right)} differ from index {first}",
        f"left[{first}:{first + 5}]  = {left[first:first + 5]!r}"[:400],
        f"right[{first}:{first + 5}] = {right[first:first + 5]!r}"[:400],
    ]
