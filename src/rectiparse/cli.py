"""The ``rectiparse`` command: a thin layer over the library.

Each sub-command lives in the module that owns its work and exposes two functions,
``configure(parser)`` and ``run(args) -> int``; this file only wires them up. Command modules keep
their top-level imports light (stdlib and pydantic) so that ``rectiparse extract`` starts fast.

Exit codes (all commands): 0 done; 1 done, but the output carries validation errors (or, for batch,
some files failed); 2 unreadable input or bad usage.
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import sys
from pathlib import Path

EXIT_OK, EXIT_INVALID, EXIT_INPUT = 0, 1, 2

# name → (module, one-line help). Order is the order of `rectiparse --help`.
COMMANDS: dict[str, tuple[str, str]] = {
    "extract": ("rectiparse.cli", "parse one bulletin (txt, pdf, html, docx) into contract JSON"),
    "batch": ("rectiparse.batch", "parse folders, globs and zip archives into JSONL (resumable)"),
    "export": ("rectiparse.export", "load JSONL output into SQLite, PostgreSQL, Parquet or CSV"),
    "eval": ("rectiparse.evaluate", "precision / recall / F1 against gold files"),
    "show": ("rectiparse.view.show", "an annotated HTML view of one bulletin"),
    "report": ("rectiparse.view.report", "HTML charts over a batch output or database"),
    "train": ("rectiparse.train", "train the block-role model with spaCy's loop into DIR (reproducible)"),
    "schema": ("rectiparse.cli", "print the JSON Schema of the output"),
}

log = logging.getLogger("rectiparse")


# --------------------------------------------------------------------------- extract


def configure_extract(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", help="bulletin file (.txt .pdf .html .docx), or - for standard input")
    p.add_argument("-o", "--output", help="write JSON here instead of standard output")
    p.add_argument("--pretty", action="store_true", help="indent the JSON")
    p.add_argument("--no-text", action="store_true", help="leave out the full normalised text")
    p.add_argument("--no-ocr", action="store_true", help="do not OCR image-only PDF pages")
    p.add_argument("--no-model", action="store_true", help="rules only: do not use the block-role model")
    p.add_argument("--rules", metavar="DIR", help="folder of rule files laid over the shipped ones")


def run_extract(args: argparse.Namespace) -> int:
    from rectiparse.loaders import MAX_SIZE, LoadError
    from rectiparse.pipeline import parse, parse_bytes
    from rectiparse.rules import RulesError

    try:
        if args.file == "-":
            doc = parse_bytes(  # read one byte past the cap: the loader then refuses it by size, memory bounded
                sys.stdin.buffer.read(MAX_SIZE + 1), "<stdin>", ocr=not args.no_ocr, rules_dir=args.rules,
                use_model=not args.no_model,
            )
        else:
            doc = parse(args.file, ocr=not args.no_ocr, rules_dir=args.rules, use_model=not args.no_model)
    except LoadError as exc:
        print(f"rectiparse: error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except RulesError as exc:
        print(f"rectiparse: error in rules: {exc}", file=sys.stderr)
        return EXIT_INPUT
    exclude = {"text"} if args.no_text else None
    payload = doc.model_dump_json(indent=2 if args.pretty else None, exclude=exclude)
    if args.output:
        problem = write_output(args.output, payload + "\n", make_parents=True)
        if problem:
            print(f"rectiparse: error: {problem}", file=sys.stderr)
            return EXIT_INPUT
    else:
        sys.stdout.write(payload + "\n")
    errors = [i for i in doc.validation.issues if i.severity == "error"]
    for issue in doc.validation.issues:
        if issue.severity != "info":
            message = issue.message.removeprefix(f"{args.file}: ")  # loaders' messages name the file already
            log.warning("%s: %s: %s", args.file, issue.code, message)
    return EXIT_INVALID if errors else EXIT_OK


# --------------------------------------------------------------------------- schema


def configure_schema(p: argparse.ArgumentParser) -> None:
    p.add_argument("-o", "--output", help="write the schema here (e.g. schemas/document.schema.json)")


def schema_json() -> str:
    from rectiparse.models import Document

    return json.dumps(Document.model_json_schema(), ensure_ascii=False, indent=2) + "\n"


def write_output(path: str, text: str, *, make_parents: bool = False) -> str | None:
    """Write a command's output file; on failure return one line naming the file and the problem (the caller
    prints it and exits 2) instead of letting a traceback through."""
    out = Path(path)
    if out.is_dir():
        return f"{path}: is a folder; -o takes a file name (e.g. {out / 'out.json'})"
    if not make_parents and not out.parent.is_dir():
        return f"{path}: no such folder {out.parent}"
    try:
        if make_parents:
            out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        return f"{path}: cannot write: {exc.strerror or exc}"
    return None


def run_schema(args: argparse.Namespace) -> int:
    text = schema_json()
    if args.output:
        problem = write_output(args.output, text)
        if problem:
            print(f"rectiparse schema: error: {problem}", file=sys.stderr)
            return EXIT_INPUT
    else:
        sys.stdout.write(text)
    return EXIT_OK


_LOCAL = {"extract": (configure_extract, run_extract), "schema": (configure_schema, run_schema)}


# --------------------------------------------------------------------------- wiring


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rectiparse",
        description=(
            "Turn Chinese government rectification bulletins (整改情况通报, 审计整改情况报告, 整改方案) "
            "into structured, validated JSON."
        ),
        epilog="Exit codes: 0 done; 1 done with validation errors (batch: some files failed); "
        "2 unreadable input or bad usage.",
    )
    parser.add_argument("--version", action=_VersionAction, nargs=0,
                        help="print the package, block-role model and rules versions, and exit")
    _add_log_flags(parser, suffix="_top")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module, help_text) in COMMANDS.items():
        if name in _LOCAL:
            configure, _ = _LOCAL[name]
        else:
            try:
                mod = importlib.import_module(module)
            except ModuleNotFoundError as exc:
                if exc.name == module:
                    continue  # command not built in this installation
                raise
            configure = mod.configure
        p = sub.add_parser(name, help=help_text, description=help_text)
        configure(p)
        _add_log_flags(p)
    return parser


class _VersionAction(argparse.Action):
    """``--version``: three lines (package, model, rules) — what decides the output besides the input."""

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        from rectiparse.about import version_text

        print(version_text())
        parser.exit()


def _add_log_flags(p: argparse.ArgumentParser, suffix: str = "") -> None:
    """``-v``/``-q`` on the main parser and on every command, so they work before or after the command name.
    A command that already has one (``batch -q``) keeps its own; ``main`` merges both places."""
    have = p._option_string_actions
    if "-v" not in have:
        p.add_argument("-v", "--verbose", action="count", default=0, dest="verbose" + suffix,
                       help="log what each stage found and how long it took (-vv: debug)")
    if "-q" not in have:
        p.add_argument("-q", "--quiet", action="store_true", dest="quiet" + suffix,
                       help="errors only: no progress bar, summary or warnings")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on bad usage, 0 on --help
        return int(exc.code or 0)
    from rectiparse import logs
    from rectiparse.extras import as_missing_extra

    args.verbose = int(getattr(args, "verbose", 0) or 0) + int(args.verbose_top or 0)
    args.quiet = bool(getattr(args, "quiet", False) or args.quiet_top)
    logs.setup(args.verbose, args.quiet)
    if not args.command:
        parser.print_help(sys.stderr)
        return EXIT_INPUT
    if args.command == "eval":  # folders that must exist: a typo would score nothing and still exit 0
        for opt in ("pred", "samples"):
            value = getattr(args, opt, None)
            if value is not None and not Path(value).is_dir():
                print(f"rectiparse eval: error: --{opt} {value}: no such folder", file=sys.stderr)
                return EXIT_INPUT
    try:
        if args.command in _LOCAL:
            return _LOCAL[args.command][1](args)
        module = importlib.import_module(COMMANDS[args.command][0])
        return int(module.run(args))
    except ImportError as exc:  # an optional package missing: name the extra that brings it, no traceback
        missing = as_missing_extra(exc)
        if missing is None:
            raise
        print(f"rectiparse {args.command}: error: {missing}", file=sys.stderr)
        return EXIT_INPUT


if __name__ == "__main__":
    sys.exit(main())
