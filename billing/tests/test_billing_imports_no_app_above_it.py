"""Billing sits below domains, inboxes and campaigns (they hear of purchases through its signals and answer its
questions through ``billing.inventory``), so no billing module imports them, not even inside a function."""

from pathlib import Path

import billing
from core.imports import app_modules, imported_packages

ABOVE_BILLING = {"domains", "inboxes", "campaigns"}


def test_no_billing_module_imports_domains_inboxes_or_campaigns():
    package = Path(billing.__file__).parent
    offenders = {str(path.relative_to(package)): sorted(imported_packages(path) & ABOVE_BILLING)
                 for path in app_modules(package)}

    assert {name: apps for name, apps in offenders.items() if apps} == {}
