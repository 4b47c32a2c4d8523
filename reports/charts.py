"""Charts as inline SVG, drawn on the server: no JS library, no CDN, Chinese labels in the system CJK fonts.

Each function returns markup safe to put in a template; the numbers go in a <details> table next to it.
"""

from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.safestring import mark_safe

FONT = ("'Noto Sans CJK SC','Source Han Sans SC','Noto Serif CJK SC','WenQuanYi Micro Hei','Microsoft YaHei',"
        "'PingFang SC','Heiti SC',sans-serif")
PALETTE = ["#0b4f8a", "#d9822b", "#2e8b57", "#b03a2e", "#6c5ce7", "#7f8c8d", "#16a085", "#c0392b"]


def _svg(width, height, body, label):
    return mark_safe(
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" aria-label="{escape(label)}" '
        f'xmlns="http://www.w3.org/2000/svg" style="font-family:{FONT}" font-family="{FONT}">'
        f"<title>{escape(label)}</title>{body}</svg>")


def bars(items, label, tone="#0b4f8a", width=380):
    """Horizontal bars: [(name, value)], long Chinese names fit on the left."""
    items = list(items)
    if not items:
        return _svg(width, 40, f'<text x="8" y="24" font-size="14" fill="#777">{escape(_("暂无数据"))}</text>', label)
    row, left, top = 28, 104, 6
    peak = max(v for _, v in items) or 1
    span = width - left - 48
    parts = []
    for i, (name, value) in enumerate(items):
        y = top + i * row
        w = max(1, round(span * value / peak)) if value else 0
        parts.append(
            f'<text x="{left - 6}" y="{y + 19}" font-size="14" text-anchor="end" fill="#333">{escape(str(name)[:7])}</text>'
            f'<rect x="{left}" y="{y + 4}" width="{w}" height="{row - 8}" rx="3" fill="{tone}"/>'
            f'<text x="{left + w + 5}" y="{y + 19}" font-size="14" fill="#333">{value}</text>')
    return _svg(width, top * 2 + row * len(items), "".join(parts), label)


def lines(labels, series, label, width=360, height=250):
    """A line per series over the same x labels (dates): series = [(name, [values])]."""
    if not labels or not series:
        return bars([], label, width=width)
    left, right, top, bottom = 32, 22, 12, 70
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max([max(v) for _, v in series if v] + [1])
    if peak == int(peak) and peak % 2:
        peak += 1  # counts: an even peak keeps the middle grid line on a whole number (1 → "0" at mid-height was wrong)
    step = plot_w / max(len(labels) - 1, 1)
    parts = [f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="#bbb"/>']
    for frac in (0, 0.5, 1):
        y = top + plot_h - plot_h * frac
        if frac:
            parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#eee"/>')
        parts.append(f'<text x="{left - 4}" y="{y + 4:.1f}" font-size="13" text-anchor="end" fill="#777">'
                     f'{peak * frac:g}</text>')
    every = max(1, (len(labels) + 4) // 5)
    for i, name in enumerate(labels):
        last = len(labels) - 1
        if i == last or (i % every == 0 and last - i >= max(every // 2, 2)):
            parts.append(f'<text x="{left + i * step:.1f}" y="{top + plot_h + 18}" font-size="13" '
                         f'text-anchor="middle" fill="#555">{escape(str(name))}</text>')
    legend_y = height - 14
    for n, (name, values) in enumerate(series):
        color = PALETTE[n % len(PALETTE)]
        points = " ".join(f"{left + i * step:.1f},{top + plot_h - plot_h * v / peak:.1f}" for i, v in enumerate(values))
        parts.append(f'<polyline points="{points}" fill="none" stroke="{color}" stroke-width="2"/>')
        x = 8 + (n % 3) * ((width - 8) / 3)
        y = legend_y - 18 * ((len(series) - 1) // 3 - n // 3)
        parts.append(f'<rect x="{x:.0f}" y="{y - 10}" width="11" height="11" fill="{color}"/>'
                     f'<text x="{x + 15:.0f}" y="{y}" font-size="14" fill="#333">{escape(str(name)[:7])}</text>')
    return _svg(width, height, "".join(parts), label)
