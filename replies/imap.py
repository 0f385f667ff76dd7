"""Read new mail from each inbox over IMAP into ``InboundMessage`` rows, never twice, never skipping one.

Per inbox and folder a ``MailboxCursor`` keeps the folder's UIDVALIDITY and the last UID stored. A poll searches
``UID last+1:*``, fetches ``BODY.PEEK[]`` (PEEK: reading never sets \\Seen) in batches, and stores each batch in
one transaction with the cursor's advance, so a crash between two batches neither skips nor stores a message twice.
When the server's UIDVALIDITY changed, the folder is read again from UID 1 and messages already stored (same
Message-ID in that inbox, or the same bytes when there is no Message-ID) are skipped.

Messages stay unread on the server unless the inbox says ``imap_mark_seen``: then \\Seen is set after the batch is
committed, on the messages stored (so a message is never marked read and then lost).

An inbox that cannot be read (authentication refused, timeout, connection refused, TLS failure, a password no key
decrypts) gets the reason on its cursor(s) and a ``PollError`` for that inbox alone; ``poll_all`` goes on with the
others. Two polls of one inbox never run at once (a cache lock): the second returns at once, marked ``busy``.

Other modules act on new messages through ``register_new_message_handler(fn)``: after each batch commits, ``fn`` is
called with the ids of the messages that batch stored (triage is wired in there, not here).
"""

from __future__ import annotations

import ipaddress
import logging
import ssl
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError, LoginError

from core.crypto import SecretUnreadable
from inboxes.models import Inbox
from replies.models import InboundMessage, MailboxCursor
from replies.parsing import parse_message
from tenants.models import Organization

logger = logging.getLogger(__name__)

SEEN = b"\\Seen"
LOCAL_HOSTS = frozenset({"localhost", "localhost.localdomain"})

NewMessageHandler = Callable[[list[int]], None]
_handlers: list[NewMessageHandler] = []


class PollError(Exception):
    """One inbox could not be read; ``report`` has what was read before the failure (possibly nothing)."""

    def __init__(self, reason: str, *, report: PollReport) -> None:
        self.message = f"{report.address}: {reason}"
        super().__init__(self.message)
        self.reason = reason
        self.report = report
        report.error = reason


@dataclass
class FolderReport:
    folder: str
    uidvalidity: int | None = None
    fetched: int = 0          # messages read from the server
    stored: int = 0           # of which new: stored now
    skipped: int = 0          # of which already stored (a re-read after a UIDVALIDITY change)
    reread: bool = False      # the folder's UIDVALIDITY changed: it was read again from the start


@dataclass
class PollReport:
    inbox_id: int
    address: str
    folders: list[FolderReport] = field(default_factory=list)
    new_message_ids: list[int] = field(default_factory=list)
    error: str = ""
    busy: bool = False        # another poll of this inbox was running: nothing was done

    @property
    def stored(self) -> int:
        return sum(folder.stored for folder in self.folders)

    @property
    def fetched(self) -> int:
        return sum(folder.fetched for folder in self.folders)

    def summary(self) -> str:
        if self.error:
            return f"FAILED {self.address}: {self.error}"
        if self.busy:
            return f"{self.address}: skipped, another poll of this inbox is running"
        rereads = [folder.folder for folder in self.folders if folder.reread]
        extra = f" (UIDVALIDITY changed, re-read: {', '.join(rereads)})" if rereads else ""
        return f"{self.address}: {self.stored} new of {self.fetched} read{extra}"

    def as_dict(self) -> dict:
        return {**asdict(self), "stored": self.stored, "fetched": self.fetched}


# --- handlers of new messages ----------------------------------------------------------------------------------------

def register_new_message_handler(handler: NewMessageHandler) -> NewMessageHandler:
    """Call ``handler(ids)`` after each committed batch of new messages; usable as a decorator. Idempotent."""
    if handler not in _handlers:
        _handlers.append(handler)
    return handler


def unregister_new_message_handler(handler: NewMessageHandler) -> None:
    if handler in _handlers:
        _handlers.remove(handler)


def _notify(ids: list[int]) -> None:
    for handler in list(_handlers):
        try:
            handler(ids)
        except Exception:  # one handler's bug must not stop the others; the messages are stored either way
            logger.exception("new-message handler %r failed for %d messages", handler, len(ids))


# --- polling -------------------------------------------------------------------------------------------------------

def poll_all(organization: Organization | None = None) -> list[PollReport]:
    """Poll every inbox with an IMAP host (of ``organization``, or all); a failed inbox's report has ``error``."""
    inboxes = Inbox.objects.exclude(imap_host="").select_related("organization")
    if organization is not None:
        inboxes = inboxes.filter(organization=organization)
    reports = []
    for inbox in inboxes:
        try:
            reports.append(poll_inbox(inbox))
        except PollError as exc:
            logger.warning("IMAP poll failed: %s", exc.message)
            reports.append(exc.report)
    return reports


