# Sillon production image: gunicorn serving Django (static files by WhiteNoise); the same
# image runs the Celery worker and beat, and the one-shot `migrate` service.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

FROM python:3.13-slim-bookworm
ENV PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DEBUG=0
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements/base.txt requirements/base.txt
RUN pip install --no-cache-dir --require-hashes -r requirements/base.txt
COPY --from=assets /app/node_modules/bootstrap/dist node_modules/bootstrap/dist
# The reference geography (Code officiel géographique) read by `load_territories`, at the
# version package-lock.json pins: nothing is downloaded at run time.
COPY --from=assets /app/node_modules/@etalab/decoupage-administratif/package.json \
    node_modules/@etalab/decoupage-administratif/package.json
COPY --from=assets /app/node_modules/@etalab/decoupage-administratif/data \
    node_modules/@etalab/decoupage-administratif/data
COPY . .
# collectstatic needs settings that import without production secrets.
RUN SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput \
    && useradd --system --home /app sillon \
    && mkdir -p /app/media /app/var && chown sillon /app/media /app/var
USER sillon
EXPOSE 8000
# Workers, timeouts, access log and start-up: gunicorn.conf.py.
CMD ["gunicorn", "--config", "gunicorn.conf.py", "sillon.wsgi:application"]
