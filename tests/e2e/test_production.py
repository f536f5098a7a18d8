"""The site as deployed (deploy/): nginx in front of two gunicorn app servers and the task
worker, PostgreSQL, Redis and an SMTP server, all real. One story, as a newcomer and the
operator live it: sign up by email, post, upload an avatar, get through the login limits,
and keep going while the mail server, an app server and the database fail in turn."""

import email
import http.client
import io
import re
import secrets
import signal
import time

import pytest
from PIL import Image

from tests.e2e.client import Response, Visitor, hidden_fields
from tests.e2e.stack import EMAIL_TIMEOUT, HOST, Stack

GUIDE = "/forums/topic/do-hip-thrusts-work-the-lower-back/"
LOGIN = "/accounts/login/"
TOO_MANY = "Too many failed login attempts"
# How long the worker may take to deliver mail queued while the SMTP server was away: one
# attempt may still be waiting on the hung server (EMAIL_TIMEOUT), then the retry's backoff.
REDELIVERY_SECONDS = 60


def mail_text(raw: str) -> str:
    message = email.message_from_string(raw)
    part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    return part.get_payload(decode=True).decode()


def sign_up(visitor: Visitor, username: str, password: str) -> Response:
    return visitor.submit(
        "/accounts/signup/",
        {
            "username": username,
            "email": f"{username}@example.com",
            "password1": password,
            "password2": password,
        },
    )


def confirm(stack: Stack, visitor: Visitor, username: str, *, seconds: float, step: str) -> None:
    """The confirmation mail reaches the SMTP server; its link confirms the address."""
    raw = stack.mail.wait_for(
        rf"(?m)^To: {re.escape(username)}@example\.com", seconds=seconds, step=step
    )
    link = re.search(r"(\S+)/accounts/confirm-email/([^\s/]+)/", mail_text(raw))
    assert link, f"{step}: no confirmation link in:\n{raw}"
    assert link.group(1) == f"https://{HOST}", f"{step}: the link points at {link.group(1)}"
    path = f"/accounts/confirm-email/{link.group(2)}/"
    confirmed = visitor.submit(path, {})
    assert confirmed.status == 302, f"{step}: confirming answered {confirmed.status}"


def log_in(visitor: Visitor, login: str, password: str, **headers: str) -> Response:
    page = visitor.get(LOGIN)
    fields = {**hidden_fields(page.text), "login": login, "password": password}
    return visitor.post(LOGIN, fields, headers=headers)


def reply(visitor: Visitor, body: str, **headers: str) -> Response:
    fields = {"body": body, "notify": "on", "action": "post"}
    return visitor.submit(f"{GUIDE}reply/", fields, headers=headers)


def png(size: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (size, size), (200, 80, 40)).save(buffer, "PNG")
    return buffer.getvalue()


def upstreams(stack: Stack, marker: str, count: int) -> list[str]:
    """The app servers nginx's access log names for the ``count`` requests holding ``marker``."""
    deadline = time.monotonic() + 3
    while len(found := stack.upstreams_of(marker)) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    return found


