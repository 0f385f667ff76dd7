"""Billing sits below domains, inboxes and campaigns (they hear of purchases through its signals and answer its
questions through ``billing.inventory``), so no billing module imports them, not even inside a function."""

import ast
from pathlib import Path

import billing

ABOVE_BILLING = {"domains", "inboxes", "campaigns"}


def imported_apps(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
    return found


def test_no_billing_module_imports_domains_inboxes_or_campaigns():
    package = Path(billing.__file__).parent
    offenders = {str(path.relative_to(package)): sorted(imported_apps(path) & ABOVE_BILLING)
                 for path in package.rglob("*.py") if "tests" not in path.parts}

    assert {name: apps for name, apps in offenders.items() if apps} == {}
