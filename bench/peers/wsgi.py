"""WSGI entry point of a peer's minimal project; DJANGO_SETTINGS_MODULE picks the peer."""

from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()
