"""``make bench`` (analytics part): the /analytics/ page with 1 million outbound messages.

It builds, in the bench's own database (``bench/run.py``'s ``choose_services()`` and ``prepare_run()``), one
organization sending ``--messages`` (1,000,000) emails over 90 days from 50 inboxes on 17 domains of two
clients, for 4 campaigns whose sequences have 3 email steps of 2 variants each, every day from every inbox for
every step and variant (1,200 rollup rows a day, 108,000 in all: the most this fleet can give the page); every
message has its contact, enrollment and sequence message, 1 in 47 bounced (hard, soft, infrastructure in turn),
1 in 31 answered (nine categories in turn), 1 in 97 enrollments unsubscribed and 1 in 89 booked a meeting.
Rows are generated inside PostgreSQL with ``INSERT … SELECT … FROM generate_series`` (no Python loop over messages).

Then it measures:

1. the rollup: the backfill of all 90 days (``rollup_days``, as ``manage.py rex_analytics_rollup`` runs it), and
   the beat's run over the last ``REX_ANALYTICS_ROLLUP_DAYS`` days (median of ``--runs``);
2. the page: ``GET /analytics/`` over the whole 90 days, rendered ``--requests`` times in this process through
   Django's test client with a logged-in session (the whole stack but the socket: middleware, template, the
   figure queries on PostgreSQL); p50 / p95 / max and its query count; the same for ``GET /api/analytics/``.

Results go to ``bench/results/analytics.json``; docs/performance.md quotes them with the command. ``--strict``
exits 1 when the page's p95 passes ``TARGET_P95_MS`` or its query count passes ``TARGET_QUERIES``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from run import choose_services, prepare_run  # bench/run.py: a script's own directory is on sys.path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "analytics.json"
DAYS = 90
INBOXES = 50
DOMAINS = 17
CAMPAIGNS = 4
STEPS = 3
TARGET_P95_MS = 500.0
TARGET_QUERIES = 12
CATEGORIES = ("interested", "referral", "question", "not_interested", "unsubscribe", "out_of_office", "auto_reply",
              "other", "complaint")


def log(message: str) -> None:
    print(f"[analytics bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def build_world(organization: Any) -> dict[str, list[int]]:
    """Clients, domains, inboxes, campaigns, sequences with their steps and variants; returns the ids by kind."""
    from campaigns.models import Campaign, Sequence, SequenceStep, StepVariant
    from domains.models import Domain, DomainPool, DomainState
    from inboxes.models import Inbox

    pools = [DomainPool.objects.create(organization=organization, name=name, slug=name.lower())
             for name in ("Acme", "Initech")]
    domains = [Domain.objects.create(organization=organization, pool=pools[n % 2], name=f"bench-{n}.example",
                                     state=DomainState.IN_USE, dns_ok=True) for n in range(DOMAINS)]
    inboxes = [Inbox.objects.create(organization=organization, domain=domains[n % DOMAINS],
                                    address=f"rep{n}@{domains[n % DOMAINS].name}", status=Inbox.Status.ACTIVE)
               for n in range(INBOXES)]
    campaigns, steps, variants = [], [], []
    for c in range(CAMPAIGNS):
        sequence = Sequence.objects.create(organization=organization, name=f"Sequence {c}")
        campaigns.append(Campaign.objects.create(organization=organization, name=f"Campaign {c}",
                                                 slug=f"campaign-{c}", sequence=sequence,
                                                 status=Campaign.Status.ACTIVE))
        for position in range(STEPS):
            step = SequenceStep.objects.create(sequence=sequence, position=position, kind=SequenceStep.Kind.EMAIL)
            steps.append(step)
            variants.extend(StepVariant.objects.create(step=step, label=label, body_template="Hi")
                            for label in ("A", "B"))
    return {"inboxes": [i.pk for i in inboxes], "inbox_domains": [i.domain_id for i in inboxes],
            "campaigns": [c.pk for c in campaigns], "steps": [s.pk for s in steps], "variants": [v.pk for v in variants]}


# Per message i (1…n): its campaign c, step k, variant v, inbox x and day, as SQL over generate_series' i. Each
# block of 1,200 consecutive messages covers every (campaign, step, variant, inbox) once, on one day: every day
# then has a rollup row for each of the 1,200 combinations, the most rows 50 inboxes can give the page to read.
COMBINATIONS = CAMPAIGNS * STEPS * 2 * INBOXES
PER_MESSAGE = f"""
    SELECT i, %(start)s::timestamptz + mod(i / {COMBINATIONS}, {DAYS}) * interval '1 day'
              + mod(i, 36000) * interval '1 second' AS ts,
           mod(i, {CAMPAIGNS}) AS c, mod(i / {CAMPAIGNS}, {STEPS}) AS k, mod(i / ({CAMPAIGNS} * {STEPS}), 2) AS v,
           mod(i / ({CAMPAIGNS} * {STEPS} * 2), {INBOXES}) AS x
    FROM generate_series(1, %(n)s) AS g(i)
