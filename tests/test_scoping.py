"""The scoping selectors: the exact ids each persona sees, and the ids it must not."""

import pytest

from cadres.selectors import cadres_for
from tests import factories as f
from villages.selectors import departments_for, townships_for, villages_for


def ids(qs):
    return set(qs.values_list("id", flat=True))


@pytest.mark.django_db
def test_each_persona_sees_exactly_its_villages(world):
    w = world
    expected = {
        "alice": {w.a1v1.id, w.a1v2.id, w.a2v1.id},
        "olga": {w.a1v1.id, w.a1v2.id},
        "leo": {w.a1v1.id, w.a1v2.id, w.a2v1.id},
        "tom": {w.a1v1.id, w.a1v2.id},
        "vera": {w.a1v1.id},
        "dora": set(),
        "carl": {w.a1v1.id, w.a1v2.id, w.a2v1.id, w.b1v1.id},
        "bob": {w.b1v1.id},
    }
    for name, visible in expected.items():
        assert ids(villages_for(getattr(w, name))) == visible, name


@pytest.mark.django_db
def test_township_and_department_scopes(world):
    w = world
    assert ids(townships_for(w.tom)) == {w.a1.id}
    assert ids(townships_for(w.olga)) == {w.a1.id}
    assert ids(townships_for(w.bob)) == {w.b1.id}
    assert ids(townships_for(w.dora)) == set()
    assert ids(departments_for(w.dora)) == {w.ad1.id}
    assert ids(departments_for(w.alice)) == {w.ad1.id, w.ad2.id}
    assert w.bd1.id not in ids(departments_for(w.tom))


@pytest.mark.django_db
def test_cadres_follow_their_place(world):
    w = world
    mine = f.CadreFactory(village=w.a1v1)
    neighbour = f.CadreFactory(village=w.a2v1)
    other_county = f.CadreFactory(village=w.b1v1)
    assert ids(cadres_for(w.vera)) == {mine.id}
    assert ids(cadres_for(w.tom)) == {mine.id}
    assert ids(cadres_for(w.alice)) == {mine.id, neighbour.id}
    assert ids(cadres_for(w.bob)) == {other_county.id}
