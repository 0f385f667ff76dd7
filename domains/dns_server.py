"""REX's own authoritative DNS server (dnslib), standing in for a registrar's DNS on 127.0.0.1.

It answers, over UDP and TCP, from a zone source: ``DatabaseZone`` (the ``DnsRecord`` rows the local provider
published; ``manage.py rex_dns_serve``, started by ``rex up``) or ``MemoryZone`` (a dict the tests fill). Names
are matched case-insensitively; a name with no records at or below it is NXDOMAIN, a known name without the
asked type is NOERROR with an empty answer (and the zone's SOA, when the zone is known, for negative caching).

TXT values longer than 255 bytes (a 2048-bit DKIM key is ~400 characters) go out as several 255-byte strings,
which receivers join. A UDP answer larger than the client can take (512 bytes, or its EDNS buffer size) is sent
truncated (TC) so the client asks again over TCP, as RFC 1035 and RFC 7766 expect.
"""

from __future__ import annotations

import logging
import socket
import socketserver
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from dnslib import AAAA, CNAME, EDNS0, MX, NS, OPCODE, PTR, QTYPE, RCODE, RR, SOA, TXT, A, DNSHeader, DNSRecord
from dnslib.server import DNSHandler, DNSServer

from core.names import normalize_domain_name

logger = logging.getLogger(__name__)

TXT_CHUNK_BYTES = 255
CLASSIC_UDP_LIMIT = 512
# What we advertise in our own EDNS OPT (the DNS flag day 2020 value, safe from IP fragmentation).
EDNS_UDP_PAYLOAD = 1232


@dataclass(frozen=True)
class ZoneRecord:
    name: str
    rtype: str
    value: str
    ttl: int = 300
    priority: int | None = None


@dataclass
class Lookup:
    exists: bool  # whether the name has records at or below it (else NXDOMAIN)
    records: list[ZoneRecord] = field(default_factory=list)  # the records of exactly that name
    zone: str | None = None  # the apex of the zone the name belongs to, when known (for the SOA)


class ZoneSource(Protocol):
    def lookup(self, name: str) -> Lookup:
        """Everything known about ``name`` (lower case, no trailing dot)."""


def _split_txt(value: str) -> list[bytes]:
    data = value.encode("utf-8")
    return [data[i:i + TXT_CHUNK_BYTES] for i in range(0, len(data), TXT_CHUNK_BYTES)] or [b""]


def to_rdata(record: ZoneRecord):
    """The dnslib rdata of a record; ValueError for a type this server does not serve."""
    rtype, value = record.rtype.upper(), record.value.strip()
    if rtype == "TXT":
        return TXT(_split_txt(record.value))
    if rtype == "MX":
        return MX(value, preference=record.priority if record.priority is not None else 10)
    simple = {"A": A, "AAAA": AAAA, "CNAME": CNAME, "NS": NS, "PTR": PTR}
    if rtype in simple:
        return simple[rtype](value)
    raise ValueError(f"record type {rtype} is not served")


def _soa(zone: str) -> RR:
    # Serial 1 is enough: nobody transfers these zones; the minimum (last field) is the negative-caching TTL.
    return RR(zone + ".", QTYPE.SOA, ttl=300,
              rdata=SOA(f"ns.{zone}.", f"hostmaster.{zone}.", (1, 3600, 600, 86400, 60)))


class ZoneResolver:
    """The dnslib resolver: answers authoritatively from a ``ZoneSource``; never recurses."""

    def __init__(self, source: ZoneSource) -> None:
        self.source = source

    def resolve(self, request: DNSRecord, handler: DNSHandler) -> DNSRecord:
        reply = request.reply(ra=0, aa=1)
        if any(rr.rtype == QTYPE.OPT for rr in request.ar):
            reply.add_ar(EDNS0(udp_len=EDNS_UDP_PAYLOAD))
        if request.header.opcode != OPCODE.QUERY:
            reply.header.rcode = RCODE.NOTIMP
            return reply
        if len(request.questions) != 1:
            reply.header.rcode = RCODE.FORMERR
            return reply
        question = request.q
        if question.qclass not in (1, 255):  # IN, ANY
            reply.header.rcode = RCODE.REFUSED
            return reply
        name = normalize_domain_name(question.qname)
        try:
            found = self.source.lookup(name)
        except Exception:  # a broken zone source is a SERVFAIL, not a dead server thread
            logger.exception("DNS zone lookup of %s failed", name)
            reply.header.rcode = RCODE.SERVFAIL
            return reply
        if not found.exists:
            reply.header.rcode = RCODE.NXDOMAIN
            if found.zone:
                reply.add_auth(_soa(found.zone))
            return reply
        qtype = QTYPE[question.qtype]
        if qtype in ("SOA", "ANY") and found.zone == name:
            reply.add_answer(_soa(name))
        for record in found.records:
            rtype = record.rtype.upper()
            # A CNAME answers every type (RFC 1034 §3.6.2); the client follows it.
            if qtype not in ("ANY", rtype) and rtype != "CNAME":
                continue
            try:
                rdata = to_rdata(record)
            except ValueError as exc:
                logger.warning("not serving %s %s: %s", record.name, record.rtype, exc)
                continue
            reply.add_answer(RR(question.qname, getattr(QTYPE, rtype), ttl=record.ttl, rdata=rdata))
        if not reply.rr and found.zone:
            reply.add_auth(_soa(found.zone))
        return reply


