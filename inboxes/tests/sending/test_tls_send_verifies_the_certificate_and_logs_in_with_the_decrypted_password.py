import pytest

from inboxes.models import OutboundMessage
from inboxes.sending import send_email


# Implicit TLS: aiosmtpd's AUTH-needs-TLS check knows only STARTTLS, so the test server warns; the wire is TLS.
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
@pytest.mark.parametrize("security, mechanism", [("starttls", "LOGIN"), ("starttls", "PLAIN"), ("ssl", "PLAIN")])
def test_tls_send_verifies_the_certificate_and_logs_in_with_the_decrypted_password(
        security, mechanism, smtp_server, tls_certificates, make_inbox, sender, settings):
    certs = tls_certificates("relay")
    settings.REX_SMTP_CA_FILE = str(certs.ca)
    server = smtp_server(tls=certs, credentials={"jane@relay.example": "s3cret p@ss"}, mechanisms=(mechanism,),
                         implicit_tls=security == "ssl")
    inbox = make_inbox(smtp_port=server.port, smtp_security=security, smtp_username="jane@relay.example",
                       password="s3cret p@ss")
    assert "s3cret" not in inbox.password_encrypted  # stored encrypted; the transport decrypts it

    message = send_email(organization=sender, inbox=inbox, to="bob@client.example", subject="Hello",
                         body="Hi Bob", idempotency_key=f"tls-{security}-{mechanism}")

    assert message.status == OutboundMessage.Status.SENT
    assert [(a.mechanism, a.login, a.password, a.over_tls, a.accepted) for a in server.auth_attempts] == [
        (mechanism, "jane@relay.example", "s3cret p@ss", True, True)]
    assert len(server.messages) == 1
    assert server.messages[0].over_tls
    assert server.messages[0].login == "jane@relay.example"
