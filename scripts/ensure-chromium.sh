#!/bin/sh
# The browser tests drive Debian's chromium (Playwright's own browser download cannot run here).
set -e
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian's chromium for the browser tests"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "the browser tests need chromium: run 'sudo apt-get install chromium'" >&2
exit 1
