"""Small network probes the stack supervisor (and the tests) use to wait for a child process to listen."""

from __future__ import annotations

import socket


def port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    """Whether something accepts TCP connections there (a service is up, a child process listens)."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_answers(host: str, port: int, timeout: float = 1.0) -> bool:
    """Whether an HTTP server there answers a request (any status line).

    A pre-forking server (gunicorn) listens before its workers have loaded the application: connections queue in
    the socket's backlog until one is ready, so an open port alone does not mean requests are served yet.
    """
    try:
        with socket.create_connection((host, port), timeout=timeout) as conn:
            conn.sendall(f"GET /healthz HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
            return conn.recv(12).startswith(b"HTTP/1.")
    except OSError:
        return False
