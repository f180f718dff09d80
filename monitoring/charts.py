"""Server-rendered inline SVG charts (no JavaScript, no CDN). Labels are escaped; values are numbers."""
from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import mark_safe

PALETTE = ["#1f5fa8", "#c2410c", "#15803d", "#7c3aed", "#b45309", "#0e7490", "#be123c", "#4d7c0f", "#475569"]


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def line_chart(labels: list[str], series: list[tuple[str, list[float]]], *, width=900, height=300,
               title="") -> str:
    left, right, top, bottom = 56, 170, 20, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value = _nice_max(max([v for _, vals in series for v in vals] or [0]))
    n = max(len(labels), 1)

    def x(i):
        return left + (plot_w * (i / (n - 1)) if n > 1 else plot_w / 2)

    def y(v):
        return top + plot_h - plot_h * (v / top_value)

    parts = [f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
             f'width="100%" xmlns="http://www.w3.org/2000/svg" font-size="12" font-family="sans-serif">']
    for k in range(5):
        v = top_value * k / 4
        parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#e3e8ef"/>')
        parts.append(f'<text x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end" fill="#667085">{int(v)}</text>')
    step = max(1, n // 12)
    for i, label in enumerate(labels):
        if i % step == 0 or i == n - 1:
            parts.append(f'<text x="{x(i):.1f}" y="{height - 12}" text-anchor="middle" fill="#667085">'
                         f'{escape(label)}</text>')
    for idx, (name, values) in enumerate(series):
        color = PALETTE[idx % len(PALETTE)]
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
        parts.append(f'<polyline fill="none" stroke="{color}" stroke-width="2" points="{points}"/>')
        for i, v in enumerate(values):
            parts.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3" fill="{color}"><title>{escape(name)} '
                         f'{escape(labels[i])}：{int(v)}</title></circle>')
        ly = top + 14 + idx * 18
        parts.append(f'<rect x="{left + plot_w + 14}" y="{ly - 9}" width="12" height="3" fill="{color}"/>')
        last = int(values[-1]) if values else 0
        parts.append(f'<text x="{left + plot_w + 30}" y="{ly - 4}" fill="#1d2939">{escape(name)} {last}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))
