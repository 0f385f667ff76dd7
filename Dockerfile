# REX production image: one image, three roles (web, worker, beat). See docs/deployment.md.
#
#   web    (default)  daphne -b 0.0.0.0 -p 8000 --proxy-headers rex_project.asgi:application
#   worker            celery -A rex_project worker -Q missions.high,missions.normal,missions.low,rex.control -c 4 --loglevel INFO
#   beat   (one only) celery -A rex_project beat --loglevel INFO -s /app/var/celerybeat-schedule
#   migrate (release) python manage.py migrate --noinput
#
# Every role needs DATABASE_URL, REDIS_URL and the same DJANGO_SECRET_KEY; the web role also DJANGO_ALLOWED_HOSTS.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=rex_project.settings \
    REX_VAR_DIR=/app/var \
    DJANGO_STATIC_ROOT=/app/staticfiles

WORKDIR /app

RUN groupadd --system rex \
    && useradd --system --gid rex --home-dir /app --no-create-home --shell /usr/sbin/nologin rex

# Dependencies first, so a code change does not reinstall them.
COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY . .

# Static files are collected into the image and served by WhiteNoise. The key given here exists only for this
# step, so that settings do not generate and bake a real one into a layer.
RUN DJANGO_SECRET_KEY=collectstatic-only-not-a-secret python manage.py collectstatic --noinput \
    && mkdir -p /app/var \
    && chown -R rex:rex /app/var

USER rex

EXPOSE 8000

CMD ["daphne", "-b", "0.0.0.0", "-p", "8000", "--proxy-headers", "rex_project.asgi:application"]
