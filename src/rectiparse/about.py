"""What is in force: the package, block-role model and rules versions (``rectiparse --version``).

Why: output depends on three things that move separately — the code, the trained model (replaceable with
``$RECTIPARSE_MODEL``) and the rule files (overridable with ``--rules`` / ``$RECTIPARSE_RULES``). A bug report or
an archive's provenance needs all three. Reads files only (no spaCy, no pydantic validation) so it is instant.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path


def model_version() -> str:
    """``blockrole 1.0.0 (sha256 …)`` of the model ``segment.model.load_model`` would load."""
    from rectiparse.segment.model import MODEL_ENV, default_model_dir

    where = Path(os.environ.get(MODEL_ENV) or default_model_dir())
    try:
        meta = json.loads((where / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return f"none (no model in {where})"
    digest = _digest(sorted(p for p in where.rglob("*") if p.is_file()), where)
    custom = f", from ${MODEL_ENV}={where}" if os.environ.get(MODEL_ENV) else ""
    return f"{meta.get('name', '?')} {meta.get('version', '?')} (sha256 {digest}{custom})"


def rules_version(override: str | None = None) -> str:
    """A content fingerprint of the rule files in force: the shipped ones, with any override laid over."""
    from rectiparse.rules import RULE_FILES, default_rules_dir

    base = default_rules_dir()
    override = override or os.environ.get("RECTIPARSE_RULES") or None
    files = []
    for name in RULE_FILES:
        user = Path(override) / f"{name}.yaml" if override else None
        files.append(base / f"{name}.yaml")
        if user is not None and user.is_file():
            files.append(user)
    digest = _digest(files, None)
    return f"sha256 {digest} ({len(RULE_FILES)} files{', with ' + str(override) if override else ''})"


def _digest(files: list[Path], root: Path | None) -> str:
    h = hashlib.sha256()
    for f in files:
        h.update((str(f.relative_to(root)) if root else f.name).encode("utf-8") + b"\0")
        try:
            h.update(f.read_bytes())
        except OSError:
            h.update(b"<missing>")
    return h.hexdigest()[:12]


def version_text() -> str:
    from rectiparse import __version__

    return f"rectiparse {__version__}\nmodel: {model_version()}\nrules: {rules_version()}"
