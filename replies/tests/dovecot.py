"""A real Dovecot IMAP server for the replies tests, on a free port of 127.0.0.1, with a throwaway configuration.

Everything lives in one temporary directory (configuration, users, maildirs, sockets, state, log) that is removed
at teardown. Dovecot daemonizes, so it is started with its output going to a file (never a pipe a test would wait
on) and stopped by the master pid it writes, and only that pid.

Dovecot 2.3 refuses to run its login processes or to deliver mail as root: run as root (the CI container), the
login processes run as ``dovenull``, the internal ones and the mail as ``dovecot``, which owns the maildirs. Run as
anyone else, everything runs as that user.

``scripts/ensure_dovecot.sh`` installs Debian's ``dovecot-imapd`` (``make test`` runs it); without ``dovecot`` the
``dovecot`` fixture fails, naming the script (the suite never skips a service it cannot get).
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from imapclient import IMAPClient
from imapclient.exceptions import LoginError

from inboxes.tests.conftest import make_certificate_authority
from ops.net import free_port, port_open

HOST = "127.0.0.1"
START_TIMEOUT_SECONDS = 10.0

CONFIG = """\
# Written by replies/tests/dovecot.py for one test session; nothing here is read from /etc/dovecot.
base_dir = {root}/run
state_dir = {root}/state
instance_name = rex-test-{port}
protocols = imap
listen = {host}
{ssl}
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = {login_user}
default_internal_user = {internal_user}
mail_uid = {mail_user}
mail_gid = {mail_group}
first_valid_uid = {mail_uid}
first_valid_gid = {mail_gid}
mail_location = maildir:{root}/mail/%u
log_path = {root}/dovecot.log
auth_verbose = yes
# A refused login answers at once (the default waits 2s against guessing, which only slows the tests down).
auth_failure_delay = 0

passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users/%u
}}
userdb {{
  driver = static
  args = uid={mail_user} gid={mail_group} home={root}/mail/%u
}}

