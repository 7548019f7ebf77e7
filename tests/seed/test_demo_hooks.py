import sys

import pytest
from django.core.management import call_command

from campaign.management.commands import seed_demo


@pytest.fixture
def package(tmp_path, monkeypatch):
    """A throw-away package ``lc_hooktest`` on sys.path."""
    root = tmp_path / "lc_hooktest"
    root.mkdir()
    (root / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield root
    for name in list(sys.modules):
        if name.startswith("lc_hooktest"):
            del sys.modules[name]


def test_missing_hook_module_or_package_is_skipped(package):
    assert seed_demo.load_hook("lc_hooktest.demo") is None
    assert seed_demo.load_hook("lc_hooktest_absent.steering.demo") is None


def test_a_hook_whose_own_import_fails_is_an_error(package):
    (package / "demo.py").write_text("import lc_dependency_that_does_not_exist\n")
    with pytest.raises(ModuleNotFoundError, match="lc_dependency_that_does_not_exist"):
        seed_demo.load_hook("lc_hooktest.demo")


@pytest.mark.django_db
def test_hooks_run_in_order_with_the_demo_county_on_every_run(package, monkeypatch):
    (package / "first.py").write_text(
        "calls = []\ndef seed(county):\n    calls.append(('first', county.code))\n"
    )
    (package / "second.py").write_text(
        "from lc_hooktest import first\ndef seed(county):\n    first.calls.append(('second', county.code))\n"
    )
    monkeypatch.setattr(seed_demo, "HOOKS", ("lc_hooktest.first", "lc_hooktest.absent", "lc_hooktest.second"))
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    from lc_hooktest import first

    assert first.calls == [("first", "150424"), ("second", "150424")] * 2
