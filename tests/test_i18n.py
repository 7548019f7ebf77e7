"""Simplified Chinese is the default and complete; English is available."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_every_translatable_string_has_a_chinese_translation(tmp_path):
    """Re-extract the catalogues from a copy of the code: nothing new, nothing untranslated."""
    if shutil.which("xgettext") is None:
        pytest.skip("gettext is not installed (make setup installs it)")
    copy = tmp_path / "src"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "static", "staticfiles", "media", ".test-media", "bench"
        ),
    )
    env = {**os.environ, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "campaign.settings"}
    env.pop("DATABASE_URL", None)
    subprocess.run([sys.executable, "manage.py", "translations", "update"], cwd=copy, env=env, check=True)
    result = subprocess.run(
        [sys.executable, "manage.py", "translations", "missing"],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, "Untranslated strings:\n" + result.stdout


@pytest.mark.django_db
def test_pages_are_chinese_by_default_and_english_on_request(client, world):
    client.force_login(world.alice)
    page = client.get("/menu/").content.decode()
    assert "首页" in page or "乡镇" in page
    assert "Townships" not in page

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/menu/"})
    assert response.status_code == 302
    page = client.get("/menu/").content.decode()
    assert "Townships" in page
    assert "乡镇</a>" not in page


@pytest.mark.django_db
def test_an_english_browser_still_gets_chinese_until_english_is_chosen(client, world):
    client.force_login(world.alice)
    page = client.get("/menu/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "乡镇" in page
    assert "Townships" not in page


def test_a_word_shared_by_two_catalogues_is_translated_the_same_in_both():
    """Gettext merges the catalogues and the first one wins, so a conflict would show the wrong word."""
    import polib
    from django.conf import settings

    seen, conflicts = {}, []
    for path in settings.LOCALE_PATHS:
        po_path = Path(path) / "zh_Hans" / "LC_MESSAGES" / "django.po"
        if not po_path.exists():
            continue
        for entry in polib.pofile(str(po_path)):
            if entry.obsolete or not entry.msgstr:
                continue
            key = (entry.msgctxt, entry.msgid)
            if key in seen and seen[key][1] != entry.msgstr:
                conflicts.append(
                    f"{entry.msgid!r}: {seen[key][0]} says {seen[key][1]!r}, {po_path} says {entry.msgstr!r}"
                )
            seen.setdefault(key, (po_path, entry.msgstr))
    assert not conflicts, "\n".join(conflicts)
