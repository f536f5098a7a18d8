"""gunicorn's settings for an app server behind nginx on the same host.

    gunicorn --config deploy/gunicorn.conf.py --bind 127.0.0.1:8001 config.wsgi

systemd's ``forum-web@PORT`` units pass ``--bind``; several such servers sit in nginx's
upstream (deploy/nginx/forum.conf.template), so one can restart or die while the others serve.
"""

import os

# Loopback only: nginx is the one client. The units override this with --bind.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")

# Sync workers: nginx buffers requests and responses, so a slow client never holds a worker.
# WEB_CONCURRENCY is per server; with two servers a host runs twice as many.
worker_class = "sync"
workers = int(os.environ.get("WEB_CONCURRENCY", (os.cpu_count() or 1) + 1))
# A request still running after 30 s is stopped (its worker is replaced); nginx's
# proxy_read_timeout is a little longer. Stopping waits as long for requests under way.
timeout = 30
graceful_timeout = 30
# Workers are replaced now and then, so slow growth of memory cannot accumulate.
max_requests = 1000
max_requests_jitter = 100
# The workers' heartbeat files (gunicorn makes them, unnamed) in memory rather than on disk,
# where a slow disk could make a healthy worker look stuck.
SHARED_MEMORY = "/dev/shm"  # noqa: S108
worker_tmp_dir = SHARED_MEMORY if os.path.isdir(SHARED_MEMORY) else None

# Only nginx on this host is trusted to say the request came over HTTPS, and only through the
# one header it sets itself (the app decides through SECURE_PROXY_SSL_HEADER, which follows
# TRUSTED_PROXY_COUNT). An app server on another host than nginx: its address here.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}

# Logs to stdout and stderr: systemd's journal. The first field is X-Forwarded-For as nginx
# passed it: its last address is the client's (earlier ones are whatever the client sent).
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = (
    '%({x-forwarded-for}i)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'
)

# gunicorn's control socket (gunicornc) would sit at one path per user, which two servers on
# one host would both claim; systemd manages them instead.
control_socket_disable = True
