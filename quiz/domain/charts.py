"""Charts as server-rendered SVG: the review heatmap, the due forecast, weekly retention.

Pure: figures in, markup out. Every text is escaped, so the markup can be marked safe in
a template. Each chart is an image (`role="img"`) named by its own <title> and <desc>;
every square or bar carries a <title> with its date and value (shown on hover). Colours
are SVG presentation attributes — no inline styles, so a strict CSP allows them — and
are dark enough on white to be told apart from the background. No script, no fonts.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape
from typing import Sequence

SVG_NS = "http://www.w3.org/2000/svg"
TEXT_FILL = "#4a5563"  # the page's muted text colour: 7.5:1 on white
GRID_STROKE = "#d0d7de"
AXIS_STROKE = "#6b7280"
BAR_FILL = "#0b5cad"  # the page's accent: 6.6:1 on white
TARGET_STROKE = "#a4161a"
# Heatmap levels: none, then quarters of the busiest day, lightest to darkest.
LEVEL_FILLS = ("#ebeef1", "#a8c8ea", "#5f9bd6", "#1f64b0", "#0a3566")
EMPTY_STROKE = "#8c959f"  # outlines the empty squares (3:1 on white)
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


# --- words -----------------------------------------------------------------------

def plural(count: int, one: str, many: str | None = None) -> str:
    """'1 review', '3 reviews' (with thousands separated: '1,204 reviews')."""
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


def percent(share: float) -> str:
    """0.6667 → '67 %'."""
    return f"{round(share * 100)} %"


def day_label(day: date, year: bool = True) -> str:
    """'Wed 12 Mar 2025' (or 'Wed 12 Mar')."""
    text = f"{WEEKDAYS[day.weekday()]} {day.day} {day:%b}"
    return f"{text} {day.year}" if year else text


def short_date(day: date) -> str:
    """'12 Mar'."""
    return f"{day.day} {day:%b}"


def forecast_day_label(index: int, day: date) -> str:
    """How the forecast names its days: 'Today (Wed 12 Mar)', 'Tomorrow (…)', 'Fri 14 Mar'."""
    if index == 0:
        return f"Today ({day_label(day, year=False)})"
    if index == 1:
        return f"Tomorrow ({day_label(day, year=False)})"
    return day_label(day, year=False)


def week_label(start: date) -> str:
    """'Week of 3 Mar 2025 (W10)' — ISO weeks, which start on Monday."""
    return f"Week of {start.day} {start:%b} {start.year} (W{start.isocalendar().week:02d})"


# --- markup ----------------------------------------------------------------------

def _num(value: float) -> str:
    """A coordinate without float noise: 12, 12.5, 12.33."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _element(name: str, content: str | None = None, /, **attributes: object) -> str:
    """One element. Attribute values are escaped (None leaves one out; in names, a
    trailing '_' is dropped and '_' becomes '-'); `content` is markup, already safe."""
    parts = [name]
    for key, value in attributes.items():
        if value is None:
            continue
        text = _num(value) if isinstance(value, float) else str(value)
        parts.append(f'{key.rstrip("_").replace("_", "-")}="{escape(text, quote=True)}"')
    opening = " ".join(parts)
    return f"<{opening}/>" if content is None else f"<{opening}>{content}</{name}>"


def _tooltip(text: str) -> str:
    """A <title> child: the shape's name on hover."""
    return _element("title", escape(text))


def _text(x: float, y: float, content: str, anchor: str = "start", size: int = 11) -> str:
    return _element("text", escape(content), x=float(x), y=float(y), text_anchor=anchor, font_size=size,
                    fill=TEXT_FILL)


def _line(x1: float, y1: float, x2: float, y2: float, stroke: str, content: str | None = None,
          stroke_width: int = 1, **attributes: object) -> str:
    return _element("line", content, x1=float(x1), y1=float(y1), x2=float(x2), y2=float(y2), stroke=stroke,
                    stroke_width=stroke_width, **attributes)


def _svg(chart_id: str, kind: str, width: float, height: float, title: str, desc: str, body: list[str]) -> str:
    """The chart's outer <svg>: an image named by its <title> and described by its <desc>."""
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    content = (_element("title", escape(title), id=title_id) + _element("desc", escape(desc), id=desc_id)
               + "".join(body))
    return _element("svg", content, xmlns=SVG_NS, id=chart_id, class_=f"chart chart-{kind}",
                    viewBox=f"0 0 {_num(width)} {_num(height)}", width=float(width), height=float(height),
                    role="img", aria_labelledby=f"{title_id} {desc_id}")


# --- review heatmap ----------------------------------------------------------------

CELL = 11
PITCH = 13  # cell plus gap
HEAT_LEFT = 32
HEAT_TOP = 18


def intensity(count: int, busiest: int) -> int:
    """Heatmap level 0–4: 0 for none, then which quarter of the busiest day's count."""
    if count <= 0 or busiest <= 0:
        return 0
    return min(4, max(1, math.ceil(4 * count / busiest)))


