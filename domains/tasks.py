"""Celery tasks of the domains app: the DNS recheck of domains waiting in dns_pending (beat entry "dns-recheck").

The daily warmup tick, though still named ``domains.warmup_tick``, is the inboxes app's (``inboxes.tasks``).
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings

from domains.provisioning import recheck_pending_dns

logger = logging.getLogger(__name__)


@shared_task(name="domains.recheck_dns", ignore_result=True)
def recheck_dns() -> dict[str, int]:
    """Check the DNS of domains still waiting in dns_pending and start the warmup of those that now pass.

    DNS changes take minutes to hours to propagate in the real world; a provisioning mission does not wait that
    long (it finishes with the domain in dns_pending), this job does.
    """
    report = recheck_pending_dns(limit=settings.REX_DNS_RECHECK_BATCH)
    if report["checked"]:
        logger.info("dns recheck: %(checked)d checked, %(passed)d passed, %(warming)d now warming, "
                    "%(unreachable)d resolver errors", report)
    return report
