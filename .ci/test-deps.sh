#!/usr/bin/env bash
# What the test suite needs beyond the app: Debian's Chromium for the browser journeys.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "Chromium is not installed and cannot be installed here: browser tests will be skipped." >&2
  exit 0
fi
echo "Installing Debian's chromium for the browser tests"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
