"""``rectiparse train`` on spaCy's training loop (issue 13): where it may write, what its meta.json records,
the registered augmenter and reader, and ``python -m spacy train`` giving the same model.

The weight-for-weight reproduction of the shipped model is ``tests/test_model.py``; here every check but the
last two runs without training, so the file stays fast.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
import spacy

from rectiparse import train as tr
from rectiparse.cli import main
from rectiparse.rules import load_rules
from rectiparse.segment import blockrole_corpus as bc
from rectiparse.segment import model as md
from rectiparse.segment.grammar import grammar

ROOT = Path(__file__).resolve().parents[1]


def _snapshot(where: Path) -> dict[str, bytes]:
    return {str(f.relative_to(where)): f.read_bytes() for f in sorted(where.rglob("*")) if f.is_file()}


# --------------------------------------------------------------------------- where train may write


def test_out_refuses_the_packaged_model_without_the_flag(capsys: pytest.CaptureFixture[str]) -> None:
    packaged = md.default_model_dir()
    before = _snapshot(packaged)
    for out in (packaged, packaged / "textcat"):
        assert main(["train", "--out", str(out)]) == 2
        err = capsys.readouterr().err
        assert "packaged model" in err and "--replace-packaged" in err
    assert _snapshot(packaged) == before  # refused before training: not a byte touched


def test_replace_packaged_does_not_go_with_another_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["train", "--replace-packaged", "--out", str(tmp_path / "m")]) == 2
    assert "cannot go with --out" in capsys.readouterr().err
    assert not (tmp_path / "m").exists()
    assert tr.output_dir(None, replace_packaged=True) == md.default_model_dir().resolve()


def test_out_refuses_a_directory_that_is_not_a_model(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["train", "--out", str(tmp_path)]) == 2
    assert "is not a block-role model directory" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_default_out_is_a_directory_of_the_working_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert tr.output_dir(None, replace_packaged=False) == Path("blockrole-model")
    assert tr.output_dir(str(tmp_path / "new" / "m"), replace_packaged=False) == tmp_path / "new" / "m"


def test_write_model_replaces_an_older_model_whole(tmp_path: Path) -> None:
    out = tmp_path / "m"
    tr.write_model(spacy.blank("zh"), out)
    (out / "stale.bin").write_bytes(b"left by an older model")
    assert tr.output_dir(str(out), replace_packaged=False) == out  # an existing model may be retrained
    tr.write_model(spacy.blank("zh"), out)
    assert (out / "config.cfg").is_file() and not (out / "stale.bin").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["m"]  # no temporary directory left beside it


# --------------------------------------------------------------------------- meta.json


def test_shipped_meta_has_spacy_scores_and_its_sources() -> None:
    meta = json.loads((md.default_model_dir() / "meta.json").read_text(encoding="utf-8"))
    perf = meta["performance"]
    assert perf["cats_score_desc"] == "macro F"
    assert 0.95 <= perf["cats_macro_f"] <= 1.0 and 0.95 <= perf["cats_micro_f"] <= 1.0
    assert set(perf["cats_f_per_type"]) == set(md.ROLES)
    info = meta["rectiparse"]
    assert info["trainer"] == "spacy.training.loop.train" and info["held_out"] == []
    assert "resubstitution" in info["scored_on"]
    cv = info["cross_validation"]
    assert len(cv["folds"]) == 5 and 0.0 < cv["mean"]["cats_micro_f"] < perf["cats_micro_f"]
    # trained from the config and role files as they are now: edit them and this fails until `make train`
    assert info["config"]["sha256"] == hashlib.sha256((ROOT / "configs" / "blockrole.cfg").read_bytes()).hexdigest()
    roles = ROOT / "samples" / "roles"
    assert info["data"] == {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in bc.role_files(roles)}
    # no path of the machine that trained it
    assert str(ROOT) not in (md.default_model_dir() / "config.cfg").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- reader and augmenter


def test_augmenter_yields_the_paragraph_without_marker_and_label() -> None:
    nlp = spacy.blank("zh")
    g = grammar(load_rules())
    augment = spacy.registry.augmenters.get(bc.AUGMENTER)(measures=True)
    example = bc.make_example(nlp, "一、整改情况：一是建立台账；二是完善制度。", "actions", g)
    out = list(augment(nlp, example))
    raws = [eg.reference.user_data[bc.RAW_KEY] for eg in out]
    assert raws == ["一、整改情况：一是建立台账；二是完善制度。", "一是建立台账；二是完善制度。", "建立台账；完善制度。"]
    for eg in out[1:]:
        assert "一、" not in eg.reference.text and "整改情况" not in eg.reference.text
        assert eg.reference.text == md.model_input(eg.reference.user_data[bc.RAW_KEY], g)  # shape words redone
        assert eg.reference.cats["actions"] == 1.0 and sum(eg.reference.cats.values()) == 1.0
    # a paragraph with nothing to strip comes back alone
    plain = bc.make_example(nlp, "欢迎广大干部群众进行监督。", "boilerplate", g)
    assert len(list(augment(nlp, plain))) == 1


def test_reader_holds_seeds_out_of_training_and_scores_on_them() -> None:
    nlp = spacy.blank("zh")
    roles = ROOT / "samples" / "roles"
    train = bc.create_block_roles(str(roles), exclude="003")
    dev = bc.create_block_roles(str(roles), only="003")
    dev_raw = [eg.reference.user_data[bc.RAW_KEY] for eg in dev(nlp)]
    held = [r["text"] for r in tr.load_records(roles) if r["doc"].startswith("003")]
    assert dev_raw == held
    assert not set(held) & {eg.reference.user_data[bc.RAW_KEY] for eg in train(nlp)}


# --------------------------------------------------------------------------- the training itself


@pytest.mark.slow
def test_spacy_train_cli_trains_the_shipped_model(tmp_path: Path) -> None:
    """``python -m spacy train configs/blockrole.cfg --code …`` is the same training: its model-last is the
    shipped model up to float rounding (tolerance as in tests/test_model.py)."""
    import numpy as np

    code = ROOT / "src" / "rectiparse" / "segment" / "blockrole_corpus.py"
    p = subprocess.run([sys.executable, "-m", "spacy", "train", "configs/blockrole.cfg", "--code", str(code),
                        "--output", str(tmp_path)], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stderr[-2000:]
    cli, shipped = spacy.load(tmp_path / "model-last"), md.load_model(md.default_model_dir())
    for a, b in zip(cli.get_pipe("textcat").model.walk(), shipped.get_pipe("textcat").model.walk(), strict=True):
        for name in a.param_names:
            if a.has_param(name):
                assert float(np.max(np.abs(a.get_param(name) - b.get_param(name)))) < 1e-4


def test_held_out_training_scores_the_held_out_seed(tmp_path: Path) -> None:
    """``--held-out`` trains without the seed and writes spaCy's scores on it to meta.json, in DIR only."""
    out = tmp_path / "m"
    assert main(["train", "-q", "--held-out", "003", "--out", str(out)]) == 0
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    info = meta["rectiparse"]
    assert info["held_out"] == ["003"] and "003" in info["scored_on"]
    assert not any(d.startswith("003") for d in info["docs"])
    assert info["paragraphs"] == len(tr.load_records(tr.DEFAULT_ROLES, exclude=["003"]))
    # a model that never saw 003 still finds its item headings
    assert meta["performance"]["cats_f_per_type"]["item_heading"]["f"] > 0.8
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m"]
