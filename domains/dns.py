"""DNS authentication checks of a sending domain: MX, SPF (RFC 7208), DKIM (RFC 6376) and DMARC (RFC 7489).

``check_domain`` asks the configured resolvers (``settings.REX_DNS_NAMESERVERS``, else the system's), judges each
record type, writes one ``DnsCheck`` row and updates ``Domain.dns_ok``. A domain leaves ``dns_pending`` only when
the latest check passed (``Domain.transition`` enforces it).

A resolver that does not answer is not a verdict on the domain: ``DnsUnavailable`` is raised and nothing is
stored, so an agent retries later instead of recording a failure the domain did not earn.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import logging
import re
import socket
from dataclasses import dataclass, field

import dns.exception
import dns.name
import dns.nameserver
import dns.rdatatype
import dns.resolver
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.crypto import SecretUnreadable, decrypt
from core.names import normalize_domain_name
from domains.models import DnsCheck, Domain, DomainState

logger = logging.getLogger(__name__)

RECORD_TYPES = ("mx", "spf", "dkim", "dmarc")
DMARC_POLICIES = ("none", "quarantine", "reject")
# RFC 8301: verifiers must not accept RSA keys shorter than 1024 bits.
DKIM_MIN_RSA_BITS = 1024

_SPF_VERSION = re.compile(r"^v=spf1(\s|$)", re.IGNORECASE)
_SPF_ALL = re.compile(r"^([+\-~?]?)all$", re.IGNORECASE)
_DMARC_VERSION = re.compile(r"^v\s*=\s*DMARC1\s*(;|$)")


class DnsUnavailable(Exception):
    """No resolver answered (timeout, refused, SERVFAIL): the check could not be made; try again later."""


@dataclass
class RecordVerdict:
    ok: bool
    records: list[str] = field(default_factory=list)
    detail: str = ""

    def as_json(self) -> dict:
        return {"ok": self.ok, "records": self.records, "detail": self.detail}


# --- resolving -------------------------------------------------------------------------------------------------------

def parse_nameserver(entry: str) -> tuple[str, int]:
    """``"host"``, ``"host:port"``, ``"[v6]:port"`` or a bare IPv6 address → (IP address, port)."""
    entry = entry.strip()
    host, port = entry, 53
    if entry.startswith("["):
        host, _, rest = entry[1:].partition("]")
        if rest.startswith(":"):
            port = int(rest[1:])
    elif entry.count(":") == 1:
        host, _, port_text = entry.partition(":")
        port = int(port_text)
    try:
        ipaddress.ip_address(host)
    except ValueError:
        # dnspython wants addresses; a name such as "localhost" is looked up once, here.
        host = socket.getaddrinfo(host, port, proto=socket.IPPROTO_UDP)[0][4][0]
    return host, port


def make_resolver(nameservers: list[str] | None = None) -> dns.resolver.Resolver:
    entries = nameservers if nameservers is not None else list(settings.REX_DNS_NAMESERVERS)
    if entries:
        resolver = dns.resolver.Resolver(configure=False)
        try:
            resolver.nameservers = [dns.nameserver.Do53Nameserver(*parse_nameserver(e)) for e in entries]
        except (ValueError, OSError) as exc:
            raise DnsUnavailable(f"bad nameserver in {entries}: {exc}") from exc
    else:
        try:
            resolver = dns.resolver.Resolver()
        except dns.resolver.NoResolverConfiguration as exc:
            raise DnsUnavailable("no nameserver configured: set REX_DNS_NAMESERVERS or /etc/resolv.conf") from exc
    resolver.timeout = resolver.lifetime = settings.REX_DNS_TIMEOUT_SECONDS
    return resolver


def describe_nameservers(resolver: dns.resolver.Resolver) -> list[str]:
    described = []
    for ns in resolver.nameservers:
        if isinstance(ns, dns.nameserver.AddressAndPortNameserver):
            address = f"[{ns.address}]" if ":" in ns.address else ns.address
            described.append(address if ns.port == 53 else f"{address}:{ns.port}")
        else:
            described.append(str(ns))
    return described


@dataclass
class _Answer:
    records: list[str]
    problem: str = ""  # why there is no answer ("" when the name answered with this type)


def _lookup(resolver: dns.resolver.Resolver, name: str, rdtype: str) -> _Answer:
    try:
        answer = resolver.resolve(dns.name.from_text(name), rdtype, search=False)
    except dns.resolver.NXDOMAIN:
        return _Answer([], f"{name} does not exist (NXDOMAIN)")
    except dns.resolver.NoAnswer:
        return _Answer([], f"{name} has no {rdtype} record")
    except (dns.exception.Timeout, dns.resolver.NoNameservers) as exc:
        reason = " ".join(str(exc).split())  # dnspython's messages may span lines; ours are read as one
        raise DnsUnavailable(f"no DNS answer for {name} {rdtype} from "
                             f"{', '.join(describe_nameservers(resolver))}: {reason}") from exc
    except dns.exception.DNSException as exc:
        return _Answer([], f"{name} {rdtype} lookup failed: {exc}")
    if rdtype == "MX":
        return _Answer([f"{r.preference} {r.exchange.to_text(omit_final_dot=True) or '.'}" for r in answer])
    # A TXT record may come as several character-strings (255 bytes each at most): they form one value.
    return _Answer([b"".join(r.strings).decode("utf-8", "replace") for r in answer])


# --- the verdicts --------------------------------------------------------------------------------------------------

def judge_mx(answer: _Answer) -> RecordVerdict:
    if not answer.records:
        return RecordVerdict(False, [], f"{answer.problem}: nobody can receive replies or bounces")
    usable = [r for r in answer.records if r.split(" ", 1)[1] != "."]
    if not usable:
        return RecordVerdict(False, answer.records, "null MX (RFC 7505): the domain declares it accepts no mail")
    return RecordVerdict(True, answer.records, f"{len(usable)} mail exchanger(s): "
                                               + ", ".join(sorted(usable, key=lambda r: int(r.split()[0]))))


def judge_spf(answer: _Answer, required_include: str) -> RecordVerdict:
    spf = [r for r in answer.records if _SPF_VERSION.match(r.strip())]
    if not spf:
        why = answer.problem or f"none of the {len(answer.records)} TXT record(s) starts with v=spf1"
        return RecordVerdict(False, answer.records, f"no SPF record: {why}")
    if len(spf) > 1:
        return RecordVerdict(False, spf, f"{len(spf)} SPF records: receivers treat more than one as a permanent "
                                         "error (RFC 7208 §4.5), as if there were none; merge them into one")
    record = spf[0]
    terms = [t.lower() for t in record.split()[1:]]
    required = normalize_domain_name(required_include)
    include_at = next((i for i, t in enumerate(terms) if t in (f"include:{required}", f"+include:{required}")), None)
    all_at = next((i for i, t in enumerate(terms) if _SPF_ALL.match(t)), None)
    problems = []
    if include_at is None:
        problems.append(f"does not include:{required}, so REX's servers are not allowed to send for the domain")
    if all_at is None:
        problems.append("has no -all or ~all at the end, so mail from any other server is not refused")
    else:
        qualifier = _SPF_ALL.match(terms[all_at]).group(1) or "+"
        if qualifier in "+?":
            problems.append(f"ends in {qualifier}all, which lets any server send as the domain; use -all or ~all")
        if include_at is not None and include_at > all_at:
            problems.append(f"include:{required} comes after {terms[all_at]} and is never evaluated")
    if problems:
        return RecordVerdict(False, spf, "SPF record " + "; ".join(problems))
    seen = terms[all_at]
    meaning = "other senders fail" if seen.startswith("-") else "other senders soft-fail (marked, not refused)"
    return RecordVerdict(True, spf, f"includes {required} and ends in {seen} ({meaning})")


def parse_tag_list(record: str) -> dict[str, str]:
    """A DKIM/DMARC tag list (``v=DKIM1; k=rsa; p=…``) → {tag: value}; ValueError when malformed."""
    tags: dict[str, str] = {}
    for part in record.split(";"):
        if not part.strip():
            continue
        name, sep, value = part.partition("=")
        name = name.strip()
        if not sep or not name:
            raise ValueError(f"{part.strip()!r} is not a tag=value pair")
        if name in tags:
            # RFC 6376 §3.2: a tag list with a duplicated tag is invalid as a whole.
            raise ValueError(f"tag {name}= appears twice")
        tags[name] = value.strip()
    return tags


def judge_dkim(answer: _Answer, selector_name: str, own_public_der: bytes | None,
               own_key_problem: str) -> RecordVerdict:
    if not answer.records:
        return RecordVerdict(False, [], f"no DKIM key: {answer.problem}")
    candidates = [r for r in answer.records if "p=" in r.replace(" ", "")]
    if len(candidates) != 1:
        why = "no TXT record there carries a p= key" if not candidates else \
            f"{len(candidates)} key records at the selector: receivers cannot tell which one signs"
        return RecordVerdict(False, answer.records, f"{selector_name}: {why}")
    record = candidates[0]
    try:
        tags = parse_tag_list(record)
    except ValueError as exc:
        return RecordVerdict(False, [record], f"DKIM record is malformed: {exc}")
    if tags.get("v") != "DKIM1":
        return RecordVerdict(False, [record], f"DKIM record must start with v=DKIM1 (found v={tags.get('v', '')!r})")
    if tags.get("k", "rsa").lower() != "rsa":
        return RecordVerdict(False, [record], f"DKIM key type k={tags['k']} is not rsa, the only type REX signs with")
    p = re.sub(r"\s+", "", tags.get("p", ""))
    if not p:
        return RecordVerdict(False, [record], "DKIM key is empty (p=): that is how a key is revoked, mail cannot be "
                                              "verified")
    try:
        der = base64.b64decode(p, validate=True)
        key = serialization.load_der_public_key(der)
    except (binascii.Error, ValueError) as exc:
        kind = "valid base64" if isinstance(exc, binascii.Error) else "a public key"
        return RecordVerdict(False, [record], f"DKIM p= is not {kind}: receivers cannot verify signatures")
    if not isinstance(key, rsa.RSAPublicKey):
        return RecordVerdict(False, [record], f"DKIM p= holds a {type(key).__name__}, not an RSA key")
    if key.key_size < DKIM_MIN_RSA_BITS:
        return RecordVerdict(False, [record], f"DKIM key is RSA {key.key_size}-bit; receivers reject keys under "
                                              f"{DKIM_MIN_RSA_BITS} bits (RFC 8301)")
    if own_key_problem:
        return RecordVerdict(False, [record], own_key_problem)
    if own_public_der is not None and _rsa_numbers(own_public_der) != key.public_numbers():
        return RecordVerdict(False, [record], "the published DKIM key is not the public half of the domain's "
                                              "signing key: every signature would fail; publish the records again")
    return RecordVerdict(True, [record], f"selector {selector_name.split('.', 1)[0]}: RSA {key.key_size}-bit key")


def _rsa_numbers(der: bytes) -> rsa.RSAPublicNumbers | None:
    key = serialization.load_der_public_key(der)
    return key.public_numbers() if isinstance(key, rsa.RSAPublicKey) else None


def judge_dmarc(answer: _Answer) -> tuple[RecordVerdict, str]:
    """The verdict and the policy (``""`` when none could be read)."""
    dmarc = [r for r in answer.records if _DMARC_VERSION.match(r.strip())]
    if not dmarc:
        why = answer.problem or f"none of the {len(answer.records)} TXT record(s) starts with v=DMARC1"
        return RecordVerdict(False, answer.records, f"no DMARC record: {why}"), ""
    if len(dmarc) > 1:
        return RecordVerdict(False, dmarc, f"{len(dmarc)} DMARC records: receivers ignore DMARC entirely when there "
                                           "is more than one (RFC 7489 §6.6.3)"), ""
    record = dmarc[0]
    try:
        tags = parse_tag_list(record)
    except ValueError as exc:
        return RecordVerdict(False, [record], f"DMARC record is malformed: {exc}"), ""
    policy = tags.get("p", "").lower()
    if not policy:
        return RecordVerdict(False, [record], "DMARC record has no p= policy tag"), ""
    if policy not in DMARC_POLICIES:
        return RecordVerdict(False, [record], f"DMARC p={tags['p']} is not a policy (none, quarantine or "
                                              "reject)"), ""
    if policy == "none":
        return RecordVerdict(True, [record], "p=none only monitors: mail failing SPF and DKIM is still delivered; "
                                             "move to quarantine or reject once reports are clean"), policy
    return RecordVerdict(True, [record], f"p={policy}"), policy


# --- the check -----------------------------------------------------------------------------------------------------

def _own_dkim_key(domain: Domain) -> tuple[bytes | None, str]:
    """The DER public key of the domain's stored signing key, or a problem; (None, "") when it has none yet."""
    if not domain.dkim_private_key_encrypted:
        return None, ""
    from domains.dns_provider import dkim_public_key_der

    try:
        return dkim_public_key_der(decrypt(domain.dkim_private_key_encrypted)), ""
    except (SecretUnreadable, ValueError):
        return None, ("the domain's stored DKIM signing key cannot be read with the configured encryption keys; "
                      "REX cannot sign its mail")


