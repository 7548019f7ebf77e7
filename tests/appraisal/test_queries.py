"""Queues and title lists keep a fixed number of queries whatever their size."""

import datetime

import pytest
from django.urls import reverse

from appraisal import services
from appraisal.models import Appraisal
from tests import factories as f
from tests.appraisal import factories as af

S = Appraisal.Status


def _villages(world, township, n):
    return [f.VillageFactory(township=township) for _ in range(n)]


def _appraisals(campaign, villages, status):
    """Appraisals created directly in a state (the workflow itself is tested elsewhere)."""
    rows = []
    for village in villages:
        a = af.start(campaign, village)
        Appraisal.objects.filter(pk=a.pk).update(status=status, self_points=90, township_points=88)
        rows.append(a)
    return rows


def _titles(campaign, villages, today):
    return [
        af.TitleFactory(village=v, campaign=campaign, valid_until=today + datetime.timedelta(days=30 + i))
        for i, v in enumerate(villages)
    ]


@pytest.mark.parametrize("size", [2, 12])
def test_township_queue_queries(world, campaign, login, django_assert_max_num_queries, size):
    _appraisals(campaign, _villages(world, world.a1, size), S.SUBMITTED)
    client = login(world.tom)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("appraisal:township_queue"))
    assert len(response.context["page_obj"]) == size


@pytest.mark.parametrize("size", [2, 12])
def test_recheck_queue_queries(world, campaign, login, django_assert_max_num_queries, size):
    _appraisals(campaign, _villages(world, world.a1, size), S.RECHECK_REQUESTED)
    client = login(world.alice)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("appraisal:recheck_queue"))
    assert len(response.context["page_obj"]) == size


@pytest.mark.parametrize("size", [2, 12])
def test_title_list_queries(world, campaign, login, django_assert_max_num_queries, size):
    today = datetime.date.today()
    _titles(campaign, _villages(world, world.a1, size), today)
    client = login(world.alice)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("appraisal:title_list"))
    assert len(response.context["page_obj"]) == size


@pytest.mark.parametrize("size", [2, 12])
def test_approval_and_list_queries(world, campaign, login, django_assert_max_num_queries, size):
    rows = _appraisals(campaign, _villages(world, world.a1, size), S.RECHECKED)
    services.public_notice_open(
        campaign=campaign,
        appraisals=rows,
        user=world.alice,
        starts_on=datetime.date(2026, 6, 1),
        today=datetime.date(2026, 6, 1),
    )
    client = login(world.leo)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("appraisal:approval"))
    assert sum(len(b["appraisals"]) for b in response.context["batches"]) == size
    client = login(world.alice)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("appraisal:appraisal_list"))
    assert len(response.context["page_obj"]) == size
