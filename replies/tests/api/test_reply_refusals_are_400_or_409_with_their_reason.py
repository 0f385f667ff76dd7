"""A reply that cannot go is refused with its reason and sends nothing: an empty text or a bad request_id is a
field error (400); an inbox that cannot send (paused) is a 400 on ``inbox`` saying why; a request_id already used
for another text, and a sender on the suppression list, are 409; an unreachable mail server is a 502 that says
whether trying again may help."""

from inboxes.models import Inbox, Suppression
from ops.net import free_port


def post(client, message, body):
    return client.post(f"/api/replies/{message.pk}/reply", body, format="json")


def test_bad_fields_are_400(api_client, smtp_seeded):
    world = smtp_seeded
    response = post(api_client, world.bob, {"body": "   ", "request_id": "x"})
    assert response.status_code == 400
    assert set(response.json()) == {"body", "request_id"}
    assert world.smtp.messages == []


def test_a_paused_inbox_is_400_with_its_reason(api_client, smtp_seeded):
    world = smtp_seeded
    Inbox.objects.filter(pk=world.first.pk).update(status=Inbox.Status.PAUSED, pause_reason="bounce rate 6%")
    response = post(api_client, world.bob, {"body": "Hello", "request_id": "paused-001"})
    assert response.status_code == 400
    assert response.json() == {"inbox": [f"inbox {world.first.address} cannot send: it is paused (bounce rate 6%)"]}
    assert world.smtp.messages == []


def test_a_message_with_no_inbox_is_400(api_client, smtp_seeded):
    world = smtp_seeded
    type(world.lost).objects.filter(pk=world.lost.pk).update(inbox=None)
    response = post(api_client, world.lost, {"body": "Hello", "request_id": "noinbox-01"})
    assert response.status_code == 400 and list(response.json()) == ["inbox"]


def test_a_request_id_reused_for_another_text_is_409(api_client, smtp_seeded):
    world = smtp_seeded
    assert post(api_client, world.bob, {"body": "First text", "request_id": "reused-0001"}).status_code == 201
    response = post(api_client, world.bob, {"body": "Another text", "request_id": "reused-0001"})
    assert response.status_code == 409
    assert "already used for another text" in response.json()["detail"]
    assert len(world.smtp.messages) == 1


def test_a_suppressed_sender_is_409(api_client, smtp_seeded):
    world = smtp_seeded
    Suppression.objects.create(organization=world.bob.organization, email="bob@client.example",
                               reason=Suppression.Reason.UNSUBSCRIBE)
    response = post(api_client, world.bob, {"body": "Hello", "request_id": "suppressed-1"})
    assert response.status_code == 409
    assert "suppression list" in response.json()["detail"]
    assert response.json()["message"]["status"] == "suppressed"
    assert world.smtp.messages == []


def test_an_unreachable_mail_server_is_502_and_recoverable(api_client, smtp_seeded):
    world = smtp_seeded
    Inbox.objects.filter(pk=world.first.pk).update(smtp_port=free_port())
    response = post(api_client, world.bob, {"body": "Hello", "request_id": "down-00001"})
    assert response.status_code == 502, response.content
    assert response.json()["recoverable"] is True
    assert response.json()["message"]["status"] == "failed"