def check_domain(domain: Domain, *, nameservers: list[str] | None = None) -> DnsCheck:
    """Check the domain's MX, SPF, DKIM and DMARC records; store and return the ``DnsCheck``.

    Raises ``DnsUnavailable`` (and stores nothing) when no resolver answers.
    """
    resolver = make_resolver(nameservers)
    name = domain.name
    selector_name = f"{domain.dkim_selector}._domainkey.{name}"
    # Every lookup happens before anything is written, so an unreachable resolver leaves no half-made check.
    mx = _lookup(resolver, name, "MX")
    apex_txt = _lookup(resolver, name, "TXT")
    dkim_txt = _lookup(resolver, selector_name, "TXT")
    dmarc_txt = _lookup(resolver, f"_dmarc.{name}", "TXT")

    own_der, own_problem = _own_dkim_key(domain)
    dmarc_verdict, policy = judge_dmarc(dmarc_txt)
    verdicts = {
        "mx": judge_mx(mx),
        "spf": judge_spf(apex_txt, settings.REX_SPF_INCLUDE),
        "dkim": judge_dkim(dkim_txt, selector_name, own_der, own_problem),
        "dmarc": dmarc_verdict,
    }
    passed = all(v.ok for v in verdicts.values())
    now = timezone.now()
    with transaction.atomic():
        check = DnsCheck.objects.create(domain=domain, checked_at=now, passed=passed, dmarc_policy=policy,
                                        results={k: v.as_json() for k, v in verdicts.items()},
                                        nameservers=describe_nameservers(resolver))
        # A slower check that started earlier must not overwrite the verdict of a newer one.
        Domain.objects.filter(Q(dns_checked_at__isnull=True) | Q(dns_checked_at__lte=now), pk=domain.pk).update(
            dns_ok=passed, dns_checked_at=now)
    domain.dns_ok, domain.dns_checked_at = passed, now
    logger.info("dns check of %s: %s", name, "pass" if passed else "fail: " + failure_summary(check))
    return check


def failure_summary(check: DnsCheck) -> str:
    """``"spf: …; dkim: …"`` for the record types that failed (empty when the check passed)."""
    return "; ".join(f"{kind}: {check.results[kind]['detail']}" for kind in RECORD_TYPES
                     if kind in check.results and not check.results[kind]["ok"])


def check_and_advance(domain: Domain, *, actor: str = "system") -> bool:
    """Run the check; True when the domain waits in dns_pending and now passes, i.e. may start warming.

    The move to warming itself belongs to ``domains.provisioning.start_warmup``, which starts the inboxes too.
    """
    check = check_domain(domain)
    state = Domain.objects.filter(pk=domain.pk).values_list("state", flat=True).first()
    ready = check.passed and state == DomainState.DNS_PENDING
    logger.info("dns check of %s for %s: %s", domain.name, actor,
                "ready to warm up" if ready else f"{'pass' if check.passed else 'fail'} while {state}")
    return ready
