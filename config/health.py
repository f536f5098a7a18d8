"""``/healthz``: may a load balancer send this app server requests?

The database is required: without it nothing works, so the answer is 503 and the balancer
sends the traffic elsewhere. The cache is checked and reported but is not required: pages are
served without it during a Redis outage (``config/cache.py``), and answering 503 then would
take every app server out of the pool at once, turning a slower site into no site.
The view reads no session and sets no cookie; nothing is cached on the way.
"""

import logging

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        # A warning, not a traceback: monitors poll this every few seconds during an outage.
        logger.warning("Health check: the database does not answer: %s", error)
        return HttpResponse("unavailable: database\n", status=503, content_type="text/plain")
    answers = getattr(cache, "answers", None)
    if answers is not None and not answers():
        return HttpResponse(
            "ok: cache unavailable, serving without it\n", content_type="text/plain"
        )
    return HttpResponse("ok\n", content_type="text/plain")
