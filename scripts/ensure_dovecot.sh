#!/bin/sh
# Install Debian's dovecot-imapd for the IMAP tests (replies/tests/imap), only when dovecot is missing.
# A no-op when it is present, so `make test` can call it every time. The tests start their own throwaway
# Dovecot on a free port; the package's system service is not needed (and not started by the tests).
set -eu

if command -v dovecot >/dev/null 2>&1 || [ -x /usr/sbin/dovecot ]; then
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure_dovecot: dovecot is missing and apt-get is not available;" >&2
    echo "ensure_dovecot: install Dovecot (IMAP server, 2.3) by hand." >&2
    exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO="sudo"
    else
        echo "ensure_dovecot: need root (or sudo) to apt-get install dovecot-imapd" >&2
        exit 1
    fi
fi

echo "ensure_dovecot: installing dovecot-imapd (needed by the IMAP tests)"
$SUDO apt-get update -qq
# policy-rc.d-free containers may try to start the system service; its failure must not fail the install.
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends dovecot-imapd
