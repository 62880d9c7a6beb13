"""The command line: JSON on stdout, logs on stderr, exit codes that say what happened."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from rectiparse.cli import COMMANDS, build_parser, main

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
SEED_002 = SAMPLES / "002_056a472a98951650.txt"
SEED_004 = SAMPLES / "004_dd361c94b27cbe2f.txt"


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "rectiparse.cli", *args], input=stdin, capture_output=True,
                          timeout=120)


def test_extract_prints_contract_json_and_exits_0():
    out = run("extract", str(SEED_002))
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["schema_version"].startswith("1.")
    assert len(doc["items"]) == 15
    assert b"Traceback" not in out.stderr


def test_extract_exits_1_when_the_bulletin_contradicts_itself(tmp_path):
    target = tmp_path / "o.json"
    out = run("extract", str(SEED_004), "-o", str(target), "--no-text", "--pretty")
    assert out.returncode == 1
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert "text" not in doc
    assert any(i["code"] == "summary_mismatch" for i in doc["validation"]["issues"])
    assert b"summary_mismatch" in out.stderr  # logged for the person at the terminal


def test_extract_reads_standard_input():
    out = run("extract", "-", stdin=SEED_002.read_bytes())
    assert out.returncode == 0
    assert len(json.loads(out.stdout)["items"]) == 15


@pytest.mark.parametrize(
    ("content", "needle"),
    [(b"", b"empty"), (b"\x00\x01\x02\x03" * 200, b"binary"), (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, b"image")],
    ids=["empty", "binary", "png"],
)
def test_unreadable_input_exits_2_naming_the_file(tmp_path, content, needle):
    f = tmp_path / "bad.txt"
    f.write_bytes(content)
    out = run("extract", str(f))
    assert out.returncode == 2
    assert str(f).encode() in out.stderr and needle in out.stderr.lower()
    assert b"Traceback" not in out.stderr and out.stdout == b""


def test_missing_file_and_bad_usage_exit_2(tmp_path):
    assert run("extract", str(tmp_path / "nope.txt")).returncode == 2
    assert run("extract").returncode == 2
    assert run("no-such-command").returncode == 2


def test_text_without_structure_gives_an_empty_but_valid_document(tmp_path):
    f = tmp_path / "prose.txt"
    f.write_text("今天天气很好，我们去公园散步。\n公园里有很多人。\n", encoding="utf-8")
    out = run("extract", str(f))
    assert out.returncode == 0
    doc = json.loads(out.stdout)
    assert doc["items"] == [] and doc["summary"]["problems_total"] is None


def test_every_command_has_help_and_is_in_the_readme():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name in sub.choices:
        assert name in COMMANDS
        assert sub.choices[name].format_help().strip()
        assert f"rectiparse {name}" in readme, f"README does not document `rectiparse {name}`"
    assert main(["--version"]) == 0


def test_schema_on_disk_is_not_stale():
    from rectiparse.cli import schema_json

    on_disk = (Path(__file__).resolve().parents[1] / "schemas" / "document.schema.json").read_text(encoding="utf-8")
    assert on_disk == schema_json(), "run `make schema` to regenerate schemas/document.schema.json"


def test_legacy_word_file_gets_a_clear_message(tmp_path):
    f = tmp_path / "old.doc"
    f.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    out = run("extract", str(f))
    assert out.returncode == 2
    assert b"old.doc" in out.stderr and b"97-2003" in out.stderr


def test_a_warning_names_the_file_once(tmp_path):
    """Loader messages already name the file; the terminal line must not repeat it."""
    scan = SAMPLES / "pdf" / "002_056a472a98951650_scan.pdf"
    out = run("extract", str(scan), "--no-ocr", "-o", str(tmp_path / "o.json"))
    [line] = [ln for ln in out.stderr.decode().splitlines() if "low_text_yield" in ln]
    assert line.count(str(scan)) == 1
    assert "pages 1–6" in line
