"""The local DNS server on the embedded stack: it serves the records REX publishes (``REX_DNS_PROVIDER=local``),
so the DNS checks of the demo's domains pass without a registrar. Registered with ``ops.stack`` in
``DomainsConfig.ready``; started only when no outside resolver is configured."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings

from domains.dns_server import pick_dns_port
from ops.stack import EmbeddedService, Stack


def wanted() -> bool:
    return settings.REX_DNS_PROVIDER == "local" and not settings.REX_DNS_NAMESERVERS


def start(stack: Stack, say: Callable[[str], None]) -> None:
    """Serve the locally published DNS records and point every process's DNS checks at that server."""
    preferred = settings.REX_LOCAL_DNS_PORT
    port = pick_dns_port("127.0.0.1", preferred)
    if port != preferred:
        say(f"port {preferred} is taken (UDP or TCP); the local DNS server uses 127.0.0.1:{port} instead")
    stack.start_command("dns", "rex_dns_serve", "--host", "127.0.0.1", "--port", str(port))
    stack.wait_until_listening("dns", "127.0.0.1", port)
    nameserver = f"127.0.0.1:{port}"
    stack.env["REX_DNS_NAMESERVERS"] = nameserver  # the web, worker and beat started next inherit it
    settings.REX_DNS_NAMESERVERS = [nameserver]  # and the demo seed, in this process


LOCAL_DNS = EmbeddedService("dns", wanted, start, order=10)
