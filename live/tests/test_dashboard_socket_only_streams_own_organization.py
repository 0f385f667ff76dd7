"""The dashboard websocket never shows one organization's missions to another (anonymous users: see
test_refused_socket_is_accepted_then_closed_with_a_code_the_page_can_read)."""

import json

import pytest

from missions.services import submit_mission
from missions.tests.e2e_helpers import collect_events, dashboard_socket
from tenants.models import Membership, Organization

pytestmark = pytest.mark.e2e


def test_each_user_receives_only_their_organizations_events(asgi_server, organization, user, django_user_model):
    globex = Organization.objects.create(name="Globex", slug="globex")
    bob = django_user_model.objects.create_user("bob", "bob@globex.example", "pw-bob-123456")
    Membership.objects.create(user=bob, organization=globex)

    with dashboard_socket(asgi_server, user) as alice_socket, dashboard_socket(asgi_server, bob) as bob_socket:
        acme_mission = submit_mission(organization, mission_type="canary", params={"tag": "acme"}).mission
        globex_mission = submit_mission(globex, mission_type="canary", params={"tag": "globex"}).mission

        alice_saw = collect_events(alice_socket, str(acme_mission.id), {"queued"})
        assert alice_saw[0]["mission"]["id"] == str(acme_mission.id)
        # Events are delivered in order: the first thing Bob receives must be his own mission, not Acme's.
        first_for_bob = json.loads(bob_socket.recv(timeout=10))
        assert first_for_bob["mission"]["id"] == str(globex_mission.id)
        # And Alice's next message (after Globex's) is not Globex's mission either: she never gets it.
        acme_second = submit_mission(organization, mission_type="canary", params={"tag": "acme-2"}).mission
        next_for_alice = json.loads(alice_socket.recv(timeout=10))
        assert next_for_alice["mission"]["id"] == str(acme_second.id)
