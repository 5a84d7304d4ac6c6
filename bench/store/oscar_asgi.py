"""The throwaway oscar shop as an ASGI application, served like CareWatch (uvicorn)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oscar_settings")
application = get_asgi_application()
