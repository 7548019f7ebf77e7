"""Working days for public notices: weekends are skipped."""

import datetime


def is_working_day(day):
    return day.weekday() < 5


def next_working_day(day):
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


def add_working_days(start, days):
    """The last day of a period of ``days`` working days starting on ``start`` (moved to a working day).

    A notice of 5 working days opened on a Thursday runs Thursday, Friday, Monday, Tuesday, Wednesday.
    """
    if days < 1:
        raise ValueError("a notice lasts at least one working day")
    day = next_working_day(start)
    counted = 1
    while counted < days:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day
