# Production-like image: gunicorn serving Django, the same image runs the Celery worker and beat.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 1000 app
WORKDIR /app

COPY pyproject.toml requirements.lock ./
RUN pip install --no-cache-dir -c requirements.lock \
    $(python -c 'import tomllib; print(" ".join(tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]))')
COPY . .
RUN DEBUG=1 python manage.py compilemessages -v0 \
    && DEBUG=1 python manage.py collectstatic --no-input -v0

USER app
EXPOSE 8000
CMD ["gunicorn", "learning_lead.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
