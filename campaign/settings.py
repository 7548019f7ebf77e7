"""Settings for Lianchuang, read from the environment (see README, "Configuration")."""

import ipaddress
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from campaign.env import env_bool, env_database, env_int, env_list, env_redis, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = "insecure-development-key-only-for-debug-mode-0123456789abcdef"
    elif env_bool("LIANCHUANG_KEYLESS_COMMAND", False):
        # makemigrations and the translation commands (see manage.py) sign nothing.
        import secrets

        SECRET_KEY = secrets.token_urlsafe(50)
    else:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")

# Demo mode (README, "Demo mode"): the only mode in which seed_demo runs and the public demo
# password logs in; plain HTTP is allowed when the app only answers on this machine. Production
# never sets it.
DEMO_MODE = env_bool("DEMO_MODE", False)
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG or DEMO_MODE else [])
# Plain HTTP is acceptable only for a demo that nobody else can reach.
_PLAIN_HTTP_DEMO = DEMO_MODE and bool(ALLOWED_HOSTS) and set(ALLOWED_HOSTS) <= LOOPBACK_HOSTS
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Reverse proxies whose X-Forwarded-For is believed (campaign/net.py): addresses or networks,
# e.g. "10.0.0.5,172.18.0.0/16". Empty: the header is ignored and the peer address is the client.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
try:
    TRUSTED_PROXY_NETWORKS = [ipaddress.ip_network(entry, strict=False) for entry in TRUSTED_PROXIES]
except ValueError as exc:
    raise ImproperlyConfigured(f"TRUSTED_PROXIES must list IP addresses or networks: {exc}") from exc

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_celery_beat",
    "axes",
    "campaign",
    "villages",
    "villages.importer",
    "cadres",
    "appraisal",
    "campaign.steering",
    "campaign.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "campaign.headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "campaign.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # An account whose password an administrator set goes to the password page first.
    "campaign.accounts.middleware.PasswordChangeRequiredMiddleware",
    # Last, so that its process_exception sees a view's database error first.
    "campaign.errors.DatabaseUnavailableMiddleware",
    # Turns a locked login into the "too many attempts" page (django-axes wants to be last).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "campaign.urls"
WSGI_APPLICATION = "campaign.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "campaign.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {"default": env_database("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
# Every request is one transaction: a view that fails half-way writes nothing.
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # An unreachable database host must not hold a request (and a web worker) for minutes:
    # after this many seconds the page answers 503 (campaign/errors.py).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 5)
    )
# Seconds a 503 "database unreachable" page asks browsers and proxies to wait (Retry-After).
DATABASE_RETRY_AFTER = env_int("DATABASE_RETRY_AFTER", 30)
_test_db_name = env_str("TEST_DATABASE_NAME")
if _test_db_name:
    DATABASES["default"]["TEST"] = {"NAME": _test_db_name}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "campaign.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
CSRF_FAILURE_VIEW = "campaign.errors.csrf_failure"

# 等保 2.0 practice: 12 characters, three character classes, none of the campaign's own words
# (campaign/accounts/passwords.py). Demo users are created without these (seed_demo, demo mode).
AUTHENTICATION_BACKENDS = [
    # Refuses a locked username or address before the password is even checked.
    "campaign.accounts.throttle.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling (django-axes, counters in the database shared by every worker; README
# "Logins and passwords"). A username locks after LOGIN_FAILURE_LIMIT failures, an address
# after LOGIN_ADDRESS_FAILURE_LIMIT, both for LOGIN_LOCK_MINUTES after the last failure.
AXES_HANDLER = "campaign.accounts.throttle.LoginThrottleHandler"
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 20)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCK_MINUTES", 15))
if min(AXES_FAILURE_LIMIT, LOGIN_ADDRESS_FAILURE_LIMIT, AXES_COOLOFF_TIME.total_seconds()) <= 0:
    raise ImproperlyConfigured(
        "LOGIN_FAILURE_LIMIT, LOGIN_ADDRESS_FAILURE_LIMIT and LOGIN_LOCK_MINUTES must be positive"
    )
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "campaign.net.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "campaign.accounts.views.locked_out"
AXES_VERBOSE = False
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "campaign.accounts.passwords.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "campaign.accounts.passwords.OrganisationWordsValidator"},
]

