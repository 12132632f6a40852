#!/usr/bin/env bash
# Makes sure Debian's chromium is installed for the dashboard's browser tests, and exports METERING_CHROMIUM.
# Playwright drives this browser; it never downloads one. Source it: `. infra/lib/chromium.sh`.

chromium_log() { printf '\033[1m[chromium]\033[0m %s\n' "$*" >&2; }

if [ -z "${METERING_CHROMIUM:-}" ] || [ ! -x "$METERING_CHROMIUM" ]; then
  if ! command -v chromium >/dev/null; then
    chromium_log "installing chromium from Debian's packages (the dashboard's browser tests)"
    root=(); [ "$(id -u)" -eq 0 ] || root=(sudo)
    "${root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    "${root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2
  fi
  METERING_CHROMIUM="$(command -v chromium)"
  export METERING_CHROMIUM
fi
chromium_log "$("$METERING_CHROMIUM" --version 2>/dev/null || echo "no chromium at $METERING_CHROMIUM")"