def _square(x: float, y: float, level: int, tooltip: str, css_class: str, **attributes: object) -> str:
    """A heatmap square of one level; the empty level is outlined so it shows on white."""
    empty = level == 0
    return _element("rect", _tooltip(tooltip), class_=css_class, x=float(x), y=float(y), width=CELL, height=CELL,
                    rx=2, fill=LEVEL_FILLS[level], stroke=EMPTY_STROKE if empty else None,
                    stroke_width=0.5 if empty else None, **attributes)


def heatmap(days: Sequence[tuple[date, int]], *, chart_id: str = "heatmap",
            title: str = "Reviews per day, past year") -> str:
    """A GitHub-style grid — a column per week, a row per weekday (Monday on top) — of
    consecutive days and their review counts; darker squares mean more reviews."""
    if not days:
        raise ValueError("a heatmap needs at least one day")
    first, last = days[0][0], days[-1][0]
    monday = first - timedelta(days=first.weekday())
    weeks = (last - monday).days // 7 + 1
    busiest_day, busiest = max(days, key=lambda d: d[1])
    total = sum(count for _day, count in days)
    active = sum(1 for _day, count in days if count)
    if total:
        desc = (f"{plural(total, 'review')} on {plural(active, 'day')} of {len(days)}, from {day_label(first)} "
                f"to {day_label(last)}. Busiest day: {day_label(busiest_day)}, {plural(busiest, 'review')}. "
                "Darker squares mean more reviews.")
    else:
        desc = f"No reviews from {day_label(first)} to {day_label(last)}."
    body: list[str] = []
    for row in (0, 2, 4):
        body.append(_text(HEAT_LEFT - 6, HEAT_TOP + row * PITCH + CELL - 1, WEEKDAYS[row], "end", 10))
    previous_label_column = -10
    for day, count in days:
        column = (day - monday).days // 7
        x, y = HEAT_LEFT + column * PITCH, HEAT_TOP + day.weekday() * PITCH
        if day.day == 1 or day == first:
            if column - previous_label_column >= 3 and column <= weeks - 2:
                body.append(_text(x, HEAT_TOP - 6, f"{day:%b}", size=10))
                previous_label_column = column
        level = intensity(count, busiest)
        body.append(_square(x, y, level, f"{day_label(day)}: {plural(count, 'review')}", f"heat heat-{level}",
                            data_count=count))
    grid_bottom = HEAT_TOP + 7 * PITCH
    legend_right = HEAT_LEFT + weeks * PITCH
    legend_x = legend_right - 5 * PITCH - 30
    body.append(_text(legend_x - 4, grid_bottom + 14, "Less", "end", 10))
    labels = ("No reviews", "Up to a quarter of the busiest day", "Up to half of the busiest day",
              "Up to three quarters of the busiest day", "Up to the busiest day")
    for level, label in enumerate(labels):
        body.append(_square(legend_x + level * PITCH, grid_bottom + 5, level, label, "heat-legend"))
    body.append(_text(legend_x + 5 * PITCH + 2, grid_bottom + 14, "More", size=10))
    return _svg(chart_id, "heatmap", legend_right + 4, grid_bottom + 22, title, desc, body)


# --- bar charts ------------------------------------------------------------------

@dataclass(frozen=True)
class Bar:
    """One bar: its name, its value (None: a gap, no data) and the value in words."""

    label: str
    value: float | None
    text: str
    tick: str = ""  # shown under the bar ('' for none)


BAR_WIDTH = 640
BAR_HEIGHT = 220
BAR_LEFT = 44
BAR_RIGHT = 12
BAR_TOP = 12
BAR_BOTTOM = 28


def nice_scale(largest: float, most_ticks: int = 5) -> tuple[float, float]:
    """(top of the axis, step between grid lines) for counts up to `largest`: steps of 1, 2, 5, 10, 20, 50…"""
    largest = max(largest, 1)
    magnitude = 1.0
    while True:
        for step in (magnitude, 2 * magnitude, 5 * magnitude):
            if math.ceil(largest / step) <= most_ticks:
                return step * math.ceil(largest / step), step
        magnitude *= 10


