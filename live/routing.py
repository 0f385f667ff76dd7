from django.urls import path

from live.consumers import LiveConsumer

websocket_urlpatterns = [
    path("ws/live/", LiveConsumer.as_asgi()),
    # The socket's first name, from when it carried missions only; the same consumer, every stream.
    path("ws/missions/", LiveConsumer.as_asgi()),
]
