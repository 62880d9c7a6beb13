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

    from rectiparse.export import _sqlalchemy_url

    url = make_url(_sqlalchemy_url(base))
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
