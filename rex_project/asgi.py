"""ASGI entry point: HTTP through Django, websockets through Channels with session auth."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rex_project.settings")
# Django must be set up before importing anything that touches models (the consumers).
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.conf import settings  # noqa: E402

from core.asgi_limits import RequestSizeLimits  # noqa: E402
from core.processes import settle_after_startup  # noqa: E402
from live.routing import websocket_urlpatterns  # noqa: E402

# Outermost: an oversized URL or header section is answered 414 / 431 before Django or Channels reads it.
application = RequestSizeLimits(
    ProtocolTypeRouter(
        {
            "http": django_asgi_app,
            "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
        }
    ),
    max_url_bytes=settings.REX_MAX_URL_BYTES,
    max_header_bytes=settings.REX_MAX_HEADER_BYTES,
)

# Each uvicorn worker imports this module itself (no preload): what it imported is long-lived from here on.
settle_after_startup()
