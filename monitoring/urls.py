"""URLs of the monitoring app: the incidents page and the agents board (pages; their JSON feeds the live JS)."""

from django.urls import path

from monitoring import views

urlpatterns = [
    path("incidents/", views.incidents_page, name="incidents"),
    path("incidents/summary.json", views.incidents_summary, name="incidents-summary"),
    path("incidents/<int:pk>/acknowledge", views.acknowledge_incident, name="incident-acknowledge"),
    path("incidents/<int:pk>/resolve", views.resolve_incident, name="incident-resolve"),
    path("agents/", views.agents_board, name="agents-board"),
    path("agents/board.json", views.agents_board_data, name="agents-board-data"),
    path("agents/<str:name>/enabled", views.toggle_agent, name="agent-toggle"),
]
