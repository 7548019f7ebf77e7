"""Test settings: the real settings, made faster where speed costs no realism."""

import os

os.environ.setdefault("DEBUG", "1")

from campaign.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LANGUAGE_CODE = "zh-hans"
# Tests run tasks inline unless a test starts a real worker on purpose
# (tests/reports/test_worker.py does, against Redis).
CELERY_TASK_ALWAYS_EAGER = True
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
# Tests load the demo county (seed_demo runs only in demo mode); the tests of production
# behaviour (demo password refused, seed_demo refused) turn it off with the settings fixture.
DEMO_MODE = env_bool("DEMO_MODE", True)  # noqa: F405
