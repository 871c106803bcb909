"""The stripboard layout (stripboard.py) drawn as an SVG, seen from the parts' side:
strips, cuts (red bars across a strip, between two holes), parts (outlines,
designators, pins; pin 1 square), wire links (lines in their net's colour; the
supplies in fixed colours). Written as plain text so the same
layout always gives the same file."""

from __future__ import annotations

from tools.circuit import design
from tools.circuit.stripboard import Layout, hole_name

P = 14  # pixels per 2.54 mm
M = 40  # margin
FIXED = {"GND": "#000000", "VPACK": "#c00000", "V5": "#e07000", "V3V3": "#d4a000",
         "VSYS": "#a05000", "RAIL": "#ff00ff"}
PALETTE = ("#1f77b4", "#2ca02c", "#9467bd", "#8c564b", "#17becf", "#7f7f7f", "#bcbd22",
           "#0b5394", "#38761d", "#741b47", "#134f5c", "#b45f06")


def _xy(h):
    r, c = h
    return M + c * P + P / 2, M + r * P + P / 2


def svg(lay: Layout) -> str:
    w, h = M * 2 + lay.cols * P, M * 2 + lay.rows * P + 50
    nets = sorted({n for n, _, _ in lay.links})
    colour = {n: FIXED.get(n, PALETTE[i % len(PALETTE)]) for i, n in enumerate(nets)}
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
           f'viewBox="0 0 {w} {h}" font-family="sans-serif">',
           f'<rect x="0" y="0" width="{w}" height="{h}" fill="#ffffff"/>',
           f'<rect x="{M}" y="{M}" width="{lay.cols * P}" height="{lay.rows * P}" '
           'fill="#f3e6c8" stroke="#806040"/>']
    for r in range(lay.rows):
        y = M + r * P + P / 2
        out.append(f'<rect x="{M + 1}" y="{y - 4}" width="{lay.cols * P - 2}" height="8" '
                   'fill="#e3b778"/>')
        out.append(f'<text x="{M - 6}" y="{y + 4}" font-size="10" text-anchor="end">'
                   f'{hole_name((r, 0))[:-1]}</text>')
    for c in range(0, lay.cols, 5):
        out.append(f'<text x="{M + c * P + P / 2}" y="{M - 6}" font-size="10" '
                   f'text-anchor="middle">{c + 1}</text>')
    for r in range(lay.rows):
        for c in range(lay.cols):
            x, y = _xy((r, c))
            out.append(f'<circle cx="{x}" cy="{y}" r="1.6" fill="#ffffff"/>')
    for r, c in sorted(lay.cuts):  # between hole c and hole c + 1
        x, y = M + (c + 1) * P, M + r * P + P / 2
        out.append(f'<rect x="{x - 2}" y="{y - 6}" width="4" height="12" fill="#d00000"/>')
    values = {p.ref: p.value for p in design.parts(lay.board)}
    for p in lay.parts:
        r0, c0, r1, c1 = p.box()
        x0, y0 = M + c0 * P + 2, M + r0 * P + 2
        fill = {"pads": "#d9ead3", "module": "#cfe2f3"}.get(p.shape.how, "#eeeeee")
        out.append(f'<rect x="{x0}" y="{y0}" width="{(c1 - c0 + 1) * P - 4}" '
                   f'height="{(r1 - r0 + 1) * P - 4}" fill="{fill}" fill-opacity="0.85" '
                   'stroke="#333333" rx="2"/>')
        for pin, hp in p.all_holes():
            x, y = _xy(hp)
            out.append(f'<rect x="{x - 3.5}" y="{y - 3.5}" width="7" height="7" '
                       'fill="#333333"/>' if pin == "1" else
                       f'<circle cx="{x}" cy="{y}" r="3" fill="#333333"/>')
        label = p.ref if p.ref in ("A1", "A2") else f"{p.ref} {values[p.ref]}"
        x, y = x0 + 2, y0 + 10
        out.append(f'<text x="{x}" y="{y}" font-size="8" fill="#000000">{p.ref}</text>'
                   if c1 - c0 < 2 else
                   f'<text x="{x}" y="{y}" font-size="8" fill="#000000">{label}</text>')
    for net, a, b in lay.links:
        (xa, ya), (xb, yb) = _xy(a), _xy(b)
        out.append(f'<line x1="{xa}" y1="{ya}" x2="{xb}" y2="{yb}" stroke="{colour[net]}" '
                   'stroke-width="1.6" stroke-opacity="0.8"/>')
        out.append(f'<circle cx="{xa}" cy="{ya}" r="2.2" fill="{colour[net]}"/>')
        out.append(f'<circle cx="{xb}" cy="{yb}" r="2.2" fill="{colour[net]}"/>')
    notes = (f"{lay.board}: {len(lay.parts)} parts, {len(lay.cuts)} cuts across a strip "
             f"(red bars), {len(lay.links)} wire links (lines; black GND, red pack, "
             "orange 5 V, yellow 3.3 V, magenta rail).",
             "Grey: on the board; blue: a module on its pins; green: two pads wired to a "
             "part on the lid; square: pin 1.",
             f"Every pin, cut and link is in hardware/stripboard_{lay.board}.csv, written by "
             "python -m tools.circuit.stripboard from tools/circuit/design.py.")
    for i, note in enumerate(notes):
        out.append(f'<text x="{M}" y="{M + lay.rows * P + 20 + 16 * i}" font-size="12">'
                   f'{note}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
