"""Read settings from the environment and fail loudly on malformed values.

A typo in a deployment variable must stop the process at start-up, not surface
weeks later as a silently wrong default.
"""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name, default=None):
    value = os.environ.get(name)
    return default if value is None else value.strip()


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {value!r}")


def env_int(name, default):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from exc


def env_list(name, default=()):
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_database(name, default):
    import dj_database_url

    url = os.environ.get(name) or default
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except (ValueError, KeyError) as exc:
        raise ImproperlyConfigured(f"{name} is not a valid database URL: {url!r}") from exc
    if not config.get("ENGINE"):
        raise ImproperlyConfigured(f"{name} names an unsupported database: {url!r}")
    if not config["ENGINE"].endswith("sqlite3") and not config.get("NAME"):
        raise ImproperlyConfigured(f"{name} must name a database (…/dbname): {url!r}")
    return config


def env_redis(name):
    value = os.environ.get(name, "").strip()
    if value and not value.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(f"{name} must start with redis://, rediss:// or unix://, got {value!r}")
    return value or None
