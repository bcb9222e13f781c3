"""SVG charts: one square per day, one bar per day or week, titles a reader can hover or
hear, text escaped, no inline style (the CSP forbids it)."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest

from quiz.domain import charts

NS = {"svg": "http://www.w3.org/2000/svg"}
TODAY = date(2025, 3, 12)  # a Wednesday


def parse(svg: str) -> ET.Element:
    """The chart as XML (it must be well-formed), after checking it names itself."""
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby", "").split()
    assert root.find(f"svg:title[@id='{title_id}']", NS) is not None
    assert root.find(f"svg:desc[@id='{desc_id}']", NS) is not None
    assert "style=" not in svg and "<script" not in svg
    return root


def tooltips(root: ET.Element, selector: str) -> dict[str, ET.Element]:
    """Shapes matched by `selector`, keyed by the text of their <title>."""
    return {shape.findtext("svg:title", namespaces=NS) or "": shape for shape in root.findall(selector, NS)}


def year_of_days(counts: dict[date, int]) -> list[tuple[date, int]]:
    days = [TODAY - timedelta(days=364 - i) for i in range(365)]
    return [(day, counts.get(day, 0)) for day in days]


@pytest.mark.parametrize("count, busiest, level", [
    (0, 0, 0), (0, 10, 0), (1, 10, 1), (2, 10, 1), (3, 10, 2), (5, 10, 2), (6, 10, 3), (8, 10, 4), (10, 10, 4),
    (1, 1, 4), (12, 10, 4),
])
def test_intensity_levels_are_quarters_of_the_busiest_day(count: int, busiest: int, level: int) -> None:
    assert charts.intensity(count, busiest) == level


@pytest.mark.parametrize("largest, top, step", [
    (0, 1, 1), (1, 1, 1), (3, 3, 1), (5, 5, 1), (6, 6, 2), (9, 10, 2), (11, 15, 5), (26, 30, 10), (130, 150, 50),
    (2400, 2500, 500),
])
def test_nice_scale(largest: float, top: float, step: float) -> None:
    assert charts.nice_scale(largest) == (top, step)


@pytest.mark.parametrize("day, text", [
    (date(2025, 3, 12), "Wed 12 Mar 2025"), (date(2024, 12, 30), "Mon 30 Dec 2024"),
])
def test_day_label(day: date, text: str) -> None:
    assert charts.day_label(day) == text


@pytest.mark.parametrize("start, text", [
    (date(2025, 3, 3), "Week of 3 Mar 2025 (W10)"), (date(2024, 12, 30), "Week of 30 Dec 2024 (W01)"),
])
def test_week_label_uses_iso_weeks(start: date, text: str) -> None:
    assert charts.week_label(start) == text


def test_heatmap_has_a_square_per_day_with_its_date_and_count() -> None:
    counts = {TODAY: 8, TODAY - timedelta(days=1): 1, date(2024, 6, 3): 4, date(2024, 3, 13): 2}
    root = parse(charts.heatmap(year_of_days(counts)))
    squares = tooltips(root, "svg:rect[@class]")
    days = {k: v for k, v in squares.items() if v.get("class", "").startswith("heat heat-")}
    assert len(days) == 365
    assert days["Wed 12 Mar 2025: 8 reviews"].get("class") == "heat heat-4"
    assert days["Tue 11 Mar 2025: 1 review"].get("class") == "heat heat-1"
    assert days["Mon 3 Jun 2024: 4 reviews"].get("class") == "heat heat-2"
    assert days["Wed 13 Mar 2024: 2 reviews"].get("class") == "heat heat-1"
    assert days["Sun 9 Mar 2025: 0 reviews"].get("class") == "heat heat-0"
    # weeks are columns, weekdays rows with Monday on top: Monday 10 and Sunday 16 March share a column
    monday, wednesday = days["Mon 10 Mar 2025: 0 reviews"], days["Wed 12 Mar 2025: 8 reviews"]
    assert monday.get("x") == wednesday.get("x")
    assert float(wednesday.get("y", 0)) - float(monday.get("y", 0)) == 2 * charts.PITCH
    first = days["Wed 13 Mar 2024: 2 reviews"]
    assert float(first.get("x", 0)) == charts.HEAT_LEFT  # the first week is the first column
    desc = root.findtext("svg:desc", namespaces=NS)
    assert desc == ("15 reviews on 4 days of 365, from Wed 13 Mar 2024 to Wed 12 Mar 2025. "
                    "Busiest day: Wed 12 Mar 2025, 8 reviews. Darker squares mean more reviews.")
    levels = {shape.get("fill") for shape in root.findall("svg:rect[@class='heat-legend']", NS)}
    assert levels == set(charts.LEVEL_FILLS)  # a legend with the five levels


def test_heatmap_of_an_empty_year_says_so() -> None:
    root = parse(charts.heatmap(year_of_days({})))
    assert root.findtext("svg:desc", namespaces=NS) == "No reviews from Wed 13 Mar 2024 to Wed 12 Mar 2025."
    levels = {r.get("class") for r in root.findall("svg:rect", NS) if r.get("class", "").startswith("heat ")}
    assert levels == {"heat heat-0"}


def test_text_and_ids_are_escaped() -> None:
    svg = charts.heatmap(year_of_days({TODAY: 1}), chart_id='x"><script>', title="<b>Mine & yours</b>")
    assert "<script>" not in svg and "<b>" not in svg
    assert "&lt;b&gt;Mine &amp; yours&lt;/b&gt;" in svg
    root = parse(svg)
    assert root.get("id") == 'x"><script>'
    bars = [charts.Bar("<i>day</i>", 2, "2 & more", tick="<t>")]
    svg = charts.bar_chart(bars, chart_id="b", kind="x", title="T", desc="<d>", top=2, ticks=[(0, "0")])
    root = parse(svg)
    assert "<i>" not in svg and "<t>" not in svg and "<d>" not in svg
    assert root.findtext("svg:rect/svg:title", namespaces=NS) == "<i>day</i>: 2 & more"


def test_forecast_has_a_bar_per_day_scaled_to_the_busiest() -> None:
    days = [(TODAY + timedelta(days=i), 0) for i in range(30)]
    days[0], days[1], days[20] = (TODAY, 3), (days[1][0], 1), (days[20][0], 6)
    root = parse(charts.forecast(days))
    bars = tooltips(root, "svg:rect[@class='bar']")
    assert len(bars) == 30
    today, tomorrow = bars["Today (Wed 12 Mar): 3 cards due"], bars["Tomorrow (Thu 13 Mar): 1 card due"]
    busiest = bars["Tue 1 Apr: 6 cards due"]
    assert float(busiest.get("y", 0)) == charts.BAR_TOP  # 6 is the top of the axis
    assert float(today.get("height", 0)) == pytest.approx(float(busiest.get("height", 0)) / 2)
    assert float(tomorrow.get("height", 0)) == pytest.approx(float(busiest.get("height", 0)) / 6)
    assert float(bars["Fri 14 Mar: 0 cards due"].get("height", 0)) < 2  # a sliver on the axis
    labels = [t.text for t in root.findall("svg:text", NS)]
    assert labels[:4] == ["0", "2", "4", "6"] and "Today" in labels and "9 Apr" in labels
    assert root.findtext("svg:desc", namespaces=NS) == (
        "10 cards due in the next 30 days; 3 today, overdue included. Busiest day: Tue 1 Apr, 6 cards.")


def test_retention_leaves_weeks_without_reviews_as_gaps_and_marks_the_target() -> None:
    mondays = [date(2025, 3, 10) - timedelta(weeks=25 - i) for i in range(26)]
    weeks = [(monday, 0, 0) for monday in mondays]
    weeks[0] = (mondays[0], 0, 1)
    weeks[24] = (mondays[24], 1, 1)
    weeks[25] = (mondays[25], 2, 3)
    root = parse(charts.retention(weeks, target=0.9))
    bars = tooltips(root, "svg:rect[@class='bar']")
    assert set(bars) == {"Week of 16 Sep 2024 (W38): 0 % (0 of 1 recalled)",
                         "Week of 3 Mar 2025 (W10): 100 % (1 of 1 recalled)",
                         "Week of 10 Mar 2025 (W11): 67 % (2 of 3 recalled)"}
    full = bars["Week of 3 Mar 2025 (W10): 100 % (1 of 1 recalled)"]
    assert float(full.get("y", 0)) == charts.BAR_TOP
    target = root.find("svg:line[@class='target']", NS)
    assert target is not None and target.findtext("svg:title", namespaces=NS) == "Target retention: 90 %"
    plot = charts.BAR_HEIGHT - charts.BAR_TOP - charts.BAR_BOTTOM
    assert float(target.get("y1", 0)) == pytest.approx(charts.BAR_TOP + plot * 0.1)
    assert root.findtext("svg:desc", namespaces=NS) == (
        "Share of reviews of cards already in review (not still being learnt) that you recalled: rated Hard, "
        "Good or Easy. Per week, over 26 weeks; 3 weeks had such reviews. Overall 60 % (3 of 5). "
        "The dashed line is your target, 90 %.")


def test_retention_without_reviews_has_no_bars() -> None:
    weeks = [(date(2025, 3, 10) - timedelta(weeks=i), 0, 0) for i in range(26)][::-1]
    root = parse(charts.retention(weeks, target=0.85))
    assert root.findall("svg:rect[@class='bar']", NS) == []
    assert root.findtext("svg:desc", namespaces=NS) == "No reviews of cards in review in the past 26 weeks."
