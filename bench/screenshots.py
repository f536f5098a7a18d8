"""The README's screenshots, made from the real pages so they stay current: the thread page
in light and dark mode on a desktop, and on a 390 px phone; the forum index in light.

A fresh SQLite database (migrated, so the guide is seeded, plus a topic with replies by a few
members), the production settings behind gunicorn on loopback (``bench/settings.py``), and
Debian's Chromium through Playwright. Writes ``docs/screenshots/*.png``.

    .venv/bin/python bench/screenshots.py
"""

import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
RESULTS = ROOT / "bench" / "results"
PORT = int(os.environ.get("SCREENSHOTS_PORT", 8131))
THREAD = "/forums/topic/squat-depth/"

SHOTS = [
    ("thread-light.png", THREAD, {"viewport": {"width": 1280, "height": 900}}),
    (
        "thread-dark.png",
        THREAD,
        {"viewport": {"width": 1280, "height": 900}, "color_scheme": "dark"},
    ),
    (
        "thread-phone.png",
        THREAD,
        {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True},
    ),
    ("index-light.png", "/forums/", {"viewport": {"width": 1280, "height": 720}}),
]

SEED = """
from accounts.models import User
from forum import services
from forum.models import Forum

members = [
    User.objects.create_user(name, f"{name}@example.com", display_name=name.title())
    for name in ("alice", "erin", "sam")
]
lifting = Forum.objects.create(
    name="Lifting", slug="lifting", description="Squats, presses and pulls.", position=1
)
Forum.objects.create(name="Running", slug="running", description="Miles and minutes.")
topic = services.topic_create(
    forum=lifting, author=members[0], title="Squat depth",
    body="How deep should a squat go? What I measured:\\n\\n"
    "| Depth | Reps | Load (kg) |\\n|---|---:|---:|\\n| Parallel | 5 | 100 |\\n"
    "| Below parallel | 5 | 90 |\\n\\nAny advice, @erin?",
)
replies = [
    "Below parallel if your hips allow it. Film yourself from the side.",
    "**Agreed.** Mobility first: `90/90` stretches before every session.",
    "> Film yourself from the side\\n\\nThis helped me more than anything.",
]
for number, body in enumerate(replies):
    services.reply_create(topic=topic, author=members[(number + 1) % 3], body=body)
"""


def main() -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "SECRET_KEY": f"screenshots-only-{secrets.token_hex(16)}",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "BENCH_RUN_ID": f"screenshots-{int(time.time())}",
        "LOG_LEVEL": "ERROR",
        "FORUM_SITE_URL": f"http://127.0.0.1:{PORT}",
        "DATABASE_URL": f"sqlite:///{RESULTS}/screenshots.sqlite3",
    }
    env.pop("REDIS_URL", None)
    RESULTS.mkdir(parents=True, exist_ok=True)
    for stale in RESULTS.glob("screenshots.sqlite3*"):
        stale.unlink()
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, cwd=ROOT, check=True)
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], env=env, cwd=ROOT, check=True)
    subprocess.run([*manage, "shell", "-c", SEED], env=env, cwd=ROOT, check=True)
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    server = subprocess.Popen(
        [gunicorn, "config.wsgi", "--workers", "2", "--no-control-socket",
         "--bind", f"127.0.0.1:{PORT}", "--log-level", "warning"],
        env=env, cwd=ROOT,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{PORT}"
        for _ in range(50):
            try:
                urllib.request.urlopen(base + "/", timeout=2).close()
                break
            except OSError:
                time.sleep(0.2)
        shoot(base)
    finally:
        server.terminate()
        server.wait(10)


def shoot(base: str) -> None:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        for name, path, options in SHOTS:
            context = browser.new_context(base_url=base, **options)
            page = context.new_page()
            page.goto(path)
            page.screenshot(path=str(OUT / name))
            context.close()
            print(f"docs/screenshots/{name}")
        browser.close()


if __name__ == "__main__":
    main()
