"""Figures: the Swiss-cheese view of the layers and the custody timeline, as
inline SVG for HTML and as a Mermaid flowchart for Markdown.

Every piece of record text goes through ``markupsafe`` escaping (``Markup.format``
escapes its arguments), so a figure is safe to embed as it is.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence

from markupsafe import Markup

from setsafety.lessons._model import Custody, LayerState
from setsafety.lessons._text import clean, humanize, mermaid
from setsafety.phrasing import CATALOGUE, STATES
from setsafety.rules.findings import State

#: The order of the legend.
LEGEND_STATES: tuple[State, ...] = ("held", "degraded", "failed", "skipped", "absent", "unknown", "not-applicable")

_SLOT, _SLICE_W, _DEPTH = 92, 28, 8
_TOP, _HEIGHT = 44, 176
#: Characters per line of a layer's name under its slice.
_NAME_WIDTH = 14
_Y0 = _TOP + _HEIGHT // 2
_OVER = _TOP - 2 * _DEPTH - 12
_LEFT, _HARM, _RIGHT = 84, 96, 28


def _fill(state: str, prefix: str) -> str:
    fill = STATES.get(state, STATES["unknown"]).fill
    return f"url(#{prefix}-{fill.split(':', 1)[1]})" if fill.startswith("pattern:") else fill


def _defs(prefix: str) -> Markup:
    return Markup(
        '<defs>'
        '<pattern id="{p}-degraded" width="9" height="9" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="9" height="9" fill="#fff1cc"/>'
        '<line x1="0" y1="0" x2="0" y2="9" stroke="#a86500" stroke-width="2"/></pattern>'
        '<pattern id="{p}-failed" width="7" height="7" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="7" height="7" fill="#f9d0d3"/>'
        '<path d="M0 0V7M0 0H7" stroke="#b42318" stroke-width="1.6"/></pattern>'
        '<pattern id="{p}-skipped" width="7" height="7" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(-45)"><rect width="7" height="7" fill="#fde2cc"/>'
        '<line x1="0" y1="0" x2="0" y2="7" stroke="#c2410c" stroke-width="3"/></pattern>'
        '<pattern id="{p}-unknown" width="6" height="6" patternUnits="userSpaceOnUse">'
        '<rect width="6" height="6" fill="#eceff3"/><circle cx="3" cy="3" r="1.2" fill="#6b7280"/></pattern>'
        '<marker id="{p}-head" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="4.5" markerHeight="4.5" '
        'orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="#111827"/></marker>'
        '</defs>'
    ).format(p=prefix)


def _holes(state: str, cx: float, stroke: str) -> Markup:
    """Holes in a slice that did not hold (the one on the arrow's line first)."""
    spots: list[tuple[float, float, float]] = []
    if state in ("failed", "skipped"):
        spots = [(_Y0, 9, 15), (_TOP + 34, 5, 8), (_TOP + _HEIGHT - 30, 6, 10)]
    elif state == "degraded":
        spots = [(_Y0, 7, 11), (_TOP + _HEIGHT - 34, 4, 7)]
    parts = [Markup('<ellipse cx="{}" cy="{}" rx="{}" ry="{}" fill="#ffffff" stroke="{}" stroke-width="1.5"/>')
             .format(cx, y, rx, ry, stroke) for y, rx, ry in spots]
    if state == "unknown":
        parts.append(Markup(
            '<ellipse cx="{cx}" cy="{y}" rx="9" ry="15" fill="#ffffff" stroke="{s}" stroke-dasharray="3 2"/>'
            '<text x="{cx}" y="{ty}" text-anchor="middle" font-size="13" font-weight="700" fill="{s}">?</text>'
        ).format(cx=cx, y=_Y0, s=stroke, ty=_Y0 + 5))
    return Markup("").join(parts)


def _slice(layer: LayerState, cx: float, prefix: str) -> Markup:
    look = STATES.get(layer.state, STATES["unknown"])
    stroke, dashes, short = look.stroke, look.dashes, look.short
    x = cx - _SLICE_W / 2
    bottom = _TOP + _HEIGHT
    fill = _fill(layer.state, prefix)
    dash = Markup(' stroke-dasharray="{}"').format(dashes) if dashes else Markup("")
    faded = Markup(' opacity="0.55"') if layer.state == "not-applicable" else Markup("")
    weight = "2.5" if layer.not_held and layer.state != "absent" else "1.5"
    top = f"{x},{_TOP} {x + _DEPTH},{_TOP - _DEPTH} {x + _SLICE_W + _DEPTH},{_TOP - _DEPTH} {x + _SLICE_W},{_TOP}"
    side = (f"{x + _SLICE_W},{_TOP} {x + _SLICE_W + _DEPTH},{_TOP - _DEPTH} "
            f"{x + _SLICE_W + _DEPTH},{bottom - _DEPTH} {x + _SLICE_W},{bottom}")
    shade = Markup("") if layer.state == "absent" else Markup(
        '<polygon points="{top}" fill="#000000" fill-opacity="0.10"/>'
        '<polygon points="{side}" fill="#000000" fill-opacity="0.22"/>'
    ).format(top=top, side=side)
    return Markup(
        '<g class="slice state-{state}"{faded}><title>{number}. {name}: {state_words}</title>'
        '<polygon points="{top}" fill="{fill}" stroke="{stroke}" stroke-width="1"{dash}/>'
        '<polygon points="{side}" fill="{fill}" stroke="{stroke}" stroke-width="1"{dash}/>'
        '{shade}'
        '<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{fill}" stroke="{stroke}" stroke-width="{weight}"{dash}/>'
        '{holes}'
        '<text x="{cx}" y="{ny}" text-anchor="middle" font-size="14" font-weight="700" fill="#111827">{number}</text>'
        '<text x="{cx}" y="{sy}" text-anchor="middle" font-size="11" font-weight="700" fill="{stroke}">{short}</text>'
        '<text text-anchor="middle" font-size="11" fill="#111827">{name_lines}</text>'
        '</g>'
    ).format(
        state=layer.state, faded=faded, number=layer.number, name=layer.name,
        state_words=layer.state_words or humanize(layer.state),
        top=top, side=side, fill=fill, stroke=stroke, dash=dash, shade=shade, x=x, y=_TOP, w=_SLICE_W,
        h=_HEIGHT, weight=weight, holes=_holes(layer.state, cx, stroke), cx=cx, ny=bottom + 20,
        sy=bottom + 35, short=short,
        name_lines=Markup("").join(Markup('<tspan x="{}" y="{}">{}</tspan>').format(cx, bottom + 52 + 13 * k, line)
                                   for k, line in enumerate(_name_lines(layer.name))),
    )


def _name_lines(name: str) -> list[str]:
    """A layer's name in lines narrow enough for its slot, never cut."""
    return textwrap.wrap(clean(name), _NAME_WIDTH, break_on_hyphens=False) or [""]


def held_runs(layers: Sequence[LayerState]) -> list[tuple[int, int]]:
    """(first, last) index of each run of consecutive layers that held: the hazard's path goes over
    each run, and straight through every layer that did not stop it."""
    runs: list[tuple[int, int]] = []
    for i, layer in enumerate(layers):
        if layer.state != "held":
            continue
        if runs and runs[-1][1] == i - 1:
            runs[-1] = (runs[-1][0], i)
        else:
            runs.append((i, i))
    return runs


def _arrow(main: Sequence[LayerState], harm_x: float) -> str:
    """The hazard's path: straight through every layer that did not stop it, over
    the top of runs of layers that held."""
    points = [f"M18 {_Y0}"]
    for i, j in held_runs(main):
        left, right = _LEFT + i * _SLOT, _LEFT + (j + 1) * _SLOT
        points.append(f"L{left - 8} {_Y0}")
        points.append(f"C{left + 6} {_Y0} {left + 2} {_OVER} {left + 16} {_OVER}")
        points.append(f"L{right - 10} {_OVER}")
        points.append(f"C{right + 4} {_OVER} {right} {_Y0} {right + 14} {_Y0}")
    points.append(f"L{harm_x - 22} {_Y0}")
    return " ".join(points)


def _legend(y: float, width: float, prefix: str) -> tuple[Markup, float]:
    entries: list[Markup] = []
    for state in LEGEND_STATES:
        stroke, dashes = STATES[state].stroke, STATES[state].dashes
        dash = Markup(' stroke-dasharray="{}"').format(dashes) if dashes else Markup("")
        entries.append(Markup(
            '<rect x="0" y="-13" width="14" height="18" fill="{fill}" stroke="{stroke}" stroke-width="1.5"{dash}/>'
            '<text x="20" y="1" font-size="12" fill="#111827">{label}</text>'
        ).format(fill=_fill(state, prefix), stroke=stroke, dash=dash, label=STATES[state].short))
    entries.append(Markup(
        '<line x1="0" y1="-4" x2="30" y2="-4" stroke="#111827" stroke-width="3" marker-end="url(#{p}-head)"/>'
        '<text x="38" y="1" font-size="12" fill="#111827">path of the hazard</text>'
    ).format(p=prefix))
    entries.append(Markup(
        '<rect x="0" y="-13" width="14" height="18" fill="url(#{p}-failed)" stroke="#b42318"/>'
        '<ellipse cx="7" cy="-4" rx="4" ry="6" fill="#ffffff" stroke="#b42318"/>'
        '<text x="20" y="1" font-size="12" fill="#111827">hole: let the hazard through</text>'
    ).format(p=prefix))
    widths = [118] * len(LEGEND_STATES) + [160, 200]
    rows: list[list[tuple[Markup, int]]] = [[]]
    used = 0
    for entry, entry_width in zip(entries, widths, strict=True):
        if rows[-1] and used + entry_width > width - 2 * _RIGHT:
            rows.append([])
            used = 0
        rows[-1].append((entry, entry_width))
        used += entry_width
    parts = []
    for r, row in enumerate(rows):
        x = float(_RIGHT)
        for entry, entry_width in row:
            parts.append(Markup('<g transform="translate({} {})">{}</g>').format(x, y + r * 26, entry))
            x += entry_width
    return Markup('<g class="legend">{}</g>').format(Markup("").join(parts)), y + len(rows) * 26


def swiss_cheese(layers: Sequence[LayerState], event_kind: str, label: str, prefix: str) -> Markup:
    """The layers as slices of cheese in protocol order, coloured and hatched by
    state, with holes where they did not hold and the hazard's path as an arrow."""
    main = [layer for layer in layers if layer.kind != "mitigating"]
    after = [layer for layer in layers if layer.kind == "mitigating"]
    width = _LEFT + len(main) * _SLOT + _HARM + len(after) * _SLOT + _RIGHT
    harm_x = _LEFT + len(main) * _SLOT + _HARM / 2
    slices = [_slice(layer, _LEFT + i * _SLOT + _SLOT / 2, prefix) for i, layer in enumerate(main)]
    slices += [_slice(layer, _LEFT + len(main) * _SLOT + _HARM + j * _SLOT + _SLOT / 2, prefix)
               for j, layer in enumerate(after)]
    name_rows = max((len(_name_lines(layer.name)) for layer in layers), default=1)
    legend, height = _legend(_TOP + _HEIGHT + 70 + 13 * name_rows, width, prefix)
    star = " ".join(
        f"{harm_x + (17 if k % 2 == 0 else 7) * _sin(k)},{_Y0 - (17 if k % 2 == 0 else 7) * _cos(k)}"
        for k in range(16)
    )
    description = "; ".join(f"{layer.number}. {layer.name}: {layer.state_words or humanize(layer.state)}"
                            for layer in layers)
    through = [layer.name for layer in main if layer.not_held]
    description += ". The hazard passed through: " + (", ".join(through) if through else "no layer") + "."
    return Markup(
        '<svg xmlns="http://www.w3.org/2000/svg" class="figure-layers" viewBox="0 0 {w} {h}" role="img" '
        'aria-label="{label}" font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif">'
        '<title>{label}</title><desc>{desc}</desc>{defs}'
        '<text x="18" y="{hy}" font-size="13" font-weight="700" fill="#111827">hazard</text>'
        '{slices}'
        '<path class="hazard-path" d="{arrow}" fill="none" stroke="#111827" stroke-width="3.5" '
        'stroke-linecap="round" stroke-linejoin="round" marker-end="url(#{p}-head)"/>'
        '<g class="harm"><title>{kind}</title>'
        '<polygon points="{star}" fill="#b42318" stroke="#7a1a12" stroke-width="1"/>'
        '<text x="{hx}" y="{ky}" text-anchor="middle" font-size="12" font-weight="700" fill="#7a1a12">{kind}</text>'
        '</g>{legend}</svg>'
    ).format(
        w=width, h=height, label=label, desc=description, defs=_defs(prefix), hy=_Y0 - 12,
        slices=Markup("").join(slices), arrow=_arrow(main, harm_x), p=prefix, star=star,
        hx=harm_x, ky=_Y0 + 36, kind=event_kind, legend=legend,
    )


def _sin(k: int) -> float:
    return round(math.sin(math.pi * k / 8), 3)


def _cos(k: int) -> float:
    return round(math.cos(math.pi * k / 8), 3)


_STEP, _MARGIN, _BASE = 150, 80, 60
#: Issue kinds in a few words (from the phrasing's one catalogue).
ISSUE_WORDS = CATALOGUE["issue-kinds"]


def _wrap(text: str, width: int) -> list[str]:
    """A label in lines of ``width`` characters, never cut."""
    return textwrap.wrap(clean(text), width, break_on_hyphens=False) or [""]


def custody_timeline(chain: Custody, label: str, prefix: str, disputed_words: str = "disputed") -> Markup:
    """One mark per custody event of a weapon, with its action, who acted and when; events with a problem
    in red with the problem named, disputed steps marked, stretches where nobody is recorded holding it
    dashed, and problems of storage (left unattended, not locked) in a box under the line."""
    count = len(chain.marks)
    width = 2 * _MARGIN + max(count - 1, 1) * _STEP
    xs = [_MARGIN + k * _STEP for k in range(count)]
    blocks: list[tuple[list[str], list[str], list[str], list[str]]] = []
    for mark in chain.marks:
        who = []
        if mark.by:
            who += _wrap(f"by {mark.by}", 19)
        if mark.action == "handed-over" and mark.holder:
            who += _wrap(f"to {mark.holder}", 19)
        if mark.check_words:
            who += _wrap(f"with {mark.check_words}", 19)
        notes = _wrap(f"({mark.certainty_words})", 19) if mark.certainty_words else []
        issues = [line for words in mark.issue_words for line in _wrap(words, 19)]
        blocks.append((who, _wrap(mark.when, 20), notes, issues))
    lines = max((sum(len(part) for part in block) for block in blocks), default=0)
    storage_y = _BASE + 36 + lines * 16 + 14
    storage_lines = [line for issue in chain.storage for line in _wrap(f"{issue.kind_words}: {issue.summary}", 90)]
    legend_y = storage_y + (len(storage_lines) * 16 + 22 if storage_lines else 4)
    height = legend_y + 24
    parts: list[Markup] = []
    for k in range(count - 1):
        nobody = chain.marks[k].holder is None
        parts.append(Markup(
            '<line x1="{a}" y1="{y}" x2="{b}" y2="{y}" stroke="{c}" stroke-width="{sw}"{dash}/>'
        ).format(a=xs[k], b=xs[k + 1], y=_BASE, c="#9ca3af" if nobody else "#374151",
                 sw=2 if nobody else 3, dash=Markup(' stroke-dasharray="6 5"') if nobody else Markup("")))
    for x, mark, (who, when, notes, issues) in zip(xs, chain.marks, blocks, strict=True):
        flagged = bool(mark.issues)
        colour = "#b42318" if flagged else "#1f2937"
        spoken = f"{mark.when}: {mark.text}"
        spoken += f" ({mark.certainty_words})" if mark.certainty_words else ""
        spoken += ("; " + ", ".join(mark.issue_words)) if mark.issue_words else ""
        text: list[Markup] = []
        y = _BASE + 32
        for line in who:
            text.append(Markup('<tspan x="{}" y="{}">{}</tspan>').format(x, y, line))
            y += 16
        for line in when:
            text.append(Markup('<tspan x="{}" y="{}" fill="#4b5563">{}</tspan>').format(x, y, line))
            y += 16
        for line in notes:
            text.append(Markup('<tspan x="{}" y="{}" fill="#7c2d12" font-style="italic">{}</tspan>')
                        .format(x, y, line))
            y += 16
        for line in issues:
            text.append(Markup('<tspan x="{}" y="{}" fill="#b42318" font-weight="700">{}</tspan>').format(x, y, line))
            y += 16
        ring = Markup(
            '<circle cx="{x}" cy="{y}" r="14" fill="none" stroke="#b42318" stroke-width="2.5"/>'
            '<text x="{x}" y="{ty}" text-anchor="middle" font-size="12" font-weight="700" fill="#ffffff">!</text>'
        ).format(x=x, y=_BASE, ty=_BASE + 4) if flagged else Markup("")
        query = Markup(
            '<text x="{x}" y="{y}" text-anchor="middle" font-size="13" font-weight="700" fill="#7c2d12">?</text>'
        ).format(x=x + 16, y=_BASE - 8) if mark.disputed else Markup("")
        parts.append(Markup(
            '<g class="mark{cls}"><title>{spoken}</title>'
            '<text x="{x}" y="{ay}" text-anchor="middle" font-size="14" font-weight="700" fill="{c}">{action}</text>'
            '<circle cx="{x}" cy="{y}" r="9" fill="{c}"/>{ring}{query}'
            '<text text-anchor="middle" font-size="13" fill="#111827">{text}</text></g>'
        ).format(cls=" issue" if flagged else "", spoken=spoken, x=x, ay=_BASE - 22, c=colour,
                 action=mark.action_words, y=_BASE, ring=ring, query=query, text=Markup("").join(text)))
    if storage_lines:
        box = [Markup('<tspan x="{}" y="{}">{}</tspan>').format(34, storage_y + 18 + 16 * k, line)
               for k, line in enumerate(storage_lines)]
        parts.append(Markup(
            '<g class="storage-issue"><rect x="24" y="{y}" width="{w}" height="{h}" fill="#fde2e1" stroke="#b42318"'
            ' stroke-width="1.5" rx="4"/><text font-size="13" font-weight="700" fill="#7a1a12">{lines}</text></g>'
        ).format(y=storage_y, w=max(width, 600) - 48, h=len(storage_lines) * 16 + 10, lines=Markup("").join(box)))
    legend = Markup(
        '<g class="legend" transform="translate({x} {y})" font-size="13" fill="#111827">'
        '<line x1="0" y1="-4" x2="28" y2="-4" stroke="#374151" stroke-width="3"/>'
        '<text x="34" y="0">someone held it</text>'
        '<line x1="150" y1="-4" x2="178" y2="-4" stroke="#9ca3af" stroke-width="2" stroke-dasharray="6 5"/>'
        '<text x="184" y="0">nobody recorded holding it</text>'
        '<circle cx="400" cy="-4" r="7" fill="#b42318"/><text x="414" y="0">a problem in the chain</text>'
        '<text x="590" y="0" font-weight="700" fill="#7c2d12">?</text><text x="602" y="0">{disputed}</text>'
        '</g>'
    ).format(x=24, y=legend_y, disputed=disputed_words)
    return Markup(
        '<svg xmlns="http://www.w3.org/2000/svg" class="figure-custody" viewBox="0 0 {w} {h}" role="img" '
        'aria-label="{label}" font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif">'
        '<title>{label}</title>{parts}{legend}</svg>'
    ).format(w=max(width, 700), h=height, label=label, parts=Markup("").join(parts), legend=legend)


def mermaid_custody(chain: Custody) -> str:
    """The custody chain as a Mermaid flowchart (GitHub renders it in Markdown)."""
    lines = ["flowchart LR"]
    for k, mark in enumerate(chain.marks):
        words = [f"<b>{mermaid(mark.action_words)}</b>"]
        if mark.by:
            words.append(mermaid(f"by {mark.by}"))
        if mark.action == "handed-over" and mark.holder:
            words.append(mermaid(f"to {mark.holder}"))
        if mark.check_words:
            words.append(mermaid(f"with {mark.check_words}"))
        words.append(mermaid(mark.when))
        if mark.certainty_words:
            words.append(mermaid(f"({mark.certainty_words})"))
        words += [mermaid(f"⚠ {issue}") for issue in mark.issue_words]
        lines.append(f'    s{k}["{"<br/>".join(words)}"]')
    for k in range(len(chain.marks) - 1):
        arrow = " -. nobody recorded holding it .-> " if chain.marks[k].holder is None else " --> "
        lines.append(f"    s{k}{arrow}s{k + 1}")
    flagged = [f"s{k}" for k, mark in enumerate(chain.marks) if mark.issues]
    if flagged:
        lines.append("    classDef issue fill:#fde2e1,stroke:#b42318,stroke-width:2px,color:#7a1a12")
        lines.append(f"    class {','.join(flagged)} issue")
    return "\n".join(clean_line(line) for line in lines)


def clean_line(line: str) -> str:
    """A Mermaid line without control characters (indentation kept)."""
    indent = line[: len(line) - len(line.lstrip(" "))]
    return indent + clean(line)