def test_a_newcomer_joins_and_posts_through_nginx_while_services_fail(stack: Stack):
    started = time.monotonic()
    app = [f"127.0.0.1:{port}" for port in stack.app_ports]

    # Plain HTTP only redirects to HTTPS; a name that is not the site's gets no answer.
    redirect = stack.visitor().plain_http(stack.http_port, "/forums/")
    assert (redirect.status, redirect.header("Location")) == (301, f"https://{HOST}/forums/"), (
        "http redirects to https"
    )
    with pytest.raises(http.client.RemoteDisconnected):
        stack.visitor().plain_http(stack.http_port, "/", host="forum.invalid")

    # A newcomer signs up; the worker sends the confirmation; they confirm and log in.
    newcomer, password = f"newcomer-{secrets.token_hex(3)}", f"Hip-{secrets.token_urlsafe(12)}"
    member = stack.visitor("127.0.0.1")
    signed_up = sign_up(member, newcomer, password)
    assert signed_up.status == 302, f"sign-up answered {signed_up.status}:\n{signed_up.text}"
    confirm(stack, member, newcomer, seconds=20, step="sign-up mail")
    logged_in = log_in(member, newcomer, password)
    assert (logged_in.status, logged_in.header("Location")) == (302, "/"), "log in"
    stack.timings["signed up and logged in"] = time.monotonic() - started

    # They reply on the guide (through a forged X-Forwarded-For, which changes nothing: the
    # post records the address nginx saw); both app servers show the reply.
    text = f"Glute bridges first, {secrets.token_hex(4)}."
    posted = reply(member, text, **{"X-Forwarded-For": "203.0.113.7"})
    assert posted.status == 302, f"reply answered {posted.status}:\n{posted.text[:2000]}"
    assert stack.database.query("SELECT host(author_ip) FROM forum_post WHERE body = %s", text) == [
        ("127.0.0.1",)
    ], "the reply records the client's real address"
    pages = [member.get(f"{GUIDE}?probe=reply-{i}") for i in range(4)]
    assert [page.status for page in pages] == [200] * 4, "the topic page after replying"
    assert all(text in page.text for page in pages), "the reply is on the topic page"
    assert set(upstreams(stack, "probe=reply-", 4)) == set(app), (
        "both app servers served the topic with the reply"
    )

    # HTML and CSS are compressed; static files come from nginx, cached for a year.
    compressed = member.get(GUIDE, **{"Accept-Encoding": "gzip"})
    assert compressed.header("Content-Encoding") == "gzip", "HTML is gzipped"
    stylesheet = re.search(r'href="(/static/[^"]+\.css)"', pages[0].text).group(1)
    css = member.get(stylesheet, **{"Accept-Encoding": "gzip"})
    assert css.status == 200, f"static file {stylesheet}"
    assert css.header("Content-Encoding") == "gzip", "CSS is gzipped"
    assert "immutable" in css.header("Cache-Control"), "hashed static files cached for good"

    # They upload an avatar; nginx serves it from /media/.
    def upload(content: bytes) -> Response:
        profile = {"display_name": "New Comer", "bio": "Lifting since May.", "website": ""}
        avatar = {"avatar_upload": ("me.png", content, "image/png")}
        return member.submit(f"/forums/users/{newcomer}/edit/", profile, files=avatar)

    saved = upload(png(400))
    assert saved.status == 302, f"profile with avatar answered {saved.status}:\n{saved.text[:2000]}"
    page = member.get(f"/forums/users/{newcomer}/").text
    avatar = re.search(r'src="(/media/avatars/[0-9a-f]+\.webp)"', page)
    assert avatar, "the member page shows the uploaded avatar"
    image = member.get(avatar.group(1))
    assert (image.status, image.header("Content-Type")) == (200, "image/webp"), "avatar served"
    assert image.header("X-Content-Type-Options") == "nosniff", "avatar is never sniffed"
    assert "max-age=2592000" in image.header("Cache-Control"), "avatar cached for a month"
    assert upstreams(stack, avatar.group(1), 1) == ["-"], "nginx, not the app, served the avatar"

    # Slightly over AVATAR_MAX_BYTES: the app says so. Far over: nginx refuses it.
    big = upload(b"\0" * 2_500_000)
    assert big.status == 200 and "The file is too big" in big.text, "2.5 MB: the form says too big"
    huge = upload(b"\0" * 6_000_000)
    assert huge.status == 413, f"6 MB: nginx answers 413, not {huge.status}"
    stack.timings["replied and uploaded"] = time.monotonic() - started

    # Login budgets follow the address nginx saw: 10 failures from 127.0.0.2 lock it out but
    # not 127.0.0.3; failures sent with a made-up X-Forwarded-For count against the sender.
    attacker = stack.visitor("127.0.0.2")
    for attempt in range(10):
        failed = log_in(attacker, f"nobody-{attempt}", "wrong password")
        assert failed.status == 200 and TOO_MANY not in failed.text, f"failure {attempt + 1}"
    assert TOO_MANY in log_in(attacker, newcomer, password).text, "11th try from 127.0.0.2"
    neighbour = log_in(stack.visitor("127.0.0.3"), newcomer, password)
    assert neighbour.status == 302, "127.0.0.3 logs in after 127.0.0.2 spent its budget"
    spoofer = stack.visitor("127.0.0.4")
    for attempt in range(10):
        forged = {"X-Forwarded-For": f"198.51.100.{attempt + 1}"}
        failed = log_in(spoofer, f"nobody-{attempt}", "wrong password", **forged)
        assert failed.status == 200 and TOO_MANY not in failed.text, f"forged failure {attempt + 1}"
    refused = log_in(spoofer, newcomer, password, **{"X-Forwarded-For": "198.51.100.99"})
    assert TOO_MANY in refused.text, "a forged X-Forwarded-For gives no fresh budget"
    stack.timings["login budgets"] = time.monotonic() - started

    # The mail server hangs: signing up and replying still answer at once; mail waits.
    stack.mail.hang()
    second = f"second-{secrets.token_hex(3)}"
    late = stack.visitor("127.0.0.5")
    outage_signup = sign_up(late, second, password)
    assert outage_signup.status == 302, f"sign-up during mail outage: {outage_signup.status}"
    assert outage_signup.seconds < EMAIL_TIMEOUT / 2, (
        f"sign-up during mail outage took {outage_signup.seconds:.1f} s"
    )
    outage_reply = reply(member, f"Posted while mail is down, {secrets.token_hex(4)}.")
    assert outage_reply.status == 302, f"reply during mail outage: {outage_reply.status}"
    assert outage_reply.seconds < EMAIL_TIMEOUT / 2, (
        f"reply during mail outage took {outage_reply.seconds:.1f} s"
    )
    # The worker's attempt meanwhile waits out EMAIL_TIMEOUT on the silent server and fails.
    time.sleep(EMAIL_TIMEOUT + 1)
    assert not any(second in m for m in stack.mail.mailbox.messages), "nothing sent while hung"
    stack.mail.start()
    back = time.monotonic()
    confirm(stack, late, second, seconds=REDELIVERY_SECONDS, step="mail queued during the outage")
    stack.timings["mail outage"] = time.monotonic() - back

    # One app server dies: nginx sends everything to the other.
    stack.app_servers[0].stop(signal.SIGKILL)
    answers = [stack.visitor().get(f"{GUIDE}?probe=failover-{i}").status for i in range(4)]
    answers.append(reply(member, f"Still here, {secrets.token_hex(4)}.").status)
    assert answers == [200, 200, 200, 200, 302], "the site keeps serving after a gunicorn died"
    served = upstreams(stack, "probe=failover-", 4)
    assert all(line.endswith(app[1]) for line in served), f"the survivor answered: {served}"

    # /healthz: 200, 503 while the database refuses connections, 200 once it is back.
    health = stack.visitor().get("/healthz")
    assert (health.status, health.text) == (200, "ok\n"), "healthz with everything up"
    assert health.header("Set-Cookie") is None, "healthz sets no cookie"
    stack.database.refuse_connections()
    try:
        down = stack.visitor().get("/healthz")
        assert (down.status, down.text) == (503, "unavailable: database\n"), (
            f"healthz with the database down: {down.status} {down.text!r}"
        )
    finally:
        stack.database.allow_connections()
    deadline = time.monotonic() + 5
    while (status := stack.visitor().get("/healthz").status) != 200 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert status == 200, "healthz once the database is back"
    stack.timings["story"] = time.monotonic() - started