def poll_inbox(inbox: Inbox, *, folders: Sequence[str] = ("INBOX",)) -> PollReport:
    """Store the messages that arrived in ``folders`` of ``inbox`` since the last poll; raises ``PollError``."""
    report = PollReport(inbox_id=inbox.pk, address=inbox.address)
    with _inbox_lock(inbox.pk) as acquired:
        if not acquired:
            report.busy = True
            return report
        remaining = list(folders)
        try:
            client = _connect(inbox)
            try:
                while remaining:
                    report.folders.append(_poll_folder(client, inbox, remaining[0], report))
                    remaining.pop(0)
            finally:
                _logout(client)
        except _Refused as exc:
            _fail(inbox, remaining, str(exc), report)
        except SecretUnreadable:
            _fail(inbox, remaining, "the inbox's password cannot be decrypted (was its encryption key dropped?)",
                  report)
        except LoginError as exc:
            _fail(inbox, remaining, f"authentication refused for {_login_name(inbox)}: {_text(exc)}", report)
        except TimeoutError:
            _fail(inbox, remaining, f"timed out after {settings.REX_IMAP_TIMEOUT_SECONDS:g}s talking to "
                                    f"{_where(inbox)}", report)
        except ssl.SSLError as exc:
            _fail(inbox, remaining, f"TLS with {_where(inbox)} failed: {exc.reason or exc}", report)
        except OSError as exc:
            _fail(inbox, remaining, f"cannot connect to {_where(inbox)}: {exc.strerror or exc}", report)
        except IMAPClientError as exc:  # imaplib's error and abort: the server said no, or dropped the session
            folder = f" (folder {remaining[0]})" if remaining else ""
            _fail(inbox, remaining, f"IMAP error from {_where(inbox)}{folder}: {_text(exc)}", report)
    return report


class _Refused(Exception):
    """A configuration REX will not connect with (no host, plain IMAP to another machine)."""


def poll_lock_key(inbox_id: int) -> str:
    """The cache key held while an inbox is polled (a poll finding it taken returns at once, ``busy``)."""
    return f"replies:imap-poll:{inbox_id}"


@contextmanager
def _inbox_lock(inbox_id: int) -> Iterator[bool]:
    key = poll_lock_key(inbox_id)
    token = uuid.uuid4().hex
    # Expires after a task's hard time limit, so a worker killed mid-poll cannot block the inbox for ever.
    acquired = bool(cache.add(key, token, timeout=int(settings.CELERY_TASK_TIME_LIMIT) + 60))
    try:
        yield acquired
    finally:
        # Only our own lock: after an expiry another poll may hold the key by now.
        if acquired and cache.get(key) == token:
            cache.delete(key)


def _fail(inbox: Inbox, folders: list[str], message: str, report: PollReport) -> None:
    message = message[:500]
    now = timezone.now()
    for folder in folders or ["INBOX"]:
        MailboxCursor.objects.update_or_create(inbox=inbox, folder=folder,
                                               defaults={"last_error": message, "last_error_at": now})
    raise PollError(message, report=report)


def _connect(inbox: Inbox) -> IMAPClient:
    if not inbox.imap_host:
        raise _Refused("no IMAP host is configured")
    security = inbox.imap_security
    if security == "none" and not _is_local(inbox.imap_host):
        # Plain IMAP would send the password in clear over the network: only a server on this host may go without.
        raise _Refused(f"imap_security 'none' is allowed only for a server on this host, not {inbox.imap_host}")
    password = inbox.password   # before any network: an unreadable secret is this inbox's error, not a timeout
    context = _tls_context() if security in ("ssl", "starttls") else None
    client = IMAPClient(inbox.imap_host, port=inbox.imap_port, ssl=security == "ssl", ssl_context=context,
                        timeout=settings.REX_IMAP_TIMEOUT_SECONDS)
    try:
        if security == "starttls":
            client.starttls(context)
        client.login(_login_name(inbox), password)
    except BaseException:
        try:
            client.shutdown()
        except OSError:
            pass   # already closed by the server; the original error is the one to report
        raise
    return client


def _tls_context() -> ssl.SSLContext:
    # Certificates and host names are always verified; REX_IMAP_CA_FILE replaces the system store for a private CA.
    return ssl.create_default_context(cafile=settings.REX_IMAP_CA_FILE or None)


def _logout(client: IMAPClient) -> None:
    try:
        client.logout()
    except (IMAPClientError, OSError):
        # The session is already gone (the server hung up after an error): nothing left to close politely.
        try:
            client.shutdown()
        except OSError:
            pass


