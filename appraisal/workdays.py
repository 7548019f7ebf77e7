"""Working days (工作日) for public notices: weekends and statutory holidays are skipped, make-up
working days (调休上班日) count.

The holidays are data (``appraisal.holidays.Holiday``), kept by county administrators. A
``WorkCalendar`` loads one year of them in one query the first time a date of that year is asked
about, so counting a notice's days costs one or two queries whatever its length.
"""

import datetime


class WorkCalendar:
    """The holiday calendar, read a year at a time; pass ``days`` ({date: kind}) to use no database."""

    def __init__(self, days=None):
        self._days = dict(days) if days is not None else {}
        self._years = set() if days is None else None

    def _kind(self, day):
        if self._years is not None and day.year not in self._years:
            from appraisal.holidays import Holiday

            self._days.update(Holiday.objects.filter(date__year=day.year).values_list("date", "kind"))
            self._years.add(day.year)
        return self._days.get(day)

    def is_workday(self, day):
        from appraisal.holidays import Holiday

        kind = self._kind(day)
        if kind == Holiday.Kind.WORKDAY:
            return True
        if kind == Holiday.Kind.HOLIDAY:
            return False
        return day.weekday() < 5

    def next_working_day(self, day):
        """``day`` itself when it is a working day, else the first working day after it."""
        while not self.is_workday(day):
            day += datetime.timedelta(days=1)
        return day

    def add_working_days(self, start, days):
        """The last day of a period of ``days`` working days starting on ``start`` (moved to a working day).

        A notice of 5 working days opened on a Thursday runs Thursday, Friday, Monday, Tuesday, Wednesday.
        """
        if days < 1:
            raise ValueError("a notice lasts at least one working day")
        day = self.next_working_day(start)
        counted = 1
        while counted < days:
            day += datetime.timedelta(days=1)
            if self.is_workday(day):
                counted += 1
        return day

    def working_days_between(self, first, last):
        """How many working days from ``first`` to ``last``, both included."""
        count, day = 0, first
        while day <= last:
            count += self.is_workday(day)
            day += datetime.timedelta(days=1)
        return count


def is_workday(day):
    return WorkCalendar().is_workday(day)


# The name the first version used; kept for callers outside the appraisal.
is_working_day = is_workday


def next_working_day(day):
    return WorkCalendar().next_working_day(day)


def add_working_days(start, days):
    return WorkCalendar().add_working_days(start, days)


def working_days_between(first, last):
    return WorkCalendar().working_days_between(first, last)
