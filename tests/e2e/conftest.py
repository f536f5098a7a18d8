"""The production stack, started for real on free ports and stopped again: a PostgreSQL
database of its own (on the server ``DATABASE_URL`` names), a ``redis-server``, an SMTP server,
two gunicorn app servers and the task worker under ``config.settings.prod``, and Debian's nginx
running the site file rendered from ``deploy/`` with a self-signed certificate.

It runs in CI's PostgreSQL pass; in CI a missing nginx fails it (``.ci/run`` installs it),
elsewhere it skips saying how to install it.
"""

import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from tests.e2e.stack import (
    DEBIAN_NGINX_CONF,
    EMAIL_TIMEOUT,
    HOST,
    Database,
    MailServer,
    Service,
    Stack,
    certificate,
    ipv6_available,
    nginx_main_conf,
    run,
    wait_for_port,
    wait_until_answering,
)
from tests.servers import RedisServer, free_port


def nginx_binary() -> str:
    # /usr/sbin is not on every user's PATH.
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
    if found is None or not DEBIAN_NGINX_CONF.exists():
        message = "nginx not found: install Debian's package with `apt-get install -y nginx`."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


def postgres_server_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if urlsplit(url).scheme not in {"postgres", "postgresql", "pgsql"}:
        pytest.skip(
            "the production end-to-end test needs PostgreSQL: it runs in the PostgreSQL pass "
            "(DATABASE_URL=postgres://...)"
        )
    return url


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    server_url = postgres_server_url()
    nginx = nginx_binary()
    timings: dict[str, float] = {}
    started = time.monotonic()

    # Readable by nginx's workers (www-data when the test runs as root), as /srv/forum is.
    directory = Path(tempfile.mkdtemp(prefix="forum-e2e-"))
    directory.chmod(0o755)
    media = directory / "media"
    media.mkdir(mode=0o755)
    database = Database(server_url)
    redis = RedisServer()
    mail = MailServer()
    https_port, http_port = free_port(), free_port()
    app_ports = [free_port(), free_port()]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "DATABASE_URL": database.url,
        "REDIS_URL": redis.url,
        "MEDIA_ROOT": str(media),
        "TRUSTED_PROXY_COUNT": "1",
        "FORUM_SITE_URL": f"https://{HOST}",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(mail.port),
        "EMAIL_TIMEOUT": str(EMAIL_TIMEOUT),
        "DEFAULT_FROM_EMAIL": f"forum@{HOST}",
        # The first retry of a failed delivery after 2 s rather than 30 s.
        "OUTBOX_RETRY_DELAY_SECONDS": "2",
        "FORUM_FLOOD_SECONDS": "0",
        "LOG_LEVEL": "INFO",
        "WEB_CONCURRENCY": "2",
        "PYTHONUNBUFFERED": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    for name in ("DEBUG", "AVATAR_MAX_BYTES", "SECURE_SSL_REDIRECT", "OUTBOX_DELIVERY_BACKEND"):
        env.pop(name, None)

    python = sys.executable
    gunicorn = str(Path(python).parent / "gunicorn")
    app_servers = [
        Service(
            f"gunicorn :{port}",
            [
                *(gunicorn, "--config", "deploy/gunicorn.conf.py"),
                *("--bind", f"127.0.0.1:{port}", "config.wsgi"),
            ],
            directory / f"gunicorn-{port}.log",
            env,
        )
        for port in app_ports
    ]
    worker = Service(
        "task worker",
        [
            *(python, "manage.py", "db_worker", "--queue-name", "*"),
            *("--interval", "0.2", "--no-startup-delay"),
        ],
        directory / "worker.log",
        env,
    )
    site = directory / "forum.conf"
    nginx_service = Service(
        "nginx",
        [nginx, "-p", str(directory), "-c", str(directory / "nginx.conf"), "-g", "daemon off;"],
        directory / "nginx.log",
        env,
    )
    services = [*app_servers, worker, nginx_service]
    result = Stack(
        directory=directory,
        database=database,
        mail=mail,
        cafile="",
        https_port=https_port,
        http_port=http_port,
        access_log=directory / "forum-access.log",
        app_servers=app_servers,
        app_ports=app_ports,
        services=services,
        timings=timings,
    )
    try:
        database.create()
        run([python, "manage.py", "migrate", "--noinput", "-v", "0"], env=env, step="migrate")
        timings["migrate"] = time.monotonic() - started
        run(
            [python, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            env=env,
            step="collectstatic",
        )
        timings["collectstatic"] = time.monotonic() - started
        redis.start()
        mail.start()
        cert, key = certificate(directory)
        result.cafile = cert
        rendered = subprocess.run(
            [
                *(python, "deploy/render_nginx_site.py", "--server-name", HOST),
                *(arg for port in app_ports for arg in ("--upstream", f"127.0.0.1:{port}")),
                *("--certificate", cert, "--certificate-key", key),
                *("--static-root", str(settings.BASE_DIR / "staticfiles")),
                *("--media-root", str(media)),
                *("--https-port", str(https_port), "--http-port", str(http_port)),
                *("--access-log", str(result.access_log)),
                *("--error-log", str(directory / "forum-error.log")),
                *(() if ipv6_available() else ("--no-ipv6",)),
            ],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        site.write_text(rendered.stdout)
        (directory / "nginx.conf").write_text(nginx_main_conf(directory, site))
        run(
            [nginx, "-t", "-p", str(directory), "-c", str(directory / "nginx.conf")],
            env=env,
            step="nginx -t",
        )
        for server in app_servers:
            server.start()
        worker.start()
        nginx_service.start()
        for server, port in zip(app_servers, app_ports, strict=True):
            wait_until_answering(server, port, "/healthz")
        wait_for_port(nginx_service, https_port)
        timings["stack up"] = time.monotonic() - started
        yield result
    finally:
        for service in reversed(services):
            service.stop()
        mail.stop()
        if redis.process is not None:
            redis.kill()
        database.drop()
        timings["total"] = time.monotonic() - started
        print("timings (s, cumulative):", {k: round(v, 1) for k, v in timings.items()})
        print(result.logs())
        shutil.rmtree(directory, ignore_errors=True)
