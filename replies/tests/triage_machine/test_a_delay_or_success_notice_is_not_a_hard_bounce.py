import email
import email.policy
from email.message import EmailMessage

from replies.triage.bounces import parse_bounce


def dsn(action: str, status: str, diagnostic: str) -> EmailMessage:
    raw = (
        "From: MAILER-DAEMON@mx.example.net\nSubject: Delivery Status Notification\nMIME-Version: 1.0\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"\n\n'
        "--b1\nContent-Type: text/plain\n\nThis is the mail system at host mx.example.net.\n"
        "--b1\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.net\n\n"
        f"Final-Recipient: rfc822; jo@customer.example\nAction: {action}\nStatus: {status}\n"
        f"Diagnostic-Code: smtp; {diagnostic}\n\n--b1--\n")
    return email.message_from_bytes(raw.encode(), policy=email.policy.default)


def test_a_delayed_dsn_is_a_soft_bounce_whose_reason_says_delay():
    bounce = parse_bounce(dsn("delayed", "4.4.1", "connection timed out"))
    assert bounce is not None
    assert (bounce.klass, bounce.status, bounce.recipient) == ("soft", "4.4.1", "jo@customer.example")
    assert "delay" in bounce.reason


def test_a_delayed_dsn_for_a_rate_limit_stays_the_senders_problem():
    bounce = parse_bounce(dsn("delayed", "4.7.0", "421-4.7.0 unusual rate of unsolicited mail from your IP"))
    assert bounce is not None
    assert bounce.klass == "infrastructure" and "delay" in bounce.reason


def test_a_success_notice_is_not_a_bounce():
    assert parse_bounce(dsn("delivered", "2.0.0", "250 2.0.0 OK")) is None
