"""Unknown pages and server errors get the site's own pages."""

import pytest

from tests.pages import text_of


@pytest.mark.django_db
def test_unknown_page_gets_the_404_page(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "Page not found" in text_of(response)
    assert 'href="/forums/"' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.urls("tests.error_urls")
def test_server_error_gets_the_500_page(client):
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "Something went wrong" in text_of(response)
