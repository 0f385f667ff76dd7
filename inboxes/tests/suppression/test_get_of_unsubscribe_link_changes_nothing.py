from inboxes.models import Suppression
from inboxes.unsubscribe import make_token


def test_get_of_unsubscribe_link_changes_nothing(client, make_contact, sender):
    """Link scanners and security gateways fetch every URL in a message; only a POST unsubscribes."""
    contact = make_contact("bob@client.example", phone="+14155550123")
    path = f"/u/{make_token(sender, contact.email, contact)}"

    response = client.get(path)
    head = client.head(path)

    assert response.status_code == 200 and head.status_code == 200
    page = response.content.decode()
    assert '<form method="post">' in page
    assert "bob@client.example" in page and sender.name in page
    assert response["Referrer-Policy"] == "no-referrer"
    assert not Suppression.objects.exists()
