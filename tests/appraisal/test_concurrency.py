"""Two people acting on the same appraisal at once: exactly one transition happens."""

import threading

import pytest
from django.db import close_old_connections, connection

from appraisal import services
from appraisal.models import Appraisal, AppraisalEvent
from tests.appraisal import factories as af

S = Appraisal.Status


def _race(*actions):
    """Run the actions in threads that start together; return what each raised (or None)."""
    barrier = threading.Barrier(len(actions))
    outcomes = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait()
            action()
        except Exception as exc:  # noqa: BLE001 - the outcome is what we test
            outcomes[index] = exc
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_two_township_users_checking_at_once(world, campaign):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    appraisal = af.submitted(campaign, world.a1v1, world.vera)
    tom_b = af.f.UserFactory(role="township", county=world.county_a, township=world.a1)
    scores = af.full_scores(appraisal)

    def check_by(user):
        return lambda: services.appraisal_township_check(appraisal=appraisal, user=user, scores=scores)

    def return_by(user):
        return lambda: services.appraisal_return(appraisal=appraisal, user=user, reason="不全")

    outcomes = _race(check_by(world.tom), return_by(tom_b))
    errors = [o for o in outcomes if o is not None]
    assert len(errors) == 1 and isinstance(errors[0], services.AppraisalChanged), outcomes
    appraisal = af.reload(appraisal)
    assert appraisal.status in (S.TOWNSHIP_CHECKED, S.DRAFT)
    transitions = AppraisalEvent.objects.filter(appraisal=appraisal, from_status=S.SUBMITTED)
    assert transitions.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_batches_reporting_the_same_village(world, campaign):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    kw = dict(secretary=world.vera, township_user=world.tom, county_admin=world.alice)
    appraisal = af.drive(af.start(campaign, world.a1v1), S.TOWNSHIP_CHECKED, **kw)
    outcomes = _race(
        lambda: services.appraisal_request_recheck(appraisals=[appraisal], user=world.tom),
        lambda: services.appraisal_request_recheck(appraisals=[appraisal], user=world.tom),
    )
    assert sum(o is None for o in outcomes) == 1
    assert AppraisalEvent.objects.filter(appraisal=appraisal, action="recheck_requested").count() == 1