service imap-login {{
  inet_listener imap {{
    address = {host}
    port = {port}
  }}
  inet_listener imaps {{
    address = {host}
    port = {tls_port}
  }}
}}
# No per-address penalty after a failed login either (anvil would slow every later login from 127.0.0.1 by
# seconds, the good ones included): the documented way to turn it off.
service anvil {{
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
# The stats sockets are under base_dir like every other; open to the unprivileged processes.
service stats {{
  unix_listener stats-reader {{
    mode = 0666
  }}
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
"""


class DovecotServer:
    """One running Dovecot: ``host``, ``port``, ``add_user``, ``append``, ``flags``, ``set_uidvalidity``."""

    def __init__(self, root: Path, *, tls: bool = False) -> None:
        self.root = root
        self.host = HOST
        self.port = free_port()
        # With tls: implicit TLS on ``tls_port`` and STARTTLS on ``port``, a certificate for 127.0.0.1 and localhost
        # signed by a throwaway CA (``ca_file``, what a client trusts).
        self.tls = tls
        self.tls_port = free_port() if tls else 0
        self.ca_file: Path | None = None
        self.config = root / "dovecot.conf"
        self.log = root / "dovecot.log"
        # One passwd-file per user: Dovecot looks at a file it already read at most once a second, so a user added
        # to a shared file right after another login would be unknown for up to a second.
        self.users_dir = root / "users"
        self._passwords: dict[str, str] = {}

    # --- life cycle ----------------------------------------------------------------------------------------------

    def start(self) -> None:
        if os.geteuid() == 0:
            login_user, internal_user, mail_user = "dovenull", "dovecot", "dovecot"
        else:
            login_user = internal_user = mail_user = pwd.getpwuid(os.geteuid()).pw_name
        mail = pwd.getpwnam(mail_user)
        (self.root / "mail").mkdir()
        self.users_dir.mkdir()
        # The unprivileged login and mail processes must reach the directory (a mkdtemp is 0700).
        self.root.chmod(0o755)
        self.users_dir.chmod(0o755)
        os.chown(self.root / "mail", mail.pw_uid, mail.pw_gid)
        ssl_lines = "ssl = no"
        if self.tls:
            files = make_certificate_authority(self.root / "tls", "imap")
            self.ca_file = files.ca
            ssl_lines = f"ssl = yes\nssl_cert = <{files.cert}\nssl_key = <{files.key}"
        self.config.write_text(CONFIG.format(
            ssl=ssl_lines, tls_port=self.tls_port, root=self.root, host=self.host, port=self.port,
            login_user=login_user, internal_user=internal_user,
            mail_user=mail_user, mail_group=mail.pw_gid, mail_uid=mail.pw_uid, mail_gid=mail.pw_gid))
        with open(self.root / "dovecot.stdout", "wb") as out:
            # dovecot forks into the background and returns; its output goes to a file, never to a pipe.
            subprocess.run([dovecot_binary(), "-c", str(self.config)], stdout=out, stderr=subprocess.STDOUT,
                           stdin=subprocess.DEVNULL, check=True, timeout=START_TIMEOUT_SECONDS)
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while not port_open(self.host, self.port):
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"Dovecot did not listen on {self.host}:{self.port} within "
                                   f"{START_TIMEOUT_SECONDS:.0f}s; its log:\n{self.read_log()}")
            time.sleep(0.05)

    def stop(self) -> None:
        pid = self.master_pid()
        if pid is None:
            return
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.05)

    def master_pid(self) -> int | None:
        try:
            return int((self.root / "run" / "master.pid").read_text().strip())
        except (FileNotFoundError, ValueError):
            return None

    def read_log(self) -> str:
        parts = [path.read_text(errors="replace") for path in (self.log, self.root / "dovecot.stdout") if path.exists()]
        return "\n".join(parts)

    # --- what a test does ------------------------------------------------------------------------------------------

    def add_user(self, name: str, password: str) -> None:
        """A new mail user logging in with ``password`` (PLAIN or LOGIN)."""
        if "/" in name or name.startswith("."):
            raise ValueError(f"{name!r} cannot be a mail user's name here (it names a file)")
        self._passwords[name] = password
        path = self.users_dir / name
        path.write_text(f"{name}:{{PLAIN}}{password}::::::\n")
        path.chmod(0o644)

    @contextmanager
    def client(self, user: str) -> Iterator[IMAPClient]:
        """An IMAP session logged in as ``user`` (a test's own look at the mailbox)."""
        client = IMAPClient(self.host, port=self.port, ssl=False, timeout=10)
        try:
            try:
                client.login(user, self._passwords[user])
            except LoginError as exc:
                raise LoginError(f"{exc} (Dovecot's log:\n{self.read_log()[-3000:]})") from exc
            yield client
        finally:
            try:
                client.logout()
            except Exception:  # noqa: BLE001 - the session may already be gone; the test's result is what counts
                client.shutdown()

    def append(self, user: str, raw: bytes, folder: str = "INBOX", flags: Iterable[str] = ()) -> int:
        """Deliver ``raw`` into ``user``'s ``folder`` (created when missing) with IMAP APPEND; returns its UID."""
        with self.client(user) as client:
            if folder != "INBOX" and not client.folder_exists(folder):
                client.create_folder(folder)
            response = client.append(folder, raw, flags=tuple(flags))
        # "[APPENDUID <uidvalidity> <uid>] Append completed." (UIDPLUS, which Dovecot has)
        return int(response.split(b"]")[0].split()[-1])

    def flags(self, user: str, uid: int, folder: str = "INBOX") -> set[bytes]:
        """The flags of one message (b"\\Seen", …), read without changing them."""
        with self.client(user) as client:
            client.select_folder(folder, readonly=True)
            return set(client.get_flags([uid]).get(uid, ()))

    def raw(self, user: str, uid: int, folder: str = "INBOX") -> bytes:
        """The bytes the server holds for a message (it may have normalised what was appended: bare LF, NUL)."""
        with self.client(user) as client:
            client.select_folder(folder, readonly=True)
            return bytes(client.fetch([uid], [b"BODY.PEEK[]"])[uid][b"BODY[]"])

    def uidvalidity(self, user: str, folder: str = "INBOX") -> int:
        with self.client(user) as client:
            return int(client.folder_status(folder, [b"UIDVALIDITY"])[b"UIDVALIDITY"])

    def set_uidvalidity(self, user: str, value: int, folder: str = "INBOX") -> None:
        """Give ``folder`` a new UIDVALIDITY, as a server does after a rebuild: its messages keep their UIDs."""
        subprocess.run([doveadm_binary(), "-c", str(self.config), "mailbox", "update", "-u", user,
                        "--uid-validity", str(value), folder],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, check=True,
                       timeout=START_TIMEOUT_SECONDS)


def dovecot_binary() -> str | None:
    return shutil.which("dovecot") or (("/usr/sbin/dovecot") if os.path.exists("/usr/sbin/dovecot") else None)


def doveadm_binary() -> str:
    return shutil.which("doveadm") or "/usr/bin/doveadm"


@contextmanager
def running_dovecot(*, tls: bool = False) -> Iterator[DovecotServer]:
    """A started Dovecot (``tls``: with implicit TLS and STARTTLS), stopped and its directory removed afterwards."""
    root = Path(tempfile.mkdtemp(prefix="rex-dovecot-"))
    server = DovecotServer(root, tls=tls)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)
