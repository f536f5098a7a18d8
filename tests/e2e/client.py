"""A small HTTPS client standing in for a visitor's browser: its own source address (nginx sees
each loopback address as a different client), its own cookies, forms filled from the page."""

import http.client
import secrets
import socket
import ssl
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    seconds: float

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def header(self, name: str) -> str | None:
        return self.headers.get(name)


class _Hidden(HTMLParser):
    """The page's hidden inputs (CSRF token, the post form's idempotency token)."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "input" and values.get("type") == "hidden" and values.get("name"):
            self.fields[values["name"]] = values.get("value") or ""


def hidden_fields(html: str) -> dict[str, str]:
    parser = _Hidden()
    parser.feed(html)
    return parser.fields


class _TLSConnection(http.client.HTTPSConnection):
    """Connects to ``address`` from ``source`` while naming ``server_name`` in TLS (SNI and the
    certificate check), as a browser resolving the site's name to that address would."""

    def __init__(self, address: str, port: int, server_name: str, context, source: str):
        super().__init__(server_name, port, timeout=30, context=context, source_address=(source, 0))
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection(
            (self._address, self.port), self.timeout, self.source_address
        )
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


class Visitor:
    """One visitor of ``https://<host>/`` through nginx, from the loopback address ``source``."""

    def __init__(self, *, host: str, port: int, cafile: str, source: str = "127.0.0.1") -> None:
        self.host = host
        self.port = port
        self.source = source
        self.context = ssl.create_default_context(cafile=cafile)
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, *, body: bytes = b"", headers: dict | None = None
    ) -> Response:
        headers = {"Host": self.host, "User-Agent": "forum-e2e", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        connection = _TLSConnection("127.0.0.1", self.port, self.host, self.context, self.source)
        started = time.monotonic()
        try:
            connection.request(method, path, body=body or None, headers=headers)
            answer = connection.getresponse()
            content = answer.read()
        finally:
            connection.close()
        seconds = time.monotonic() - started
        for line in answer.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(line).items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return Response(answer.status, answer.headers, content, seconds)

    def plain_http(self, port: int, path: str, *, host: str | None = None) -> Response:
        """A GET over plain HTTP (port 80 in production), where nginx only redirects."""
        connection = http.client.HTTPConnection(
            "127.0.0.1", port, timeout=30, source_address=(self.source, 0)
        )
        started = time.monotonic()
        try:
            connection.request("GET", path, headers={"Host": host or self.host})
            answer = connection.getresponse()
            content = answer.read()
        finally:
            connection.close()
        return Response(answer.status, answer.headers, content, time.monotonic() - started)

    def get(self, path: str, **headers: str) -> Response:
        return self.request("GET", path, headers=headers)

    def post(
        self,
        path: str,
        fields: dict[str, str],
        *,
        files: dict[str, tuple[str, bytes, str]] | None = None,
        headers: dict | None = None,
    ) -> Response:
        """POST a form as a browser does: from the site's own origin, urlencoded or multipart."""
        origin = f"https://{self.host}"
        headers = {"Origin": origin, "Referer": f"{origin}{path}", **(headers or {})}
        if files is None:
            body = urlencode(fields).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        else:
            boundary = secrets.token_hex(16)
            body = _multipart(boundary, fields, files)
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        return self.request("POST", path, body=body, headers=headers)

    def submit(self, path: str, fields: dict[str, str], **options) -> Response:
        """Load the form's page, keep its hidden fields (CSRF and other tokens), post it back."""
        page = self.get(path)
        assert page.status == 200, f"GET {path} answered {page.status}"
        return self.post(path, {**hidden_fields(page.text), **fields}, **options)


def _multipart(boundary: str, fields: dict[str, str], files: dict) -> bytes:
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, (filename, content, content_type) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts)
