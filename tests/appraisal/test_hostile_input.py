"""The pages of this issue answer hostile values with a 400, a 403 or a message, never a 500."""

import pytest
from django.urls import reverse

from appraisal.models import Appraisal
from tests.appraisal import factories as af

S = Appraisal.Status
pytestmark = pytest.mark.django_db
HOSTILE = ["x" * 5000, "\x00", "1e309", "2026-13-45", "99999999999999999999", "²", "-1", ""]


def test_the_check_page(world, campaign, login):
    appraisal = af.drive(
        af.start(campaign, world.a1v1),
        S.RECHECK_REQUESTED,
        secretary=world.vera,
        township_user=world.tom,
        county_admin=world.alice,
    )
    client = login(world.alice)
    for value in HOSTILE:
        data = {f"score_{i.id}": value for i in af.indicators(appraisal)}
        data.update({f"remark_{i.id}": value for i in af.indicators(appraisal)})
        data.update(opinion=value, decision=value)
        assert client.post(reverse("appraisal:check", args=[appraisal.pk]), data).status_code == 400
    data = {f"score_{i.id}": "4" for i in af.indicators(appraisal)}
    data.update({f"remark_{i.id}": "带\x00空字符" for i in af.indicators(appraisal)})
    data.update(opinion="\x00", decision="recommend")
    assert client.post(reverse("appraisal:check", args=[appraisal.pk]), data).status_code == 302


@pytest.mark.parametrize(
    ("persona", "name", "field"),
    [
        ("alice", "appraisal:notice_open", "appraisal"),
        ("leo", "appraisal:approve", "appraisal"),
        ("tom", "appraisal:request_recheck", "appraisal"),
    ],
)
def test_id_lists(world, campaign, login, persona, name, field):
    client = login(getattr(world, persona))
    for value in HOSTILE:
        response = client.post(reverse(name), {field: [value], "starts_on": value, "title": value})
        assert response.status_code in (302, 400, 403), value


def test_query_strings(world, campaign, login):
    client = login(world.alice)
    for value in HOSTILE:
        for url in ("appraisal:recheck_queue", "appraisal:holiday_list", "appraisal:notice_list"):
            query = {"batch": value, "township": value, "year": value, "edit": value, "campaign": value}
            assert client.get(reverse(url), query).status_code in (200, 404), (url, value)


def test_holiday_and_withdrawal_forms(world, campaign, login):
    client = login(world.alice)
    for value in HOSTILE:
        response = client.post(
            reverse("appraisal:holiday_list"), {"date": value, "kind": value, "name": value}
        )
        assert response.status_code == 400
    appraisal = af.drive(
        af.start(campaign, world.a1v1),
        S.RECHECKED,
        secretary=world.vera,
        township_user=world.tom,
        county_admin=world.alice,
    )
    for value in HOSTILE:
        response = client.post(reverse("appraisal:notice_withdraw", args=[appraisal.pk]), {"reason": value})
        assert response.status_code in (302, 400)
