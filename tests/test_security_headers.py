"""Every response denies the browser features the forum does not use (Permissions-Policy)."""

import pytest

DENIED = ["camera", "microphone", "geolocation", "payment", "usb", "browsing-topics",
          "sync-xhr", "fullscreen"]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/forums/", "/forums/topic/do-hip-thrusts-work-the-lower-back/", "/accounts/login/",
            "/static/css/forum.css", "/no/such/page/", "/admin/login/"],
)  # fmt: skip
def test_every_response_carries_a_permissions_policy_that_denies_unused_features(client, url):
    response = client.get(url)
    header = response["Permissions-Policy"]
    response.close()  # static files are streamed from an open file
    directives = dict(part.strip().split("=", 1) for part in header.split(","))
    for feature in DENIED:
        assert directives[feature] == "()", feature
