"""Inboxes sit above domains (an inbox belongs to a domain; a send locks the domain's row, then the inbox's), so
domains modules do not import the inboxes app: the Domains page gets its inbox figures through
``domains.overview.register_today``, provisioning starts a domain's inboxes through
``domains.provisioning.register_inbox_starter``, billing's questions are answered by each app's own lookup, and
the warmup engine lives in ``inboxes.warmup``. The modules listed below still do, each for a reason named here,
and the list may only shrink."""

from pathlib import Path

import domains
from core.imports import app_modules, imported_packages

STILL_IMPORTING_INBOXES = {
    "assignment.py": "ranks ready domains by their sending inboxes' capacity (an SQL subquery on inboxes)",
    "demo.py": "the demo seed creates inboxes (and campaigns) with the domains",
}


def test_only_the_listed_domains_modules_import_inboxes():
    package = Path(domains.__file__).parent
    importing = {str(path.relative_to(package)) for path in app_modules(package)
                 if "inboxes" in imported_packages(path)}

    assert importing == set(STILL_IMPORTING_INBOXES)
