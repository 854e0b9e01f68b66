# Opslagstavlen: a slim, non-root image that migrates and serves with several workers.
# Data (the SQLite database, the search index and the generated secret key) lives in /data.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    OPSLAGSTAVLE_DATA_DIR=/data

RUN useradd --system --create-home --uid 10001 opslagstavle \
    && mkdir /data && chown opslagstavle /data

WORKDIR /app

# Dependencies first, in their own layer, so a code change does not reinstall them.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml','rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt

COPY LICENSE README.md alembic.ini babel.cfg ./
COPY app ./app
COPY catalogue ./catalogue
COPY locales ./locales
COPY migrations ./migrations
RUN pip install --no-deps --editable . && python -m compileall -q app

USER opslagstavle
VOLUME ["/data"]
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"

# `serve` migrates the database before any worker starts.
CMD ["opslagstavle", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "4"]
