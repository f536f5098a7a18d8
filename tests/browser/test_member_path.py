"""The whole path a new member takes, in a real browser: sign up, confirm the email, log in,
reply to the guide (with the live preview), see the sentence change, edit the reply, and
upload an avatar that then shows beside the reply."""

import re
from io import BytesIO

import pytest
from django.core import mail
from PIL import Image

pytestmark = pytest.mark.browser

GUIDE_URL = "/forums/topic/do-hip-thrusts-work-the-lower-back/"


@pytest.fixture(autouse=True)
def _no_flood_wait_and_media_in_tmp(settings, tmp_path):
    settings.FORUM_FLOOD_SECONDS = 0
    settings.MEDIA_ROOT = tmp_path


def png(tmp_path) -> str:
    path = tmp_path / "me.png"
    buffer = BytesIO()
    Image.new("RGB", (320, 240), (10, 120, 60)).save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def confirmation_link(address: str) -> str:
    email = next(message for message in reversed(mail.outbox) if address in message.to)
    return re.search(r"https?://\S+/accounts/confirm-email/\S+", email.body).group(0)


def test_new_member_signs_up_confirms_logs_in_replies_edits_and_sets_an_avatar(page, tmp_path):
    page.goto(GUIDE_URL)
    page.get_by_role("link", name="Register").last.click()
    page.get_by_label("Username").fill("newcomer")
    page.get_by_label("Email").fill("newcomer@example.com")
    page.get_by_label(re.compile(r"^Password:?$")).fill("lift-heavy-2026!")
    page.get_by_label(re.compile(r"^Password \(again\)")).fill("lift-heavy-2026!")
    page.get_by_role("button", name="Register").click()

    page.goto(confirmation_link("newcomer@example.com"))
    page.get_by_role("button", name="Confirm").click()

    page.goto(f"/accounts/login/?next={GUIDE_URL}")
    page.get_by_label(re.compile("Username or email", re.I)).fill("newcomer")
    page.get_by_label(re.compile(r"^Password:?$")).fill("lift-heavy-2026!")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(re.escape(GUIDE_URL) + "$"))

    reply_box = page.get_by_label("Your reply")
    reply_box.fill("Hip thrusts load the **glutes**, not the lower back.")
    preview = page.locator(".post-form [data-preview]")
    preview.get_by_text("glutes").wait_for()
    assert preview.locator("strong").inner_text() == "glutes"

    page.get_by_role("button", name="Submit").click()
    page.wait_for_url(re.compile(r"#post-\d+$"))
    post_id = page.url.rsplit("#post-", 1)[1]
    assert page.locator(".topic-description").inner_text() == (
        "This topic has 1 reply, 2 voices, and was last updated right now by newcomer."
    )
    reply = page.locator(f"#post-{post_id}")
    assert "not the lower back" in reply.inner_text()

    reply.get_by_role("link", name="Edit").click()
    page.get_by_label("Post text").fill("Hip thrusts load the **glutes**; the back stays neutral.")
    page.get_by_label("Optional reason for editing").fill("clearer")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(rf"#post-{post_id}$"))
    reply = page.locator(f"#post-{post_id}")
    assert "the back stays neutral" in reply.inner_text()
    assert reply.locator(".post__revisions").inner_text() == (
        "This reply was modified right now by newcomer. Reason: clearer"
    )

    page.goto("/forums/users/newcomer/edit/")
    page.get_by_label("Avatar").set_input_files(png(tmp_path))
    page.get_by_role("button", name="Update Profile").click()
    page.wait_for_url(re.compile(r"/forums/users/newcomer/$"))
    page.goto(GUIDE_URL)
    avatar = page.locator(f"#post-{post_id} img.avatar")
    assert avatar.get_attribute("src").startswith("/media/avatars/")
    assert avatar.evaluate("image => image.complete && image.naturalWidth") == 160
