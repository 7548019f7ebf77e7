"""Seed the national holiday calendar for 2026 and 2027.

2026: the State Council's arrangement (国务院办公厅关于2026年部分节假日安排的通知, 4 November 2025):
every day off of each holiday period, and the make-up working days (调休上班).

2027: the arrangement was not available when this was written. Only the statutory holidays on fixed
dates (全国年节及纪念日放假办法: 元旦 1 January, 劳动节 1–2 May, 国庆节 1–3 October) are seeded; the
Spring Festival, Qingming, Dragon Boat and Mid-Autumn days and the make-up working days must be
added on the holiday calendar page once the year's arrangement is published (the page says so).
Rows already present (entered by hand) are left as they are.
"""

import datetime

from django.db import migrations


def _span(first, last, name):
    day, days = first, []
    while day <= last:
        days.append((day, "holiday", name))
        day += datetime.timedelta(days=1)
    return days


D = datetime.date
CALENDAR = [
    # 2026
    *_span(D(2026, 1, 1), D(2026, 1, 3), "元旦"),
    (D(2026, 1, 4), "workday", "元旦调休上班"),
    *_span(D(2026, 2, 15), D(2026, 2, 23), "春节"),
    (D(2026, 2, 14), "workday", "春节调休上班"),
    (D(2026, 2, 28), "workday", "春节调休上班"),
    *_span(D(2026, 4, 4), D(2026, 4, 6), "清明节"),
    *_span(D(2026, 5, 1), D(2026, 5, 5), "劳动节"),
    (D(2026, 5, 9), "workday", "劳动节调休上班"),
    *_span(D(2026, 6, 19), D(2026, 6, 21), "端午节"),
    *_span(D(2026, 9, 25), D(2026, 9, 27), "中秋节"),
    *_span(D(2026, 10, 1), D(2026, 10, 7), "国庆节"),
    (D(2026, 9, 20), "workday", "国庆节调休上班"),
    (D(2026, 10, 10), "workday", "国庆节调休上班"),
    # 2027: fixed-date statutory holidays only (see the docstring).
    (D(2027, 1, 1), "holiday", "元旦"),
    *_span(D(2027, 5, 1), D(2027, 5, 2), "劳动节"),
    *_span(D(2027, 10, 1), D(2027, 10, 3), "国庆节"),
]


def seed(apps, schema_editor):
    Holiday = apps.get_model("appraisal", "Holiday")
    have = set(Holiday.objects.filter(date__year__in=[2026, 2027]).values_list("date", flat=True))
    Holiday.objects.bulk_create(
        [Holiday(date=day, kind=kind, name=name) for day, kind, name in CALENDAR if day not in have]
    )


def unseed(apps, schema_editor):
    Holiday = apps.get_model("appraisal", "Holiday")
    Holiday.objects.filter(updated_by__isnull=True, date__in=[day for day, _k, _n in CALENDAR]).delete()


class Migration(migrations.Migration):
    dependencies = [("appraisal", "0005_holiday")]

    operations = [migrations.RunPython(seed, unseed)]
