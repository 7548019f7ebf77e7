"""Settings for benchmarks: production settings (DEBUG off), minus what needs a deployment.

Static files are not collected in the scratch run and requests come from the
test client over plain HTTP, so the manifest storage and the HTTPS redirect
are turned off; everything else is what production runs.
"""

import warnings

from campaign.settings import *  # noqa: F403

# whitenoise warns that STATIC_ROOT does not exist (nothing is collected here).
warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SECURE_SSL_REDIRECT = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
