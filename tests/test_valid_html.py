"""Every page type, as every role sees it, is valid HTML by the Nu HTML Checker (vnu, the
W3C's checker): the pages of ``tests/tour.py`` are saved and checked in one run of the jar.

The jar comes from npm's ``vnu-jar`` (``make test``, or ``make vnu``, puts it under
``.venv/vnu``) and needs Java; in CI a missing one fails the test, elsewhere it skips saying
how to get it.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client

from tests.tour import ROLES, build_tour

VNU_JAR = (
    Path(__file__).resolve().parent.parent / ".venv/vnu/node_modules/vnu-jar/build/dist/vnu.jar"
)


def vnu_command() -> list[str]:
    java = shutil.which("java")
    if java is None or not VNU_JAR.exists():
        message = "The HTML checker needs Java and `make vnu` (npm's vnu-jar)."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return [java, "-Xss16m", "-jar", str(VNU_JAR), "--format", "json", "--stdout"]


def save_pages(tour, folder: Path) -> dict[Path, tuple[str, str]]:
    """Each page of the tour as its role gets it, in ``folder``: file to (role, URL)."""
    saved = {}
    for role in ROLES:
        client = Client()
        if role in tour.members:
            client.force_login(tour.members[role])
        for number, url in enumerate(tour.pages[role]):
            response = client.get(url)
            expected = 404 if url == "/no-such-page/" else 200
            assert response.status_code == expected, (role, url, response.status_code)
            path = folder / f"{role}-{number:03}.html"
            path.write_bytes(response.content)
            saved[path] = (role, url)
    return saved


def vnu_errors(command: list[str], files: list[Path]) -> list[dict]:
    completed = subprocess.run(
        [*command, "--exit-zero-always", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    messages = json.loads(completed.stdout)["messages"]
    return [message for message in messages if message["type"] in ("error", "non-document-error")]


@pytest.mark.django_db
def test_every_page_is_valid_html_for_every_role(tmp_path, settings):
    command = vnu_command()
    settings.FORUM_FLOOD_SECONDS = 0
    saved = save_pages(build_tour(), tmp_path)
    errors = vnu_errors(command, sorted(saved))
    report = [
        "{} {} line {}: {}".format(
            *saved[Path(error["url"].removeprefix("file:"))],
            error.get("lastLine"),
            error["message"],
        )
        for error in errors
    ]
    assert report == [], f"{len(report)} vnu errors:\n" + "\n".join(report)
