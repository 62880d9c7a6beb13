"""Pieces shared by ``show`` and ``report``: the Jinja2 environment both pages render through, the status
palette and a tiny SVG bar-chart kit.

Pages are Jinja2 templates (``templates/``) with autoescape on, so a value from a document — a title, an item's
text, an issuer — is text unless someone wraps it in ``Markup`` on purpose. The two places that do are the
charts below (built here, every value passed through ``esc``) and the package's own CSS/JS, inlined verbatim.

Charts are hand-written SVG rather than matplotlib output: text stays real DOM text (so the browser's CJK font
stack renders the Chinese labels and tests can read them), bars carry ``<title>`` tooltips, the page stays small,
and nothing heavy is imported. Stdlib at import time (the CLI imports the view modules to build ``--help``);
Jinja2 is imported when the first page is rendered.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Callable, Iterable, Mapping, Sequence
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jinja2 import Environment

# status code → (label as bulletins write it, colour). ``None`` is an item without a stated status.
STATUS: dict[str | None, tuple[str, str]] = {
    "completed": ("已完成", "#2e7d32"),
    "basically_completed": ("基本完成", "#8bc34a"),
    "in_progress": ("正在整改", "#f59e0b"),
    "long_term": ("长期整改", "#1e88e5"),
    "adopted": ("已采纳", "#00897b"),
    "not_completed": ("未完成", "#e53935"),
    None: ("无状态", "#9e9e9e"),
}
STATUS_ORDER: list[str | None] = list(STATUS)


def status_key(code: str | None) -> str:
    """CSS-safe token for a status code (``none`` for a missing status)."""
    return code or "none"


def status_label(code: str | None) -> str:
    return STATUS.get(code, (str(code), "#9e9e9e"))[0]


def esc(value: object) -> str:
    """Escape any value for HTML text or a double-quoted attribute (``None`` → empty)."""
    return "" if value is None else html.escape(str(value), quote=True)


def asset(name: str) -> str:
    """Text of a CSS/JS file shipped beside this module (package data, inlined into every page)."""
    return resources.files("rectiparse.view").joinpath(name).read_text(encoding="utf-8")


def status_css() -> str:
    """``.st-<code>`` colour rules, generated from ``STATUS`` so the palette lives in one place."""
    rules = []
    for code, (_, colour) in STATUS.items():
        k = status_key(code)
        rules.append(f".st-{k}{{--st:{colour}}}")
    return "\n".join(rules)


def _blank_none(value: object) -> object:
    """What ``{{ value }}`` prints: ``None`` as nothing (as ``esc`` does), not the word "None"."""
    return "" if value is None else value


@functools.cache
def environment() -> Environment:
    """The one Jinja2 environment of the views (built once, templates compiled once per process).

    Autoescape is on for every template and for strings, so a value is text unless it is ``Markup``; undefined
    names raise (``StrictUndefined``) instead of printing nothing. ``asset(name)`` and ``status_css()`` give
    templates the package's CSS/JS as ``Markup``: inside ``<style>``/``<script>`` escaping would break them,
    and they are our own files, never document data.
    """
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
    from markupsafe import Markup

    env = Environment(
        loader=PackageLoader("rectiparse.view", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html", "j2"), default_for_string=True, default=True),
        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, finalize=_blank_none,
    )
    env.filters["num"] = fmt_num
    env.filters["money"] = fmt_money
    env.globals["asset"] = lambda name: Markup(asset(name))
    env.globals["status_css"] = lambda: Markup(status_css())
    env.globals["status_label"] = status_label
    env.globals["status_key"] = status_key
    return env


# --------------------------------------------------------------------------- numbers


def fmt_num(value: float | int | None, digits: int = 2) -> str:
    """Thousands separators; integers without decimals; ``—`` for missing."""
    if value is None:
        return "—"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.{digits}f}"


def fmt_money(value: float) -> str:
    """元 amounts as bulletins speak of them: 亿元 / 万元 above those sizes."""
    if abs(value) >= 1e8:
        return f"{value / 1e8:,.2f} 亿"
    if abs(value) >= 1e4:
        return f"{value / 1e4:,.2f} 万"
    return fmt_num(value)


# --------------------------------------------------------------------------- SVG charts


def _text_width(s: str, size: float) -> float:
    """Rough rendered width: CJK and full-width characters are one em, the rest about 0.6 em."""
    return sum(size if ord(c) > 0x2E80 else size * 0.6 for c in s)


def _clip(s: str, size: float, max_width: float) -> str:
    if _text_width(s, size) <= max_width:
        return s
    out = ""
    for c in s:
        if _text_width(out + c + "…", size) > max_width:
            break
        out += c
    return out + "…"


def _label_width(labels: Iterable[str], size: float, cap: float = 300) -> float:
    return min(cap, max((_text_width(s, size) for s in labels), default=0) + 8)


def _svg_open(chart_id: str, width: float, height: float, title: str) -> str:
    return (
        f'<svg class="chart-svg" id="{esc(chart_id)}" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" '
        f'aria-label="{esc(title)}">'
    )


def _legend(entries: Sequence[tuple[str, str]], x: float, y: float, size: float) -> tuple[str, float]:
    """One row of colour swatches; returns (svg, height used). Wraps when wider than the chart."""
    parts, cx, cy = [], x, y
    for label, colour in entries:
        w = 14 + _text_width(label, size) + 14
        if cx + w > 640 and cx > x:
            cx, cy = x, cy + size + 8
        parts.append(
            f'<g class="legend-entry"><rect x="{cx:.1f}" y="{cy:.1f}" width="10" height="10" rx="2" '
            f'fill="{colour}"/><text x="{cx + 14:.1f}" y="{cy + 9:.1f}">{esc(label)}</text></g>'
        )
        cx += w
    return "".join(parts), cy - y + size + 10


def bar_chart(
    chart_id: str,
    title: str,
    rows: Sequence[tuple[str, float]],
    *,
    colours: Sequence[str] | str = "#3b6ea8",
    fmt: Callable[[float], str] = fmt_num,
    width: float = 640,
    empty: str = "no data",
) -> str:
    """Horizontal bars, one per (label, value), labels left, values at the bar ends."""
    size, bar, gap = 12.0, 16.0, 6.0
    if not rows:
        return f'<figure class="chart" data-chart="{esc(chart_id)}"><figcaption>{esc(title)}</figcaption>' \
               f'<p class="empty">{esc(empty)}</p></figure>'
    lw = _label_width((r[0] for r in rows), size)
    vmax = max((v for _, v in rows), default=0) or 1
    vw = max(_text_width(fmt(v), size) for _, v in rows) + 8
    plot = width - lw - vw - 8
    height = len(rows) * (bar + gap) + gap
    out = [_svg_open(chart_id, width, height, title)]
    for k, (label, value) in enumerate(rows):
        y = gap + k * (bar + gap)
        colour = colours if isinstance(colours, str) else colours[k % len(colours)]
        w = max(0.0, plot * value / vmax)
        shown = fmt(value)
        out.append(
            f'<g class="bar-row"><title>{esc(label)}: {esc(shown)}</title>'
            f'<text class="label" x="{lw - 6:.1f}" y="{y + bar - 4:.1f}" text-anchor="end">'
            f"{esc(_clip(label, size, lw - 8))}</text>"
            f'<rect class="bar" x="{lw:.1f}" y="{y:.1f}" width="{w:.1f}" height="{bar}" rx="2" fill="{colour}"/>'
            f'<text class="value" x="{lw + w + 4:.1f}" y="{y + bar - 4:.1f}">{esc(shown)}</text></g>'
        )
    out.append("</svg>")
    return (
        f'<figure class="chart" data-chart="{esc(chart_id)}"><figcaption>{esc(title)}</figcaption>'
        f'{"".join(out)}</figure>'
    )


def stacked_chart(
    chart_id: str,
    title: str,
    rows: Sequence[tuple[str, Mapping[str, float]]],
    series: Sequence[tuple[str, str, str]],
    *,
    width: float = 640,
    empty: str = "no data",
) -> str:
    """Horizontal stacked bars: ``series`` is (key, legend label, colour); each row maps key → value."""
    size, bar, gap = 12.0, 16.0, 6.0
    if not rows:
        return f'<figure class="chart" data-chart="{esc(chart_id)}"><figcaption>{esc(title)}</figcaption>' \
               f'<p class="empty">{esc(empty)}</p></figure>'
    used = [s for s in series if any(r[1].get(s[0]) for r in rows)]
    legend, lh = _legend([(label, colour) for _, label, colour in used], 4, 4, size)
    lw = _label_width((r[0] for r in rows), size)
    totals = [sum(r[1].get(k, 0) for k, _, _ in used) for r in rows]
    vmax = max(totals, default=0) or 1
    vw = max(_text_width(fmt_num(t), size) for t in totals) + 8
    plot = width - lw - vw - 8
    height = lh + len(rows) * (bar + gap) + gap
    out = [_svg_open(chart_id, width, height, title), f'<g class="legend">{legend}</g>']
    for k, ((label, values), total) in enumerate(zip(rows, totals, strict=True)):
        y = lh + gap + k * (bar + gap)
        out.append(
            f'<g class="bar-row"><text class="label" x="{lw - 6:.1f}" y="{y + bar - 4:.1f}" '
            f'text-anchor="end"><title>{esc(label)}</title>{esc(_clip(label, size, lw - 8))}</text>'
        )
        x = lw
        for key, name, colour in used:
            v = values.get(key, 0)
            if not v:
                continue
            w = plot * v / vmax
            out.append(
                f'<rect class="bar seg-{esc(key)}" x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{bar}" '
                f'fill="{colour}"><title>{esc(label)} · {esc(name)}: {fmt_num(v)}</title></rect>'
            )
            x += w
        out.append(f'<text class="value" x="{x + 4:.1f}" y="{y + bar - 4:.1f}">{fmt_num(total)}</text></g>')
    out.append("</svg>")
    return (
        f'<figure class="chart" data-chart="{esc(chart_id)}"><figcaption>{esc(title)}</figcaption>'
        f'{"".join(out)}</figure>'
    )


def paired_chart(
    chart_id: str,
    title: str,
    rows: Sequence[tuple[str, float | None, float, bool]],
    labels: tuple[str, str] = ("declared", "found"),
    *,
    width: float = 640,
    empty: str = "no data",
) -> str:
    """Two bars per row (declared above found); rows whose flag is set are drawn in the alarm colour."""
    size, bar, gap = 12.0, 10.0, 8.0
    if not rows:
        return f'<figure class="chart" data-chart="{esc(chart_id)}"><figcaption>{esc(title)}</figcaption>' \
               f'<p class="empty">{esc(empty)}</p></figure>'
    c_decl, c_found, c_bad = "#90a4ae", "#3b6ea8", "#e53935"
    legend, lh = _legend([(labels[0], c_decl), (labels[1], c_found), (f"{labels[1]} ≠ {labels[0]}", c_bad)],
                         4, 4, size)
    lw = _label_width((r[0] for r in rows), size)
    vmax = max((max(d or 0, f) for _, d, f, _ in rows), default=0) or 1
    plot = width - lw - 60
    height = lh + len(rows) * (2 * bar + gap) + gap
    out = [_svg_open(chart_id, width, height, title), f'<g class="legend">{legend}</g>']
    for k, (label, declared, found, bad) in enumerate(rows):
        y = lh + gap + k * (2 * bar + gap)
        cls = "bar-row mismatch" if bad else "bar-row"
        out.append(
            f'<g class="{cls}"><text class="label" x="{lw - 6:.1f}" y="{y + 2 * bar - 4:.1f}" '
            f'text-anchor="end"><title>{esc(label)}</title>{esc(_clip(label, size, lw - 8))}</text>'
        )
        for j, (v, colour, name) in enumerate(
            ((declared, c_decl, labels[0]), (found, c_bad if bad else c_found, labels[1]))
        ):
            yy = y + j * bar
            if v is None:
                out.append(f'<text class="value muted" x="{lw + 2:.1f}" y="{yy + bar - 1:.1f}">'
                           f"{esc(name)}: —</text>")
                continue
            w = plot * v / vmax
            out.append(
                f'<rect class="bar" x="{lw:.1f}" y="{yy:.1f}" width="{w:.1f}" height="{bar - 1}" '
                f'fill="{colour}"><title>{esc(label)} · {esc(name)}: {fmt_num(v)}</title></rect>'
                f'<text class="value small" x="{lw + w + 4:.1f}" y="{yy + bar - 1:.1f}">{fmt_num(v)}</text>'
            )
        out.append("</g>")
    out.append("</svg>")
    return (
        f'<figure class="chart" data-chart="{esc(chart_id)}"><figcaption>{esc(title)}</figcaption>'
        f'{"".join(out)}</figure>'
    )
