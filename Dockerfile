# One image for web (gunicorn), worker and beat (celery); see docker-compose.yml.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# CJK fonts and Pango for WeasyPrint's PDFs (libharfbuzz-subset0 makes CJK font
# subsetting about 50 times faster); gettext for compilemessages. Not pinned:
# bookworm's point releases only bring security fixes, which we want.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        fonts-noto-cjk \
        gettext \
        libharfbuzz-subset0 \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first, so that a code change does not reinstall them.
COPY pyproject.toml ./
RUN pip install .

COPY . .

# Build-time only values: nothing here connects to a database or keeps the key.
RUN DEBUG=0 SECRET_KEY=build-only-not-a-secret python manage.py compilemessages -v 0 --ignore=.venv \
    && DEBUG=0 SECRET_KEY=build-only-not-a-secret python manage.py collectstatic --noinput -v 0

RUN groupadd --system --gid 10001 lianchuang \
    && useradd --system --uid 10001 --gid 10001 --create-home --home-dir /home/lianchuang \
        --shell /usr/sbin/nologin lianchuang \
    && mkdir -p /data/media \
    && chown -R lianchuang:lianchuang /data/media
USER 10001:10001

ENV MEDIA_ROOT=/data/media
EXPOSE 8000
# --max-requests: each web worker is replaced after about 500 requests (jitter: not all at once), so
# memory a large page or export once took is given back.
CMD ["gunicorn", "campaign.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--timeout", "120", "--max-requests", "500", "--max-requests-jitter", "50", "--access-logfile", "-"]
