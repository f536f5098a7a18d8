#!/usr/bin/env python3
"""Write the nginx site file for the forum from ``deploy/nginx/forum.conf.template``.

    python3 deploy/render_nginx_site.py --server-name forum.example.com \\
        --upstream 127.0.0.1:8001 --upstream 127.0.0.1:8002 > /etc/nginx/sites-available/forum

The defaults are the layout the README's "Production" section sets up (/srv/forum, Let's
Encrypt's certificate paths, ports 80 and 443). The upload limit follows AVATAR_MAX_BYTES
(read from the environment, as the app does). The end-to-end test (tests/e2e/) renders the
same template with its own ports and paths. Standard library only: it runs before the
virtualenv exists.
"""

import argparse
import math
import os
import re
import sys
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent / "nginx" / "forum.conf.template"
MIB = 1024 * 1024


def client_max_body_size(avatar_max_bytes: int) -> str:
    """The avatar limit plus 1 MiB for the form's other fields and slightly larger files,
    rounded up to whole MiB: 2,000,000 bytes give ``3m``."""
    return f"{math.ceil((avatar_max_bytes + MIB) / MIB)}m"


def render(
    *,
    server_name: str,
    upstreams: list[str],
    certificate: str,
    certificate_key: str,
    static_root: str,
    media_root: str,
    https_port: int = 443,
    http_port: int = 80,
    access_log: str = "/var/log/nginx/forum.access.log",
    error_log: str = "/var/log/nginx/forum.error.log",
    avatar_max_bytes: int = 2_000_000,
    ipv6: bool = True,
) -> str:
    """The site file's text, every placeholder filled."""
    if not upstreams:
        raise ValueError("at least one --upstream (host:port of a gunicorn server) is needed")
    servers = "\n".join(
        f"    server {address} max_fails=1 fail_timeout=10s;" for address in upstreams
    )
    values = {
        "SERVER_NAME": server_name,
        "UPSTREAM_SERVERS": servers,
        "SSL_CERTIFICATE": certificate,
        "SSL_CERTIFICATE_KEY": certificate_key,
        "STATIC_ROOT": static_root.rstrip("/"),
        "MEDIA_ROOT": media_root.rstrip("/"),
        "HTTPS_PORT": str(https_port),
        "HTTP_PORT": str(http_port),
        "ACCESS_LOG": access_log,
        "ERROR_LOG": error_log,
        "CLIENT_MAX_BODY_SIZE": client_max_body_size(avatar_max_bytes),
        # The IPv6 listen lines are kept, or commented out on hosts without IPv6.
        "IPV6": "" if ipv6 else "#",
    }
    return re.sub(r"@@([A-Z0-9_]+)@@", lambda match: values[match.group(1)], TEMPLATE.read_text())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server-name", required=True, help="e.g. forum.example.com")
    parser.add_argument(
        "--upstream",
        action="append",
        dest="upstreams",
        metavar="HOST:PORT",
        help="a gunicorn server; repeat for each (default 127.0.0.1:8001 and 127.0.0.1:8002)",
    )
    parser.add_argument(
        "--certificate",
        help="default: /etc/letsencrypt/live/<first server name>/fullchain.pem",
    )
    parser.add_argument(
        "--certificate-key",
        help="default: /etc/letsencrypt/live/<first server name>/privkey.pem",
    )
    parser.add_argument("--static-root", default="/srv/forum/app/staticfiles")
    parser.add_argument("--media-root", default=os.environ.get("MEDIA_ROOT", "/srv/forum/media"))
    parser.add_argument("--https-port", type=int, default=443)
    parser.add_argument("--http-port", type=int, default=80)
    parser.add_argument("--access-log", default="/var/log/nginx/forum.access.log")
    parser.add_argument("--error-log", default="/var/log/nginx/forum.error.log")
    parser.add_argument(
        "--avatar-max-bytes",
        type=int,
        default=int(os.environ.get("AVATAR_MAX_BYTES", 2_000_000)),
        help="the app's AVATAR_MAX_BYTES (default: from the environment, else 2000000)",
    )
    parser.add_argument("--no-ipv6", dest="ipv6", action="store_false")
    args = parser.parse_args(argv)
    name = args.server_name.split()[0]
    sys.stdout.write(
        render(
            server_name=args.server_name,
            upstreams=args.upstreams or ["127.0.0.1:8001", "127.0.0.1:8002"],
            certificate=args.certificate or f"/etc/letsencrypt/live/{name}/fullchain.pem",
            certificate_key=args.certificate_key or f"/etc/letsencrypt/live/{name}/privkey.pem",
            static_root=args.static_root,
            media_root=args.media_root,
            https_port=args.https_port,
            http_port=args.http_port,
            access_log=args.access_log,
            error_log=args.error_log,
            avatar_max_bytes=args.avatar_max_bytes,
            ipv6=args.ipv6,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
