# Samtal's container image: the same Debian 12 packages as the Debian route
# (deploy/install-debian.sh), the production lock file only, a non-root user.
#   docker build -t samtal .        then see compose.yaml and README.md (Production)
FROM debian:12-slim

ENV LANG=C.UTF-8 \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/srv/samtal/.venv/bin:$PATH \
    WEB_PORT=8000 \
    WEB_CONCURRENCY=2 \
    FORWARDED_ALLOW_IPS=127.0.0.1

SHELL ["/bin/bash", "-o", "pipefail", "-c"]
WORKDIR /srv/samtal

COPY deploy/install-debian.sh deploy/install-debian.sh
RUN deploy/install-debian.sh --container \
    && groupadd --system --gid 10001 samtal \
    && useradd --system --uid 10001 --gid samtal --home-dir /srv/samtal --shell /usr/sbin/nologin samtal

COPY requirements/prod.txt requirements/prod.txt
RUN python3 -m venv .venv \
    && .venv/bin/pip install --no-cache-dir --disable-pip-version-check \
        --require-hashes -r requirements/prod.txt

COPY . .
# Static files are collected into the image (served by WhiteNoise); var/ holds media and the
# live cache and is the only place the app writes (var/media is a volume in compose.yaml).
RUN SECRET_KEY=collectstatic-only EMAIL_BACKEND=django.core.mail.backends.dummy.EmailBackend \
        python manage.py collectstatic --noinput -v 0 \
    && mkdir -p var/media var/cache \
    && chown -R samtal:samtal var

USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "deploy/healthcheck.py"]
CMD ["sh", "-c", "exec uvicorn samtal.asgi:application --host 0.0.0.0 --port \"$WEB_PORT\" --workers \"$WEB_CONCURRENCY\" --proxy-headers --forwarded-allow-ips \"$FORWARDED_ALLOW_IPS\" --no-server-header --timeout-graceful-shutdown 20"]
