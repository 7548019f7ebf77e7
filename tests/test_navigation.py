"""The navigation shows each role only what it can use, grouped so the bar stays short."""

import pytest

from campaign.context_processors import nav_items_for, nav_menu_for


def urls(user):
    return {item["url"] for item in nav_items_for(user)}


@pytest.mark.django_db
def test_each_role_sees_only_its_sections(world):
    assert "/registry/townships/" in urls(world.alice)
    assert "/registry/townships/" not in urls(world.tom)
    assert "/registry/villages/" in urls(world.tom)
    assert "/registry/villages/" not in urls(world.vera)
    assert "/registry/villages/mine/" in urls(world.vera)


@pytest.mark.django_db
def test_the_bar_groups_sections_into_a_few_menus(world):
    menu = nav_menu_for(world.alice)
    flat = [item for entry in menu for item in entry.get("children", [entry])]
    assert len(flat) == len(nav_items_for(world.alice))
    assert len(menu) <= 9, [e["label"] for e in menu]


@pytest.mark.django_db
def test_every_nav_link_opens_for_its_role(world, login):
    for persona in (world.alice, world.olga, world.leo, world.tom, world.vera, world.dora, world.carl):
        client = login(persona)
        for url in urls(persona):
            response = client.get(url)
            assert response.status_code in (200, 302), (persona.username, url, response.status_code)


@pytest.mark.django_db
def test_home_page_renders_links_and_menus(world, login):
    page = login(world.alice).get("/menu/").content.decode()
    for item in nav_items_for(world.alice):
        assert f'href="{item["url"]}"' in page


@pytest.mark.django_db
def test_each_role_lands_where_its_work_is(world, login):
    expected = {
        world.vera: "/appraisal/",
        world.tom: "/appraisal/",
        world.leo: "/appraisal/",
        world.alice: "/steering/",
        world.carl: "/steering/",
        world.dora: "/appraisal/",
    }
    for persona, prefix in expected.items():
        response = login(persona).get("/", follow=True)
        assert response.status_code == 200, persona.username
        assert response.redirect_chain and response.redirect_chain[-1][0].startswith(prefix), (
            persona.username,
            response.redirect_chain,
        )
