"""The pieces of the production stack the end-to-end test starts (``conftest.stack``): servers
on free ports of their own, each stoppable, and the helpers that wait for them."""

import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
from aiosmtpd.controller import Controller
from django.conf import settings
from psycopg import sql

from tests.e2e.client import Visitor
from tests.servers import free_port

HOST = "forum.test"
DEBIAN_NGINX_CONF = Path("/etc/nginx/nginx.conf")
# Short, so a request that waited for a hung mail server would show; long enough for a real
# one on loopback.
EMAIL_TIMEOUT = 6


class Mailbox:
    """An aiosmtpd handler keeping every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope.content.decode("utf-8", "replace"))
        return "250 Message accepted for delivery"


class MailServer:
    """A real SMTP server on a fixed free port that can stop, hang, and start again."""

    def __init__(self) -> None:
        self.port = free_port()
        self.mailbox = Mailbox()
        self.controller: Controller | None = None
        self.silent: socket.socket | None = None

    def start(self) -> None:
        self._close_silent()
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def hang(self) -> None:
        """Stop answering but keep the port: connections are accepted by the kernel and never
        greeted, so a sender waits its whole EMAIL_TIMEOUT (worse than a refused connection)."""
        self.stop()
        self.silent = socket.socket()
        self.silent.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.silent.bind(("127.0.0.1", self.port))
        self.silent.listen(64)

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None
        self._close_silent()

    def _close_silent(self) -> None:
        if self.silent is not None:
            self.silent.close()
            self.silent = None

    def wait_for(self, pattern: str, *, seconds: float, step: str) -> str:
        """The first message matching ``pattern`` (a regex), waiting up to ``seconds``."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for message in self.mailbox.messages:
                if re.search(pattern, message):
                    return message
            time.sleep(0.1)
        raise AssertionError(
            f"{step}: no mail matching {pattern!r} within {seconds:g} s "
            f"({len(self.mailbox.messages)} received)"
        )


class Database:
    """A uniquely named database on the PostgreSQL server of ``DATABASE_URL``, dropped at the
    end. An outage is played by refusing new connections and ending the open ones."""

    def __init__(self, server_url: str) -> None:
        self.name = f"forum_e2e_{secrets.token_hex(6)}"
        parts = urlsplit(server_url)
        self.url = parts._replace(path=f"/{self.name}").geturl()
        self.maintenance_url = parts._replace(path="/postgres").geturl()

    def _execute(self, statement: sql.Composable, *params) -> None:
        with psycopg.connect(self.maintenance_url, autocommit=True) as connection:
            connection.execute(statement, params or None)

    def query(self, statement: str, *params) -> list[tuple]:
        with psycopg.connect(self.url) as connection:
            return connection.execute(statement, params).fetchall()

    def create(self) -> None:
        self._execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.name)))

    def refuse_connections(self) -> None:
        name = sql.Identifier(self.name)
        self._execute(sql.SQL("ALTER DATABASE {} WITH ALLOW_CONNECTIONS false").format(name))
        self._execute(
            sql.SQL("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s"),
            self.name,
        )

    def allow_connections(self) -> None:
        name = sql.Identifier(self.name)
        self._execute(sql.SQL("ALTER DATABASE {} WITH ALLOW_CONNECTIONS true").format(name))

    def drop(self) -> None:
        self._execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.name))
        )


@dataclass
class Service:
    """A server process in its own session, so it and its children stop together."""

    name: str
    argv: list[str]
    log: Path
    env: dict[str, str]
    process: subprocess.Popen | None = None

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                self.argv,
                cwd=settings.BASE_DIR,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, sig)
            self.process.wait(timeout=15)
        except ProcessLookupError:
            self.process.wait()
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.process = None

    def tail(self, lines: int = 30) -> str:
        if not self.log.exists():
            return ""
        text = self.log.read_text(errors="replace").splitlines()[-lines:]
        return "\n".join(text)


@dataclass
class Stack:
    directory: Path
    database: Database
    mail: MailServer
    cafile: str
    https_port: int
    http_port: int
    access_log: Path
    app_servers: list[Service]
    app_ports: list[int]
    services: list[Service] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    def visitor(self, source: str = "127.0.0.1") -> Visitor:
        return Visitor(host=HOST, port=self.https_port, cafile=self.cafile, source=source)

    def upstreams_of(self, marker: str) -> list[str]:
        """The ``upstream=`` field of nginx's access-log lines whose request holds ``marker``."""
        lines = self.access_log.read_text().splitlines()
        return [
            re.search(r"upstream=([^ ,]+(?:, [^ ,]+)*)", line).group(1)
            for line in lines
            if marker in line
        ]

    def logs(self) -> str:
        return "\n".join(f"--- {s.name} ({s.log})\n{s.tail()}" for s in self.services)


def run(argv: list[str], *, env: dict[str, str], step: str) -> None:
    done = subprocess.run(
        argv, cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, f"{step} failed:\n{done.stdout}\n{done.stderr}"


def wait_until_answering(service: Service, port: int, path: str, *, seconds: float = 30) -> None:
    """Until ``http://127.0.0.1:port/path`` answers 200 (gunicorn's own port, as nginx sees it)."""
    deadline = time.monotonic() + seconds
    while True:
        assert service.running(), f"{service.name} exited:\n{service.tail()}"
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            connection.request("GET", path, headers={"Host": HOST, "X-Forwarded-Proto": "https"})
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        finally:
            connection.close()
        assert time.monotonic() < deadline, f"{service.name} never answered:\n{service.tail()}"
        time.sleep(0.1)


def wait_for_port(service: Service, port: int, *, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while True:
        assert service.running(), f"{service.name} exited:\n{service.tail()}"
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            assert time.monotonic() < deadline, f"{service.name} never listened:\n{service.tail()}"
            time.sleep(0.05)


def ipv6_available() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
        return True
    except OSError:
        return False


def nginx_main_conf(directory: Path, site: Path) -> str:
    """Debian's own /etc/nginx/nginx.conf, pointed at this directory and at the one site."""
    text = DEBIAN_NGINX_CONF.read_text()
    replacements = [
        (r"(?m)^pid .*;$", f"pid {directory}/nginx.pid;"),
        (r"(?m)^error_log .*;$", f"error_log {directory}/nginx-error.log;"),
        (r"(?m)^\s*access_log .*;$", f"\taccess_log {directory}/nginx-other-access.log;"),
        (r"(?m)^\s*include /etc/nginx/conf\.d/\*\.conf;$", ""),
        (r"(?m)^\s*include /etc/nginx/sites-enabled/\*;$", f"\tinclude {site};"),
        (
            r"(?m)^http \{$",
            "http {\n"
            + "".join(
                f"\t{kind}_temp_path {directory}/temp-{kind};\n"
                for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
            ),
        ),
    ]
    if os.geteuid() != 0:
        replacements.append((r"(?m)^user .*;$", ""))
    for pattern, replacement in replacements:
        text, count = re.subn(pattern, replacement, text)
        assert count == 1, f"{DEBIAN_NGINX_CONF} has changed: {pattern!r} matched {count} times"
    return text


def certificate(directory: Path) -> tuple[str, str]:
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"),
            *("-nodes", "-days", "2", "-subj", f"/CN={HOST}"),
            *("-addext", f"subjectAltName=DNS:{HOST}", "-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
    )
    return str(cert), str(key)