LANGUAGE_CODE = env_str("LANGUAGE_CODE", default="zh-hans")
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(f"LANGUAGE_CODE must be one of {', '.join(dict(LANGUAGES))}")
# One catalogue per app, so that each part of the code base keeps its own
# translations. Nested apps come before their parent and the project-wide
# catalogue (templates/, shared strings) last: `makemessages` files each
# string under the first listed path that contains it.
LOCALE_PATHS = [
    BASE_DIR / "campaign" / "reports" / "locale",
    BASE_DIR / "campaign" / "steering" / "locale",
    BASE_DIR / "campaign" / "locale",
    BASE_DIR / "villages" / "importer" / "locale",
    BASE_DIR / "villages" / "locale",
    BASE_DIR / "cadres" / "locale",
    BASE_DIR / "appraisal" / "locale",
    BASE_DIR / "locale",
]
TIME_ZONE = env_str("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded evidence lives outside the static root and is only ever served by
# permission-checked views, never by the web server directly.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_URL = "/media/"  # no URL pattern serves it: files go out through permission-checked views
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_BYTES", 20 * 1024 * 1024)
# Caps on a whole upload request, checked before its body is read (campaign/uploads.py): a
# self-report saved with evidence for several indicators at once, a notice reply with its files.
EVIDENCE_REQUEST_MAX_BYTES = env_int("EVIDENCE_REQUEST_MAX_BYTES", 60 * 1024 * 1024)
NOTICE_REPLY_MAX_BYTES = env_int("NOTICE_REPLY_MAX_BYTES", 50 * 1024 * 1024)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Celery: Redis as broker when REDIS_URL is set; otherwise tasks run inline so
# that the zero-setup quick start still works.
REDIS_URL = env_redis("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = REDIS_URL is None or env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# The queue tasks are sent to (the real-worker tests give each test a queue of its own).
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
# Large registry imports (villages.importer.tasks) may take longer than a PDF.
IMPORT_TASK_TIME_LIMIT = 30 * 60
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A request that sends a job must not hang when Redis is down (campaign/jobs.py): connect
# within 2 s, retry twice, then the job is marked failed with "后台服务暂不可用，请稍后重试".
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 2
_FEW_RETRIES = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}
CELERY_TASK_PUBLISH_RETRY_POLICY = _FEW_RETRIES
# With acks_late, Redis hands an unacknowledged task to another worker once
# this many seconds have passed (a worker killed mid-task is noticed this
# way). Just above the longest task's hard limit: longer, and a killed job would wait that
# long; shorter, and a slow task would run twice.
CELERY_VISIBILITY_TIMEOUT = env_int(
    "CELERY_VISIBILITY_TIMEOUT", max(CELERY_TASK_TIME_LIMIT, IMPORT_TASK_TIME_LIMIT) + 5 * 60
)
if CELERY_VISIBILITY_TIMEOUT <= 0:
    raise ImproperlyConfigured("CELERY_VISIBILITY_TIMEOUT must be a positive number of seconds")
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    "socket_connect_timeout": 2,
    **_FEW_RETRIES,
}
# How often (seconds) a worker looks for such abandoned tasks; kombu's default
# sweep is every 100 s. The real-worker test lowers it to notice at once.
_restore_every = env_int("CELERY_UNACKED_RESTORE_INTERVAL", 0)
if _restore_every > 0:
    CELERY_BROKER_TRANSPORT_OPTIONS |= {
        "unacked_restore_interval": _restore_every,
        "unacked_restore_throttle": 1,
    }
# The result store is Redis too: without this it retries twenty times, a second apart.
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    "retry_policy": _FEW_RETRIES,
}
# How often beat runs the sweeper of stale jobs (campaign.tasks.sweep_stale_jobs), in seconds.
JOBS_SWEEP_EVERY = env_int("JOBS_SWEEP_EVERY", 5 * 60)
CELERY_RESULT_EXPIRES = 24 * 60 * 60
CELERY_TASK_TRACK_STARTED = True
CELERY_WORKER_SEND_TASK_EVENTS = False

# Progress reports: how often the scheduled report is taken (a beat schedule
# is registered after migrate and stays editable in the admin).
REPORTS_SCHEDULE = env_str("REPORTS_SCHEDULE", default="monthly")
if REPORTS_SCHEDULE not in ("monthly", "bimonthly", "quarterly"):
    raise ImproperlyConfigured("REPORTS_SCHEDULE must be monthly, bimonthly or quarterly")
# Test hook only: seconds to wait between writing a PDF and moving it into
# place, so that a test can kill a worker in the middle of a briefing.
REPORTS_RENDER_DELAY = env_int("REPORTS_RENDER_DELAY", 0)

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", default="lianchuang@localhost")
NOTIFY_BY_EMAIL = env_bool("NOTIFY_BY_EMAIL", False)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 60 * 60
X_FRAME_OPTIONS = "DENY"
# Sent on every response by campaign.headers (README, "Security"). No page
# carries inline script, inline style or an on*= handler (tests/test_csp.py);
# data: images are Bootstrap's CSS icons (select arrows, check marks).
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
}
# Nothing in the app uses these browser features; an injected frame or script cannot either.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    # County intranets terminate TLS at a proxy; these are overridable for a
    # plain-HTTP trial behind a firewall, and off by default for a demo on 127.0.0.1.
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not _PLAIN_HTTP_DEMO)
    # Health probes (compose, load balancers) speak plain HTTP inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not _PLAIN_HTTP_DEMO)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not _PLAIN_HTTP_DEMO)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if _PLAIN_HTTP_DEMO else 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", default="INFO")},
}

# Page size of every list in the app.
PAGE_SIZE = 25
