"""Class mastery: a heatmap of students × topics from each card's recall probability now,
overdue cards and this week's reviews, and a per-topic summary naming who falls behind."""
from __future__ import annotations

import random
import statistics
from datetime import datetime, timedelta, timezone

import pytest

from quiz.domain import mastery, scheduling
from quiz.domain import simulation as sim

CLASS = [mastery.Learner(1, "Awa Diallo"), mastery.Learner(2, "Lucas Martin"), mastery.Learner(3, "Mei Nguyen")]
TOPICS = ["mali-empire", "songhai", "tag:trade"]


@pytest.mark.parametrize("mean_recall, level", [
    (None, 0), (0.0, 1), (0.69, 1), (0.70, 2), (0.79, 2), (0.80, 3), (0.894, 3), (0.90, 4), (1.0, 4),
    # by the percentage shown: 89.6 % reads "90 %", so it is strong; (.85 + .95) / 2 in floats is 0.8999…
    (0.896, 4), ((0.85 + 0.95) / 2, 4),
])
def test_levels_by_mean_recall(mean_recall: float | None, level: int) -> None:
    assert mastery.level(mean_recall) == level


@pytest.mark.parametrize("mean_recall, overdue, studied, reasons", [
    (None, 0, 0, ()),  # not started is not "behind": the summary lists it apart
    (0.92, 0, 20, ()),
    (0.80, 9, 20, ()),  # on the threshold of recall, 9 of 20 overdue (under 10 and under half)
    (0.79, 0, 20, ("recall 79 %, below 80 %",)),
    (0.794, 0, 20, ("recall 79 %, below 80 %",)),
    (0.796, 0, 20, ()),  # shown as 80 %: not "80 %, below 80 %"
    (0.95, 10, 40, ("10 of 40 cards studied overdue",)),  # many overdue
    (0.95, 3, 6, ("3 of 6 cards studied overdue",)),  # half of a few
    (0.95, 2, 6, ()),
    (0.55, 12, 12, ("recall 55 %, below 80 %", "12 of 12 cards studied overdue")),
])
def test_behind_reasons(mean_recall: float | None, overdue: int, studied: int, reasons: tuple[str, ...]) -> None:
    assert mastery.behind_reasons(mean_recall, overdue, studied) == reasons


def test_a_cell_from_a_students_cards() -> None:
    # recall .9 + .8 + .7 + .6 = 3.0 over 4 cards: mean .75 → level 2 (70–80 %), behind (below 80 %)
    progress = mastery.TopicProgress(1, "songhai", recall=(0.9, 0.8, 0.7, 0.6), overdue=1, reviews_this_week=12,
                                     cards=40)
    square = mastery.cell("songhai", progress)
    assert (square.studied, square.mean_recall, square.level, square.behind) == (4, pytest.approx(0.75), 2, True)
    assert square.text == "recall 75 %, 1 overdue, 12 reviews this week, 4 of 40 cards studied"
    assert square.reasons == ("recall 75 %, below 80 %",)


@pytest.mark.parametrize("progress, text", [
    (None, "not started"),
    (mastery.TopicProgress(1, "t", reviews_this_week=0), "not started"),
    (mastery.TopicProgress(1, "t", reviews_this_week=1), "not started, 1 review this week"),
    (mastery.TopicProgress(1, "t", recall=(1.0,), reviews_this_week=1), ("recall 100 %, 0 overdue, 1 review this week, "
                                                                         "1 card studied")),
])
def test_cell_text(progress: mastery.TopicProgress | None, text: str) -> None:
    assert mastery.cell("t", progress).text == text