class _Handler(DNSHandler):
    def get_reply(self, data: bytes) -> bytes:
        request = DNSRecord.parse(data)
        reply = self.server.resolver.resolve(request, self)
        self.server.logger.log_reply(self, reply)
        packed = reply.pack()
        if self.protocol == "udp":
            opt = next((rr for rr in request.ar if rr.rtype == QTYPE.OPT), None)
            limit = max(CLASSIC_UDP_LIMIT, opt.rclass) if opt is not None else CLASSIC_UDP_LIMIT
            if len(packed) > limit:
                # Keep the question (dnslib's truncate() drops it, and clients match replies on it).
                truncated = DNSRecord(DNSHeader(id=request.header.id, qr=1, aa=1, ra=0, tc=1,
                                                rcode=reply.header.rcode), q=request.q)
                self.server.logger.log_truncated(self, truncated)
                packed = truncated.pack()
        return packed


class _Logger:
    """dnslib's logger interface, routed to Python logging (queries at DEBUG)."""

    def log_recv(self, handler, data) -> None: ...
    def log_send(self, handler, data) -> None: ...
    def log_request(self, handler, request) -> None: ...
    def log_data(self, dnsobj) -> None: ...

    def log_reply(self, handler, reply: DNSRecord) -> None:
        if logger.isEnabledFor(logging.DEBUG) and reply.questions:
            logger.debug("%s %s %s %s -> %s, %d answer(s)", handler.client_address[0], handler.protocol,
                         reply.q.qname, QTYPE[reply.q.qtype], RCODE[reply.header.rcode], len(reply.rr))

    def log_truncated(self, handler, reply) -> None:
        logger.debug("%s: answer too large for UDP, sent truncated", handler.client_address[0])

    def log_error(self, handler, error) -> None:
        # A TCP connection closed before sending a query is a liveness probe (rex up waits on one), not an attack.
        level = logging.DEBUG if str(error) == "Request Truncated" else logging.WARNING
        logger.log(level, "bad DNS request from %s: %s", handler.client_address[0], error)


class _UDPServer(socketserver.ThreadingMixIn, socketserver.UDPServer):
    daemon_threads = True
    # Not SO_REUSEADDR: on Linux two UDP sockets could then share the port and split the queries between them.
    allow_reuse_address = False


