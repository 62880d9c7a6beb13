"""The package's imports run one way, and no private name crosses a module.

The README promises one document flowing one way through the stages; this test reads every module's imports
(``ast``, top level and inside functions alike, so lazy imports count) and fails on

(a) a backward import: a module importing one of a later stage. The order:

    floor (numerals, rules, models) → loaders → normalise → segment → extract → validate → pipeline
    → the commands around it (batch, export, view, cli, evaluate, train)

  A module may import its own stage and any earlier one. The floor's ``Text`` type and the fold table live in
  ``normalise`` but are shared primitives: any stage may import those names (``FLOOR_NAMES``).

(b) a private name (``_x``) imported from another module, which ties one module to another's internals.

Crossings that live in files other branches own are listed in ``KNOWN`` with the reason; each is to be removed
when its owner's work is merged, and an entry that no longer occurs fails the test so the list only shrinks.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "rectiparse"

STAGES: list[tuple[str, tuple[str, ...]]] = [
    ("floor", ("rectiparse.numerals", "rectiparse.dates", "rectiparse.rules", "rectiparse.models")),
    ("loaders", ("rectiparse.loaders",)),
    ("normalise", ("rectiparse.normalise",)),
    ("segment", ("rectiparse.segment",)),
    ("extract", ("rectiparse.extract",)),
    ("validate", ("rectiparse.validate",)),
    ("pipeline", ("rectiparse.pipeline", "rectiparse")),
    ("commands", ("rectiparse.batch", "rectiparse.export", "rectiparse.view", "rectiparse.cli",
                  "rectiparse.evaluate", "rectiparse.train")),
]

# shared primitives that live in a stage's module: importable from anywhere
FLOOR_NAMES = {
    ("rectiparse.normalise", n)
    for n in ("Text", "fold", "fold_numeric", "folder", "char_folder", "FOLD_PAIRS", "NUMERIC_CHARS", "wrap_space")
}

# (importing module, imported module, name or None for a module import): crossings in files owned by other
# branches, to be removed by the lead after merging them.
KNOWN: dict[tuple[str, str, str | None], str] = {}


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _stage(module: str) -> int:
    """The index of the stage a module belongs to (the longest matching prefix decides)."""
    best, best_len = None, -1
    for i, (_, prefixes) in enumerate(STAGES):
        for p in prefixes:
            if (module == p or module.startswith(p + ".")) and len(p) > best_len:
                best, best_len = i, len(p)
    assert best is not None, f"{module} belongs to no stage: add it to STAGES"
    return best


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _imports() -> list[tuple[str, str, str | None, int]]:
    """(module, imported module, imported name or None, line) for every import of a rectiparse module."""
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = _module_name(path)
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                out += [(module, a.name, None, node.lineno) for a in node.names if a.name.startswith("rectiparse")]
            elif isinstance(node, ast.ImportFrom):
                target = _resolve(module, path.name == "__init__.py", node)
                if not target.startswith("rectiparse"):
                    continue
                for a in node.names:
                    sub = f"{target}.{a.name}"
                    if (PACKAGE.parent / sub.replace(".", "/")).with_suffix(".py").is_file() or (
                        PACKAGE.parent / sub.replace(".", "/") / "__init__.py"
                    ).is_file():
                        out.append((module, sub, None, node.lineno))  # from package import submodule
                    else:
                        out.append((module, target, a.name, node.lineno))
    return out


IMPORTS = _imports()


def _backward() -> dict[tuple[str, str, str | None], int]:
    found = {}
    for module, target, name, line in IMPORTS:
        if (target, name) in FLOOR_NAMES:
            continue
        if _stage(target) > _stage(module):
            found[(module, target, name)] = line
    return found


def _private() -> dict[tuple[str, str, str | None], int]:
    found = {}
    for module, target, name, line in IMPORTS:
        if name and name.startswith("_") and not name.startswith("__") and target != module:
            found[(module, target, name)] = line
    return found


def test_the_import_scan_sees_the_pipeline() -> None:
    """Guard the scanner itself: the pipeline's lazy imports of each stage are seen."""
    seen = {(m, t) for m, t, _, _ in IMPORTS}
    assert ("rectiparse.pipeline", "rectiparse.segment") in seen
    assert ("rectiparse.pipeline", "rectiparse.extract") in seen
    assert _stage("rectiparse.segment.grammar") < _stage("rectiparse.extract.summary")


def test_no_backward_import_between_stages() -> None:
    found = _backward()
    unknown = {k: v for k, v in found.items() if KNOWN.get(k) != "backward"}
    assert not unknown, "backward imports (module, imported, name: line): " + ", ".join(
        f"{m} → {t} {n or ''} (line {ln})" for (m, t, n), ln in sorted(unknown.items())
    )


def test_no_private_name_crosses_a_module() -> None:
    found = _private()
    unknown = {k: v for k, v in found.items() if KNOWN.get(k) != "private"}
    assert not unknown, "private names imported across modules: " + ", ".join(
        f"{m} imports {t}.{n} (line {ln})" for (m, t, n), ln in sorted(unknown.items())
    )


@pytest.mark.parametrize("key", sorted(KNOWN, key=str), ids=lambda k: f"{k[0]}:{k[2]}")
def test_known_exceptions_still_occur(key: tuple[str, str, str | None]) -> None:
    """An exception that no longer occurs must leave the list (so the list only shrinks)."""
    found = _backward() if KNOWN[key] == "backward" else _private()
    assert key in found, f"{key} no longer occurs: remove it from KNOWN"