def bar_chart(bars: Sequence[Bar], *, chart_id: str, kind: str, title: str, desc: str, top: float,
              ticks: Sequence[tuple[float, str]], target: tuple[float, str] | None = None,
              bottom: float = 0.0) -> str:
    """Vertical bars from zero, on an axis from `bottom` (zero or below) up to `top`, with grid
    lines at `ticks` (value, label) and an optional dashed target line (value, label). A bar of
    None is left out: a gap; a negative bar hangs below the zero line."""
    plot_w = BAR_WIDTH - BAR_LEFT - BAR_RIGHT
    plot_h = BAR_HEIGHT - BAR_TOP - BAR_BOTTOM
    bottom = min(bottom, 0.0)
    span = top - bottom

    def y_of(value: float) -> float:
        return BAR_TOP + plot_h * (top - min(max(value, bottom), top)) / span if span > 0 else BAR_TOP + plot_h

    base, floor = y_of(0.0), BAR_TOP + plot_h  # the zero line; the foot of the plot, where ticks go

    body: list[str] = []
    for value, label in ticks:
        y = y_of(value)
        body.append(_line(BAR_LEFT, y, BAR_LEFT + plot_w, y, GRID_STROKE))
        body.append(_text(BAR_LEFT - 6, y + 4, label, "end"))
    band = plot_w / max(len(bars), 1)
    width = max(band * 0.72, 1.0)
    for index, bar in enumerate(bars):
        x = BAR_LEFT + index * band + (band - width) / 2
        if bar.tick:
            body.append(_line(x + width / 2, floor, x + width / 2, floor + 4, AXIS_STROKE))
            body.append(_text(x + width / 2, floor + 17, bar.tick, "middle"))
        if bar.value is None:
            continue
        y = y_of(bar.value)
        height = base - y
        if height < 0:  # below zero: the bar hangs from the zero line
            y, height = base, -height
        if height <= 0:  # zero: a sliver on the axis still carries the tooltip
            y, height = base - 1.5, 1.5
        body.append(_element("rect", _tooltip(f"{bar.label}: {bar.text}"),
                             class_="bar bar-negative" if bar.value < 0 else "bar", x=x, y=y, width=width,
                             height=height, fill=BAR_FILL))
    body.append(_line(BAR_LEFT, base, BAR_LEFT + plot_w, base, AXIS_STROKE))
    if target is not None:
        value, label = target
        y = y_of(value)
        body.append(_line(BAR_LEFT, y, BAR_LEFT + plot_w, y, TARGET_STROKE, _tooltip(label), class_="target",
                          stroke_width=2, stroke_dasharray="6 4"))
    return _svg(chart_id, kind, BAR_WIDTH, BAR_HEIGHT, title, desc, body)


def forecast(days: Sequence[tuple[date, int]], *, chart_id: str = "forecast",
             title: str = "Cards due per day, next 30 days") -> str:
    """Bars of cards due on each coming day; the first day (today) includes overdue cards."""
    counts = [count for _day, count in days]
    total = sum(counts)
    top, step = nice_scale(max(counts, default=0))
    ticks = [(step * i, f"{int(step * i):,}") for i in range(int(round(top / step)) + 1)]
    bars = [Bar(forecast_day_label(i, day), count, plural(count, "card") + " due",
                "Today" if i == 0 else (short_date(day) if i % 7 == 0 else ""))
            for i, (day, count) in enumerate(days)]
    if total:
        busiest_index = max(range(len(days)), key=lambda i: counts[i])
        desc = (f"{plural(total, 'card')} due in the next {len(days)} days; {counts[0]:,} today, overdue included. "
                f"Busiest day: {forecast_day_label(busiest_index, days[busiest_index][0])}, "
                f"{plural(counts[busiest_index], 'card')}.")
    else:
        desc = f"No cards due in the next {len(days)} days."
    return bar_chart(bars, chart_id=chart_id, kind="forecast", title=title, desc=desc, top=top, ticks=ticks)


def retention(weeks: Sequence[tuple[date, int, int]], *, target: float, chart_id: str = "retention",
              title: str = "Retention per week") -> str:
    """Bars of the share of reviews recalled per week, from (week start, recalled, reviews);
    a week without reviews is a gap. A dashed line marks the target retention."""
    bars = []
    for i, (start, recalled, reviews) in enumerate(weeks):
        tick = short_date(start) if i % 4 == 0 else ""
        if reviews:
            share = recalled / reviews
            bars.append(Bar(week_label(start), share, f"{percent(share)} ({recalled:,} of {reviews:,} recalled)", tick))
        else:
            bars.append(Bar(week_label(start), None, "no reviews", tick))
    recalled_total = sum(w[1] for w in weeks)
    reviews_total = sum(w[2] for w in weeks)
    with_reviews = sum(1 for w in weeks if w[2])
    if reviews_total:
        desc = (f"Share of reviews of cards already in review (not still being learnt) that you recalled: "
                f"rated Hard, Good or Easy. Per week, over {len(weeks)} weeks; "
                f"{plural(with_reviews, 'week')} had such reviews. Overall "
                f"{percent(recalled_total / reviews_total)} ({recalled_total:,} of {reviews_total:,}). "
                f"The dashed line is your target, {percent(target)}.")
    else:
        desc = f"No reviews of cards in review in the past {len(weeks)} weeks."
    ticks = [(share, percent(share)) for share in (0.0, 0.25, 0.5, 0.75, 1.0)]
    return bar_chart(bars, chart_id=chart_id, kind="retention", title=title, desc=desc, top=1.0, ticks=ticks,
                     target=(target, f"Target retention: {percent(target)}"))
