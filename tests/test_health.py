"""``/healthz``: 200 when the database answers, 503 when it does not; a cache outage is
reported but does not take the app server out of the pool. No cookie, no session."""

import pytest
from django.contrib.sessions.models import Session
from django.db import OperationalError, connection

from config.settings.base import cache_config


@pytest.mark.django_db
def test_a_healthy_app_server_answers_200_and_keeps_nothing(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response.cookies == {}
    assert "no-cache" in response["Cache-Control"]
    assert not Session.objects.exists()


@pytest.mark.django_db
def test_a_database_that_does_not_answer_is_a_503(client):
    def database_gone(execute, sql, params, many, context):
        raise OperationalError("could not connect to server: Connection refused")

    with connection.execute_wrapper(database_gone):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"unavailable: database\n"


@pytest.mark.django_db
def test_a_redis_outage_is_reported_but_the_server_stays_in_the_pool(
    client, settings, redis_server
):
    settings.CACHES = cache_config(redis_server.url)
    assert client.get("/healthz").content == b"ok\n"
    redis_server.kill()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok: cache unavailable, serving without it\n"