"""

INSERTS = {
    "contacts": """
        INSERT INTO campaigns_contact (id, organization_id, email, phone, first_name, last_name, company, llm_consent,
                                       timezone, custom_fields, source, created_at)
        SELECT i, %(org)s, 'b' || i || '@prospect.example', '', '', '', '', false, '', '{{}}'::jsonb, 'bench', ts
        FROM ({per}) m""",
    "enrollments": """
        INSERT INTO campaigns_enrollment (id, organization_id, campaign_id, contact_id, state, step_index, inbox_id,
                                          thread_subject, thread_message_ids, emails_sent, send_attempt, last_step_id,
                                          last_variant_id, last_error, enrolled_at, state_changed_at, paused_from)
        SELECT i, %(org)s, (%(campaigns)s::bigint[])[1 + c], i, 'waiting', k + 1, (%(inboxes)s::bigint[])[1 + x], '', '',
               k + 1, 0, (%(steps)s::bigint[])[1 + c * {steps} + k], (%(variants)s::bigint[])[1 + (c * {steps} + k) * 2 + v],
               '', ts, ts, ''
        FROM ({per}) m""",
    "messages": """
        INSERT INTO inboxes_outboundmessage (id, organization_id, inbox_id, campaign_id, contact_id, idempotency_key,
                                             channel, to_address, subject, status, transport, message_id, in_reply_to,
                                             "references", provider_message_id, slot_day, error, created_at, sent_at,
                                             updated_at)
        SELECT md5('m' || i)::uuid, %(org)s, (%(inboxes)s::bigint[])[1 + x], (%(campaigns)s::bigint[])[1 + c], i,
               'bench-' || i, 'email', 'b' || i || '@prospect.example', 'Hi', 'sent', 'smtp', '', '', '', '',
               ts::date, '', ts, ts, ts
        FROM ({per}) m""",
    "sequence messages": """
        INSERT INTO campaigns_sequencemessage (id, enrollment_id, campaign_id, step_id, step_index, variant_id,
                                               variant_label, message_id, scheduled_at, created_at)
        SELECT i, i, (%(campaigns)s::bigint[])[1 + c], (%(steps)s::bigint[])[1 + c * {steps} + k], k,
               (%(variants)s::bigint[])[1 + (c * {steps} + k) * 2 + v], CASE v WHEN 0 THEN 'A' ELSE 'B' END,
               md5('m' || i)::uuid, ts, ts
        FROM ({per}) m""",
    "bounces": """
        INSERT INTO inboxes_bouncerecord (organization_id, inbox_id, domain_id, message_id, recipient, klass, status,
                                          reason, source, at)
        SELECT %(org)s, (%(inboxes)s::bigint[])[1 + x], (%(domains)s::bigint[])[1 + x], md5('m' || i)::uuid,
               'b' || i || '@prospect.example', (ARRAY['hard', 'soft', 'infrastructure'])[1 + mod(i / 47, 3)], '',
               '', 'bench', ts + interval '1 hour'
        FROM ({per}) m WHERE mod(i, 47) = 7""",
    "replies": """
        INSERT INTO replies_inboundmessage (organization_id, inbox_id, channel, folder, raw, message_id, in_reply_to,
                                            "references", from_address, from_name, to_address, subject, received_at,
                                            body_text, new_text, outbound_id, contact_id, enrollment_id, match,
                                            category, layer, details, triaged_at, corrected_category, actions)
        SELECT %(org)s, (%(inboxes)s::bigint[])[1 + x], 'email', 'INBOX', ''::bytea, '', '', '',
               'b' || i || '@prospect.example', '', '', 'Re: Hi', ts + interval '2 hours', '', '', md5('m' || i)::uuid,
               i, i, 'in_reply_to', (%(categories)s::text[])[1 + mod(i / 31, 9)], 'rules', '{{}}'::jsonb,
               ts + interval '2 hours', '', '[]'::jsonb
        FROM ({per}) m WHERE mod(i, 31) = 3""",
    "enrollment moves": """
        INSERT INTO campaigns_enrollmenttransition (enrollment_id, from_state, to_state, step_index, reason, actor, at)
        SELECT i, 'waiting', CASE WHEN mod(i, 97) = 5 THEN 'unsubscribed' ELSE 'meeting_booked' END, k + 1, 'bench',
               'system', ts + interval '3 hours'
        FROM ({per}) m WHERE mod(i, 97) = 5 OR mod(i, 89) = 6""",
}


def generate(organization: Any, ids: dict[str, list[int]], n: int, start: datetime) -> dict[str, float]:
    from django.db import connection, transaction

    params = {"org": organization.pk, "n": n, "start": start, "inboxes": ids["inboxes"],
              "domains": ids["inbox_domains"], "campaigns": ids["campaigns"], "steps": ids["steps"],
              "variants": ids["variants"], "categories": list(CATEGORIES)}
    seconds = {}
    with transaction.atomic(), connection.cursor() as cursor:
        # The rows are consistent by construction: without this, Django's deferred foreign-key checks (one trigger
        # per row and key, millions of them) run at COMMIT and take longer than the inserts. The bench's user owns
        # its server (local or throwaway), so it may switch them off for its own session.
        cursor.execute("SET LOCAL session_replication_role = replica")
        for name, sql in INSERTS.items():
            began = time.perf_counter()
            cursor.execute(sql.format(per=PER_MESSAGE, steps=STEPS), params)
            seconds[name] = round(time.perf_counter() - began, 1)
            log(f"  {name}: {cursor.rowcount:,} rows in {seconds[name]} s")
        for table in ("campaigns_contact", "campaigns_enrollment", "campaigns_sequencemessage"):
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return seconds


def timed_requests(client: Any, path: str, query: dict[str, str], requests: int, **headers: str) -> dict[str, Any]:
    from django.db import connection

    # Counted at the cursor (an execute wrapper): the request_started signal empties Django's own query log.
    queries: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        first = client.get(path, query, **headers)
    assert first.status_code == 200, (path, first.status_code, first.content[:500])
    durations = []
    for _ in range(requests):
        began = time.perf_counter()
        answer = client.get(path, query, **headers)
        durations.append((time.perf_counter() - began) * 1000)
        assert answer.status_code == 200
    durations.sort()
    return {"queries": len(queries), "requests": requests, "p50_ms": round(statistics.median(durations), 1),
            "p95_ms": round(durations[max(0, int(len(durations) * 0.95) - 1)], 1),
            "max_ms": round(durations[-1], 1), "bytes": len(first.content)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--runs", type=int, default=5, help="beat rollup runs (median)")
    parser.add_argument("--strict", action="store_true")
    args = parser.parse_args()

    services = choose_services()
    os.environ.setdefault("REX_API_THROTTLE_USER", "1000000/min")
    try:
        tenant, _redis, _run_id, _log_dir = prepare_run()
        from django.conf import settings
        from django.test import Client

        from analytics.rollup import recent_days, rollup_days
        from analytics.tasks import rollup_recent

        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        organization = tenant["organization"]
        today = datetime.now(UTC).date()
        start = datetime.combine(today - timedelta(days=DAYS - 1), datetime.min.time(), tzinfo=UTC)
        ids = build_world(organization)
        log(f"generating {args.messages:,} messages over {DAYS} days …")
        generation = generate(organization, ids, args.messages, start)

        days = [start.date() + timedelta(days=n) for n in range(DAYS)]
        began = time.perf_counter()
        rollup_days(organization.pk, days)
        backfill_s = time.perf_counter() - began
        log(f"rollup of {DAYS} days: {backfill_s:.1f} s")
        beat = []
        for _ in range(args.runs):
            began = time.perf_counter()
            rollup_recent()
            beat.append(time.perf_counter() - began)
        beat_ms = statistics.median(beat) * 1000
        log(f"beat rollup of the last {len(recent_days(today, settings.REX_ANALYTICS_ROLLUP_DAYS))} days: "
            f"{beat_ms:.0f} ms (median of {args.runs})")

        from analytics.models import DailyStat

        query = {"start": days[0].isoformat(), "end": days[-1].isoformat()}
        page_client = Client()
        page_client.force_login(tenant["user"])
        page = timed_requests(page_client, "/analytics/", query, args.requests)
        log(f"GET /analytics/ ({DAYS} days): p50 {page['p50_ms']} ms, p95 {page['p95_ms']} ms, "
            f"{page['queries']} queries")
        api = timed_requests(Client(), "/api/analytics/", query, args.requests,
                             HTTP_AUTHORIZATION=f"Token {tenant['token']}")
        log(f"GET /api/analytics/: p50 {api['p50_ms']} ms, p95 {api['p95_ms']} ms, {api['queries']} queries")

        results = {
            "when": datetime.now(UTC).isoformat(timespec="seconds"), "machine": platform.platform(),
            "cpus": os.cpu_count(), "services": {k: v for k, v in services.items() if k.endswith("_kind")},
            "messages": args.messages, "days": DAYS, "inboxes": INBOXES, "domains": DOMAINS,
            "campaigns": CAMPAIGNS, "rollup_rows": DailyStat.objects.count(), "generation_s": generation,
            "rollup_backfill_s": round(backfill_s, 1), "rollup_beat_ms": round(beat_ms),
            "page": page, "api": api,
            "targets": {"page_p95_ms_max": TARGET_P95_MS, "page_queries_max": TARGET_QUERIES},
        }
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(results, indent=2) + "\n")
        log(f"{results['rollup_rows']:,} rollup rows; results in {RESULTS.relative_to(ROOT)}")
        missed = page["p95_ms"] > TARGET_P95_MS or page["queries"] > TARGET_QUERIES
        return 1 if args.strict and missed else 0
    finally:
        shutil.rmtree(os.environ["REX_VAR_DIR"], ignore_errors=True)  # the temporary one choose_services() made


if __name__ == "__main__":
    sys.exit(main())