def test_the_map_has_a_row_per_student_and_a_summary_per_topic() -> None:
    progress = [
        # Awa: strong on the Mali empire, behind on Songhai (recall (.6 + .7) / 2 = .65)
        mastery.TopicProgress(1, "mali-empire", recall=(0.95, 0.93, 0.97), reviews_this_week=30, cards=3),
        mastery.TopicProgress(1, "songhai", recall=(0.6, 0.7), overdue=1, reviews_this_week=2),
        # Lucas: recalls well but has let 10 cards go overdue on the Mali empire
        mastery.TopicProgress(2, "mali-empire", recall=(0.9,) * 12, overdue=10, reviews_this_week=0),
        mastery.TopicProgress(2, "songhai", recall=(0.85, 0.95), reviews_this_week=8),
        # Mei: only started the Mali empire ((.8 + .9) / 2 = .85)
        mastery.TopicProgress(3, "mali-empire", recall=(0.8, 0.9), reviews_this_week=5),
    ]
    result = mastery.mastery_map(CLASS, TOPICS, progress)
    assert result.topics == tuple(TOPICS)
    assert [row.name for row in result.rows] == ["Awa Diallo", "Lucas Martin", "Mei Nguyen"]
    assert [[c.level for c in row.cells] for row in result.rows] == [[4, 1, 0], [4, 4, 0], [3, 0, 0]]
    assert [row.behind_in for row in result.rows] == [("songhai",), ("mali-empire",), ()]

    mali, songhai, trade = result.summaries
    # Mali empire: students' means .95, .9, .85 → class mean .9, lowest .85; overdue 0 + 10 + 0; reviews 30 + 0 + 5
    assert (mali.students, mali.started, mali.overdue, mali.reviews_this_week) == (3, 3, 10, 35)
    assert mali.mean_recall == pytest.approx(0.9) and mali.lowest_recall == pytest.approx(0.85)
    assert mali.behind == ("Lucas Martin",) and mali.not_started == ()
    assert mali.share_behind == pytest.approx(1 / 3)
    # Songhai: .65 and .9 → mean .775, lowest .65; Mei has not started
    assert (songhai.started, songhai.overdue, songhai.reviews_this_week) == (2, 1, 10)
    assert songhai.mean_recall == pytest.approx(0.775) and songhai.lowest_recall == pytest.approx(0.65)
    assert songhai.behind == ("Awa Diallo",) and songhai.not_started == ("Mei Nguyen",)
    # nobody started trade: no figures, no division
    assert (trade.started, trade.mean_recall, trade.lowest_recall, trade.behind) == (0, None, None, ())
    assert trade.not_started == ("Awa Diallo", "Lucas Martin", "Mei Nguyen")


def test_an_empty_class() -> None:
    result = mastery.mastery_map([], TOPICS, [])
    assert result.rows == () and [s.share_behind for s in result.summaries] == [0.0, 0.0, 0.0]


@pytest.mark.parametrize("make, message", [
    (lambda: mastery.TopicProgress(1, "t", recall=(1.2,)), "between 0 and 1"),
    (lambda: mastery.TopicProgress(1, "t", overdue=-1), "0 or more"),
    (lambda: mastery.TopicProgress(1, "t", recall=(0.9,), overdue=2), "2 overdue of 1 cards studied"),
    (lambda: mastery.mastery_map(CLASS, TOPICS, [mastery.TopicProgress(9, "songhai")]), "student 9, who is not"),
    (lambda: mastery.mastery_map(CLASS, TOPICS, [mastery.TopicProgress(1, "ghana")]), "topic ghana, which is not"),
    (lambda: mastery.mastery_map(CLASS, TOPICS, [mastery.TopicProgress(1, "songhai")] * 2), "two progress entries"),
])
def test_inconsistent_progress_is_refused(make, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make()


def test_the_simulated_class_shows_who_falls_behind() -> None:
    """The demo's path: simulated reviews → recall now, overdue, this week → the map flags the
    students who stopped studying far more often than those who kept on."""
    now = datetime(2026, 12, 2, 6, 0, tzinfo=timezone.utc)
    rng = random.Random(21)
    roster = sim.students(rng, count=60)
    cards = sim.items(rng, [sim.DemoQuestion(f"mali-{i}", ("easy", "medium", "hard")[i % 3]) for i in range(30)])
    sched = scheduling.scheduler()
    progress = []
    for index, student in enumerate(roster):
        history = sim.reviews(rng, student, cards, start=now - timedelta(days=28), now=now, sched=sched)
        last = {h.question_id: h.after for h in history}
        progress.append(mastery.TopicProgress(
            index, "mali-empire", recall=tuple(scheduling.retrievability(c.state, now, sched) for c in last.values()),
            overdue=sum(c.due < now for c in last.values()),
            reviews_this_week=sum(h.reviewed_at >= now - timedelta(days=7) for h in history), cards=len(cards)))
    learners = [mastery.Learner(i, s.name) for i, s in enumerate(roster)]
    result = mastery.mastery_map(learners, ["mali-empire"], progress)
    quitters = {s.name for s in roster if s.studies_until < 1}
    behind = set(result.summaries[0].behind)
    assert quitters and behind
    share_of_quitters_behind = len(behind & quitters) / len(quitters)
    share_of_others_behind = len(behind - quitters) / (len(roster) - len(quitters))
    assert share_of_quitters_behind > share_of_others_behind + 0.3
    assert statistics.fmean(c.reviews_this_week for row in result.rows for c in row.cells
                            if row.name in quitters) == 0  # they stopped before this week
