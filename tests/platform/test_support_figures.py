"""Response-time figures for the staff inbox: median and p90 time to first answer over
the last 7 and 30 days, how many wait and for how long the oldest has waited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from carewatch.platform.support.figures import response_figures, short_duration

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
H = timedelta(hours=1)
D = timedelta(days=1)


def answered(days_ago: float, after: timedelta) -> tuple[datetime, datetime]:
    asked = NOW - days_ago * D
    return asked, asked + after


def test_median_and_p90_are_over_the_threads_asked_in_each_window() -> None:
    recent = [answered(1, n * H) for n in range(1, 11)]  # 1 h ... 10 h
    older = [answered(20, 48 * H), answered(25, 72 * H)]
    figures = response_figures(recent + older, NOW)
    week, month = figures.windows
    assert (week.days, week.answered, week.median, week.p90) == (7, 10, 5.5 * H, 9 * H)
    assert (month.days, month.answered, month.median, month.p90) == (30, 12, 6.5 * H, 48 * H)


def test_waiting_threads_are_counted_with_the_oldest_wait() -> None:
    pairs = [answered(1, H), (NOW - 3 * H, None), (NOW - 40 * D, None)]
    figures = response_figures(pairs, NOW)
    assert figures.waiting == 2
    assert figures.oldest_waiting == 40 * D
    assert figures.windows[0].answered == 1


def test_no_threads_give_empty_figures_not_an_error() -> None:
    figures = response_figures([], NOW)
    assert figures.waiting == 0 and figures.oldest_waiting is None
    assert all(w.median is None and w.p90 is None and w.answered == 0 for w in figures.windows)


def test_one_answer_is_its_own_median_and_p90() -> None:
    (week, _month) = response_figures([answered(0.5, 20 * timedelta(minutes=1))], NOW).windows
    assert week.median == week.p90 == timedelta(minutes=20)


def test_durations_read_at_a_glance() -> None:
    assert short_duration(None) == "–"
    assert short_duration(timedelta(minutes=3)) == "3 min"
    assert short_duration(timedelta(hours=2, minutes=5)) == "2 h 5 min"
    assert short_duration(timedelta(days=4, hours=3, minutes=10)) == "4 d 3 h"
