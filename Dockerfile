# REX production image: one image, four roles plus the release step. See docs/deployment.md; compose.yaml and
# deploy/k8s/ run exactly these commands.
#
#   web            (default)  gunicorn -c python:ops.webserver -b 0.0.0.0:8000 rex_project.asgi:application
#   worker                    celery -A rex_project worker -Q missions.high,missions.normal,missions.low -n rex@%h
#                                    --concurrency $REX_WORKER_CONCURRENCY
#   control worker            celery -A rex_project worker -Q rex.control -n rex-control@%h -c 2
#   beat           (one only) celery -A rex_project beat -s /app/var/celerybeat-schedule
#   migrate        (release)  python manage.py migrate --noinput
#
# Every role needs DATABASE_URL, REDIS_URL, the same DJANGO_SECRET_KEY and the same REX_ENCRYPTION_KEYS; the web
# role also DJANGO_ALLOWED_HOSTS.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=rex_project.settings \
    REX_VAR_DIR=/app/var \
    DJANGO_STATIC_ROOT=/app/staticfiles

WORKDIR /app

# A fixed uid/gid (10001, above any system range) so that Kubernetes' runAsNonRoot/runAsUser/fsGroup and volume
# ownership can name it without looking inside the image.
RUN groupadd --system --gid 10001 rex \
    && useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home --shell /usr/sbin/nologin rex

# A C compiler for the PII detector's mypyc build below (scripts/build_pii.py).
RUN apt-get update \
    && apt-get install -y --no-install-recommends gcc libc6-dev \
    && rm -rf /var/lib/apt/lists/*

# Dependencies first, so a code change does not reinstall them.
COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY . .

# The PII detector as C extensions beside its sources (docs/pii.md); its build directory is not needed at run time.
RUN python scripts/build_pii.py && rm -rf build

# Static files are collected into the image and served by WhiteNoise. The key given here exists only for this
# step, so that settings do not generate and bake a real one into a layer.
RUN DJANGO_SECRET_KEY=collectstatic-only-not-a-secret python manage.py collectstatic --noinput \
    && mkdir -p /app/var \
    && chown -R rex:rex /app/var

# Numeric, so the kubelet can verify runAsNonRoot without resolving a user name.
USER 10001:10001

EXPOSE 8000

# Uvicorn workers under gunicorn (ops/webserver.py): HTTP and websockets on the same port.
CMD ["gunicorn", "-c", "python:ops.webserver", "-b", "0.0.0.0:8000", "rex_project.asgi:application"]
