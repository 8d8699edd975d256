# Kaoping's image: the same commands as docs/deployment.md (gunicorn with
# deploy/gunicorn.conf.py, `manage.py db_worker`, `kaoping backup`), on Debian 12's Python.
# Build: docker build -t kaoping .      Run the whole recipe: docker compose up -d
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    KAOPING_DATA_DIR=/var/lib/kaoping \
    KAOPING_BIND=0.0.0.0:8000 \
    KAOPING_LOG_FORMAT=json \
    PATH=/srv/kaoping/.venv/bin:$PATH

# Pango and the Noto CJK fonts: the archival PDFs (WeasyPrint, docs/documents.md).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --system --home-dir /srv/kaoping --shell /usr/sbin/nologin kaoping \
    && mkdir -p /srv/kaoping /var/lib/kaoping \
    && chown kaoping:kaoping /var/lib/kaoping
WORKDIR /srv/kaoping

# Dependencies first (cached while only the code changes), then the code.
COPY pyproject.toml README.md ./
COPY config config
COPY kaoping kaoping
COPY deploy deploy
COPY manage.py ./
RUN python -m venv .venv \
    && .venv/bin/pip install --no-cache-dir ".[rq]" \
    && .venv/bin/python -m compileall -q kaoping config

USER kaoping
VOLUME ["/var/lib/kaoping"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --retries=3 \
    CMD python -c "import urllib.request as u; u.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"
# Static files go to the data volume, which nginx reads (compose.yaml).
CMD ["sh", "-c", "python manage.py collectstatic --noinput --verbosity 0 && exec gunicorn --config deploy/gunicorn.conf.py"]
