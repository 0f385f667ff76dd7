from django.urls import path

from missions.consumers import MissionEventsConsumer

websocket_urlpatterns = [path("ws/missions/", MissionEventsConsumer.as_asgi())]
