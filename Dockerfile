# agentmock's stand-in server as a container image: every vendor's fake API on one port.
#
#   python -m build --wheel          # puts agentmock-<version>-py3-none-any.whl in dist/
#   docker build -t agentmock .      # or: podman build
#   docker run --rm -p 8080:8080 -e AGENTMOCK_ADMIN_TOKEN=secret agentmock
#
# Configuration is by environment: every `agentmock serve` flag has a variable named after it
# (AGENTMOCK_PORT, AGENTMOCK_ADMIN_TOKEN, AGENTMOCK_API_KEY=voicy=k1,millis=k2,
# AGENTMOCK_SEED=/seed/seed.yaml with a mounted file, AGENTMOCK_EMPTY, AGENTMOCK_NO_STRICT,
# AGENTMOCK_RATE_LIMIT, ...). Bound to 0.0.0.0, the admin API needs AGENTMOCK_ADMIN_TOKEN, or
# AGENTMOCK_ADMIN_OPEN=1 on a private network. GET /__admin/health needs no token.
FROM debian:bookworm-slim

RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 python3-venv ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && python3 -m venv /opt/agentmock

# The wheel (and, for a build without the package index, a wheelhouse beside it: PIP_OPTIONS=
# "--no-index --find-links /tmp/dist", as container/build-local.sh does).
COPY dist/ /tmp/dist/
ARG PIP_OPTIONS=""
RUN /opt/agentmock/bin/pip install --no-cache-dir ${PIP_OPTIONS} /tmp/dist/agentmock-*.whl \
    && rm -rf /tmp/dist \
    && useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin agentmock

USER agentmock
ENV PATH=/opt/agentmock/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    AGENTMOCK_HOST=0.0.0.0 \
    AGENTMOCK_PORT=8080 \
    AGENTMOCK_CACHE_DIR=/tmp/agentmock-cache
EXPOSE 8080
HEALTHCHECK --interval=5s --timeout=3s --start-period=5s --retries=3 \
    CMD ["python3", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ['AGENTMOCK_PORT'] + '/__admin/health', timeout=2)"]
# uvicorn handles SIGTERM as PID 1: requests in flight get 2 s, then the process exits.
STOPSIGNAL SIGTERM
ENTRYPOINT ["agentmock", "serve"]