class _TCPServer(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True


def _ipv6(cls):
    return type(cls.__name__ + "6", (cls,), {"address_family": socket.AF_INET6})


class MemoryZone:
    """An in-memory zone, for tests: ``add`` records, ``remove`` them; safe to change while serving."""

    def __init__(self, records: Mapping[str, Iterable[ZoneRecord]] | None = None) -> None:
        self._lock = threading.Lock()
        self._records: dict[str, list[ZoneRecord]] = {}
        self.apexes: set[str] = set()
        for rs in (records or {}).values():
            for r in rs:
                self.add(r.name, r.rtype, r.value, ttl=r.ttl, priority=r.priority)

    def add(self, name: str, rtype: str, value: str, *, ttl: int = 300, priority: int | None = None) -> ZoneRecord:
        record = ZoneRecord(normalize_domain_name(name), rtype.upper(), value, ttl, priority)
        with self._lock:
            self._records.setdefault(record.name, []).append(record)
        return record

    def remove(self, name: str, rtype: str | None = None) -> None:
        name = normalize_domain_name(name)
        with self._lock:
            kept = [r for r in self._records.get(name, []) if rtype is not None and r.rtype != rtype.upper()]
            if kept:
                self._records[name] = kept
            else:
                self._records.pop(name, None)

    def clear(self) -> None:
        with self._lock:
            self._records.clear()
            self.apexes.clear()

    def lookup(self, name: str) -> Lookup:
        with self._lock:
            records = list(self._records.get(name, []))
            exists = bool(records) or name in self.apexes or any(n.endswith("." + name) for n in self._records)
            zone = max((a for a in self.apexes if name == a or name.endswith("." + a)), key=len, default=None)
        return Lookup(exists, records, zone)


class DatabaseZone:
    """The ``DnsRecord`` table, with every ``Domain`` as a zone apex."""

    def lookup(self, name: str) -> Lookup:
        from django.db import connection
        from django.db.models import Q
        from django.db.models.functions import Length

        from domains.models import DnsRecord, Domain

        labels = name.split(".")
        suffixes = [".".join(labels[i:]) for i in range(len(labels))]
        try:
            rows = list(DnsRecord.objects.filter(Q(name=name) | Q(name__endswith="." + name))
                        .values_list("name", "rtype", "value", "ttl", "priority"))
            zone = (Domain.objects.filter(name__in=suffixes).order_by(Length("name").desc())
                    .values_list("name", flat=True).first())
        finally:
            # Each query runs in its own short-lived server thread: leave no connection behind.
            connection.close()
        records = [ZoneRecord(*row) for row in rows if row[0] == name]
        return Lookup(bool(rows) or zone == name, records, zone)


class LocalDnsServer:
    """A DNS server on ``host:port`` (UDP and TCP) answering from ``records_source``.

    ``records_source`` is a ``ZoneSource`` (``DatabaseZone()``, ``MemoryZone()``) or a plain mapping
    {name: [ZoneRecord, ...]}, copied into a ``MemoryZone``. Port 0 picks a free port (see ``.port`` after start).
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0,
                 records_source: ZoneSource | Mapping[str, Iterable[ZoneRecord]] | None = None) -> None:
        self.host, self.port = host, port
        if records_source is None:
            records_source = DatabaseZone()
        elif isinstance(records_source, Mapping):
            records_source = MemoryZone(records_source)
        self.source: ZoneSource = records_source
        self._servers: list[DNSServer] = []

    @property
    def nameserver(self) -> str:
        """The entry for REX_DNS_NAMESERVERS that points at this server."""
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"

    def start(self) -> LocalDnsServer:
        resolver, log = ZoneResolver(self.source), _Logger()
        udp_cls, tcp_cls = (_ipv6(_UDPServer), _ipv6(_TCPServer)) if ":" in self.host else (_UDPServer, _TCPServer)
        for attempt in range(20):
            udp = DNSServer(resolver, address=self.host, port=self.port, logger=log, handler=_Handler,
                            server=udp_cls)
            port = udp.server.server_address[1]
            try:
                tcp = DNSServer(resolver, address=self.host, port=port, tcp=True, logger=log, handler=_Handler,
                                server=tcp_cls)
            except OSError:
                udp.server.server_close()
                if self.port or attempt == 19:
                    raise
                continue  # the ephemeral UDP port is taken on TCP: draw another
            break
        self.port = port
        self._servers = [udp, tcp]
        for server in self._servers:
            # A short poll interval: shutdown() waits for the loop to notice, and tests stop servers often.
            server.thread = threading.Thread(target=server.server.serve_forever, kwargs={"poll_interval": 0.05},
                                             name=f"dns-{server.server.socket_type.name}-{port}", daemon=True)
            server.thread.start()
        logger.info("DNS server listening on %s (UDP and TCP)", self.nameserver)
        return self

    def stop(self) -> None:
        for server in self._servers:
            server.server.shutdown()
            server.server.server_close()
            server.thread.join(5)
        self._servers = []

    def __enter__(self) -> LocalDnsServer:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()


def port_free_for_dns(host: str, port: int) -> bool:
    """Whether both UDP and TCP ``port`` can be bound on ``host`` right now (mDNS daemons often hold 5353/udp)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    for kind in (socket.SOCK_DGRAM, socket.SOCK_STREAM):
        with socket.socket(family, kind) as s:
            try:
                s.bind((host, port))
            except OSError:
                return False
    return True


def pick_dns_port(host: str, preferred: int) -> int:
    """``preferred`` when both its UDP and TCP sides are free on ``host``, else another port that is."""
    if preferred and port_free_for_dns(host, preferred):
        return preferred
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    for _ in range(50):
        with socket.socket(family, socket.SOCK_DGRAM) as s:
            s.bind((host, 0))
            candidate = s.getsockname()[1]
        if port_free_for_dns(host, candidate):
            return candidate
    raise OSError(f"no port on {host} is free for DNS on both UDP and TCP")
