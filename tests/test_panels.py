"""Higher apps add panels to lower apps' pages through their AppConfig, not by being imported."""

import pytest
from django.apps import apps
from django.template import Context, Template
from django.test import RequestFactory

from campaign import panels


def greeting(*, request, obj, **extra):
    if obj == "nobody":
        return None
    return panels.Panel(template="partials/messages.html", context={"who": obj}, order=extra.get("order", 50))


@pytest.fixture
def registered(monkeypatch):
    config = apps.get_app_config("campaign")
    monkeypatch.setattr(config, "panels", {"test_slot": [(10, "tests.test_panels.greeting")]}, raising=False)
    return config


def test_a_registered_provider_is_collected_and_one_with_nothing_to_show_is_skipped(registered):
    request = RequestFactory().get("/")
    found = panels.collect("test_slot", request, "village")
    assert [p.context["who"] for p in found] == ["village"]
    assert panels.collect("test_slot", request, "nobody") == []
    assert panels.collect("other_slot", request, "village") == []


def test_the_template_tag_renders_nothing_without_a_request(registered):
    html = Template('{% load panels %}[{% panels "test_slot" obj %}]').render(Context({"obj": "village"}))
    assert html == "[]"