def _poll_folder(client: IMAPClient, inbox: Inbox, folder: str, report: PollReport) -> FolderReport:
    cursor, _ = MailboxCursor.objects.get_or_create(inbox=inbox, folder=folder)
    # EXAMINE (read-only) unless we are to mark messages read: the server then cannot set \Seen at all.
    selected = client.select_folder(folder, readonly=not inbox.imap_mark_seen)
    uidvalidity = int(selected[b"UIDVALIDITY"])
    result = FolderReport(folder=folder, uidvalidity=uidvalidity)
    if cursor.uidvalidity != uidvalidity:
        # New UIDVALIDITY: the old UIDs mean nothing any more. Read from the start; stored messages are skipped.
        result.reread = cursor.uidvalidity is not None
        if result.reread:
            logger.warning("IMAP %s/%s: UIDVALIDITY changed %s -> %s, reading the folder again",
                           inbox.address, folder, cursor.uidvalidity, uidvalidity)
        MailboxCursor.objects.filter(pk=cursor.pk).update(uidvalidity=uidvalidity, last_uid=0)
        cursor.uidvalidity, cursor.last_uid = uidvalidity, 0

    # "UID n:*" always matches the newest message, even when its UID is below n: keep only UIDs above the cursor.
    uids = sorted(uid for uid in client.search(["UID", f"{cursor.last_uid + 1}:*"]) if uid > cursor.last_uid)
    size = max(1, settings.REX_IMAP_BATCH_SIZE)
    for start in range(0, len(uids), size):
        batch = uids[start:start + size]
        fetched = client.fetch(batch, [b"BODY.PEEK[]"])
        raws = [(uid, bytes(fetched[uid][b"BODY[]"])) for uid in batch
                if uid in fetched and fetched[uid].get(b"BODY[]") is not None]
        new_ids, skipped = _store_batch(inbox, cursor, uidvalidity, batch[-1], raws)
        result.fetched += len(raws)
        result.stored += len(new_ids)
        result.skipped += skipped
        report.new_message_ids.extend(new_ids)
        if inbox.imap_mark_seen and raws:
            client.add_flags([uid for uid, _ in raws], [SEEN], silent=True)

    MailboxCursor.objects.filter(pk=cursor.pk).update(last_polled_at=timezone.now(), last_error="",
                                                      last_error_at=None)
    return result


def _store_batch(inbox: Inbox, cursor: MailboxCursor, uidvalidity: int, last_uid: int,
                 raws: list[tuple[int, bytes]]) -> tuple[list[int], int]:
    """Store one batch and advance the cursor to ``last_uid`` in one transaction; (new ids, skipped count)."""
    new_ids: list[int] = []
    skipped = 0
    with transaction.atomic():
        locked = MailboxCursor.objects.select_for_update().get(pk=cursor.pk)
        if locked.uidvalidity != uidvalidity:
            # Another poll reset this folder meanwhile (the cache lock expired?): stop rather than mix two readings.
            raise _Refused(f"the cursor of {cursor.folder} changed while reading it (another poll of this inbox?)")
        for uid, raw in raws:
            if uid <= locked.last_uid:
                continue
            message = _inbound(inbox, cursor.folder, uidvalidity, uid, raw)
            if _already_stored(message):
                skipped += 1
                continue
            try:
                with transaction.atomic():
                    message.save()
            except IntegrityError:
                # Stored meanwhile under the same Message-ID (another folder of this inbox): keep the first.
                skipped += 1
                continue
            new_ids.append(message.pk)
        locked.last_uid = max(locked.last_uid, last_uid)
        locked.messages_read += len(raws)
        locked.save(update_fields=["last_uid", "messages_read"])
        if new_ids:
            transaction.on_commit(partial(_notify, list(new_ids)), robust=True)
    cursor.last_uid = locked.last_uid
    return new_ids, skipped


def _already_stored(message: InboundMessage) -> bool:
    existing = InboundMessage.objects.filter(inbox=message.inbox)
    if message.message_id:
        return existing.filter(message_id=message.message_id).exists()
    # No Message-ID to go by: after a UIDVALIDITY change the same bytes in the same folder are the same message.
    return (existing.filter(folder=message.folder, message_id="", raw=message.raw)
            .exclude(uidvalidity=message.uidvalidity).exists())


def _inbound(inbox: Inbox, folder: str, uidvalidity: int, uid: int, raw: bytes) -> InboundMessage:
    parsed = parse_message(raw)
    fields = {
        "message_id": parsed.message_id, "in_reply_to": parsed.in_reply_to, "references": parsed.references,
        "from_address": parsed.from_address, "from_name": parsed.from_name, "to_address": parsed.to_address,
        "subject": parsed.subject,
    }
    for name, value in fields.items():
        limit = InboundMessage._meta.get_field(name).max_length
        fields[name] = value[:limit] if limit else value
    return InboundMessage(organization_id=inbox.organization_id, inbox=inbox, channel="email", folder=folder,
                          uidvalidity=uidvalidity, uid=uid, raw=raw, sent_at=parsed.sent_at,
                          body_text=parsed.body_text, new_text=parsed.new_text, **fields)


# --- small helpers -------------------------------------------------------------------------------------------------

def _login_name(inbox: Inbox) -> str:
    return inbox.imap_username or inbox.address


def _where(inbox: Inbox) -> str:
    return f"{inbox.imap_host}:{inbox.imap_port}"


def _is_local(host: str) -> bool:
    if host.lower() in LOCAL_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _text(exc: BaseException) -> str:
    text = str(exc.args[0] if exc.args else exc)
    if text.startswith("b'") or text.startswith('b"'):
        text = text[2:-1]
    return " ".join(text.split())
