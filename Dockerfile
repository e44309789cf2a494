# The Sinergi web image (used by compose.yaml for both the one-shot migrator and the web service).
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
COPY pyproject.toml README.md piccolo_conf.py ./
COPY forum ./forum
COPY search ./search
COPY templates ./templates
COPY static ./static
RUN pip install . && useradd --system --uid 10001 sinergi && mkdir -p /app/.data && chown sinergi /app/.data
USER sinergi
EXPOSE 8000
# The app reads X-Forwarded-* itself, and only from the proxies listed in FORWARDED_ALLOW_IPS (empty: none).
CMD ["uvicorn", "forum.app:create_app", "--factory", "--host", "0.0.0.0", "--port", "8000", "--workers", "4", "--no-proxy-headers"]
