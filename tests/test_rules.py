"""Rules as data: shipped files load and validate; a broken file names the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from rectiparse.pipeline import parse
from rectiparse.rules import RULE_FILES, RulesError, default_rules_dir, load_rules

ROOT = Path(__file__).resolve().parents[1]


def test_shipped_rules_load_and_equal_the_files_on_disk():
    rules = load_rules()
    for name in RULE_FILES:
        on_disk = yaml.safe_load((default_rules_dir() / f"{name}.yaml").read_text(encoding="utf-8"))
        loaded = getattr(rules, name).model_dump()
        _assert_contains(loaded, on_disk, name)


def _assert_contains(loaded, on_disk, where: str) -> None:
    """Everything written on disk is loaded unchanged (the model may add defaults)."""
    if isinstance(on_disk, dict):
        assert isinstance(loaded, dict), where
        for key, value in on_disk.items():
            assert key in loaded, f"{where}.{key} missing"
            _assert_contains(loaded[key], value, f"{where}.{key}")
    elif isinstance(on_disk, list):
        assert isinstance(loaded, list) and len(loaded) == len(on_disk), where
        for i, (a, b) in enumerate(zip(loaded, on_disk, strict=True)):
            _assert_contains(a, b, f"{where}[{i}]")
    else:
        assert loaded == on_disk, where


def test_broken_rule_file_names_file_and_key(tmp_path):
    (tmp_path / "status.yaml").write_text("codes:\n  finished: [完结]\n", encoding="utf-8")
    with pytest.raises(RulesError) as exc:
        load_rules(tmp_path)
    msg = str(exc.value)
    assert "status.yaml" in msg and "codes" in msg and "finished" in msg


def test_invalid_regex_is_reported_with_its_key(tmp_path):
    (tmp_path / "noise.yaml").write_text("inline: ['(unclosed']\n", encoding="utf-8")
    with pytest.raises(RulesError) as exc:
        load_rules(tmp_path)
    assert "noise.yaml" in str(exc.value) and "inline" in str(exc.value)


def test_user_rules_extend_the_status_vocabulary(tmp_path):
    shipped = yaml.safe_load((default_rules_dir() / "status.yaml").read_text(encoding="utf-8"))
    shipped["codes"]["completed"].append("已清零")
    (tmp_path / "status.yaml").write_text(yaml.safe_dump(shipped, allow_unicode=True), encoding="utf-8")
    bulletin = tmp_path / "b.txt"
    bulletin.write_text(
        "关于巡察整改进展情况的通报\n一、整改落实情况\n（一）关于“台账不清”问题，已清零。\n整改情况：已建立台账。\n"
        "（二）关于“制度缺失”问题，已完成整改。\n整改情况：出台制度。\n",
        encoding="utf-8",
    )
    assert [i.status for i in parse(bulletin).items] == [None, "completed"]
    assert [i.status for i in parse(bulletin, rules_dir=tmp_path).items] == ["completed", "completed"]


def test_rules_are_found_from_an_installed_wheel(tmp_path):
    """Build the wheel and check the rules folder is inside it (no checkout needed at run time)."""
    import subprocess
    import sys
    import zipfile

    out = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(tmp_path), str(ROOT)],
        capture_output=True, text=True,
    )
    if out.returncode != 0 and "hatchling" in (out.stderr + out.stdout):
        pytest.skip("hatchling not installed for an offline build")
    assert out.returncode == 0, out.stderr[-2000:]
    wheel = next(tmp_path.glob("rectiparse-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for name in RULE_FILES:
        assert f"rectiparse/rules/{name}.yaml" in names
