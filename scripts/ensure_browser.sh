#!/bin/sh
# Install Debian's chromium and chromium-driver for the browser test, only when one of them is missing.
# A no-op when both are present, so `make test` can call it every time.
set -eu

if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure_browser: /usr/bin/chromium or /usr/bin/chromedriver is missing and apt-get is not available;" >&2
    echo "ensure_browser: install chromium and its matching chromedriver by hand." >&2
    exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO="sudo"
    else
        echo "ensure_browser: need root (or sudo) to apt-get install chromium chromium-driver" >&2
        exit 1
    fi
fi

echo "ensure_browser: installing chromium and chromium-driver (needed by the browser test)"
$SUDO apt-get update
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium chromium-driver
