import threading

from django.db import connection

from inboxes.models import InboxDay, OutboundMessage
from inboxes.sending import send_email


def test_concurrent_sends_with_the_same_key_send_once(transactional_db, smtp_server, make_inbox, sender):
    """Workers racing on one message (a redelivered task, an overlapping re-run): one sends, the others see it."""
    server = smtp_server()
    inbox = make_inbox(smtp_port=server.port)
    start = threading.Barrier(6)
    results: list[str] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            start.wait()
            message = send_email(organization=sender, inbox=inbox, to="bob@client.example", subject="Hello",
                                 body="Hi", idempotency_key="raced")
            results.append(message.status)
        except BaseException as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert errors == []
    assert len(results) == 6
    assert len(server.messages) == 1
    assert OutboundMessage.objects.get(idempotency_key="raced").status == OutboundMessage.Status.SENT
    assert InboxDay.objects.get(inbox=inbox).sent == 1
