"""The assertion-output cap in conftest.py (issue 12: a failed byte comparison printed 33 MB under CI=true)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_a_failed_comparison_of_large_bytes_prints_a_short_explanation_on_ci(tmp_path: Path):
    test = tmp_path / "test_big.py"
    test.write_text("def test_big():\n    assert b'a' * 1_000_000 + b'x' == b'a' * 1_000_000 + b'y'\n")
    (tmp_path / "conftest.py").write_text((ROOT / "tests" / "conftest.py").read_text(encoding="utf-8"))
    env = {"CI": "true", "PATH": "/usr/bin:/bin"}
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(test)],
                         capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
    assert run.returncode == 1
    assert "differ from index 1000000" in run.stdout
    assert len(run.stdout) < 20_000
