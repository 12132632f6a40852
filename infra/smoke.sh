#!/usr/bin/env bash
# The newcomer's path, automated: infra/up.sh, then through the API: the ledger grows and the runaway tenant gets
# throttled; then infra/down.sh, and nothing it started is left running. Ends with "smoke: passed" or "smoke: failed".
# It runs a system of its own (run folder, database, vhost, ports) so that a system already up is left alone.
set -uo pipefail
cd "$(dirname "$0")/.."
export METERING_RUN=.run/smoke METERING_DATABASE=metering_smoke METERING_VHOST=metering-smoke METERING_PORT=5180
say() { printf '\033[1m[smoke]\033[0m %s\n' "$*"; }
fail() { say "FAILED: $*"; for log in "$METERING_RUN"/logs/*.log; do echo "--- $log"; tail -15 "$log"; done; infra/down.sh >/dev/null 2>&1; echo "smoke: failed"; exit 1; }

infra/down.sh --wipe >/dev/null 2>&1 # from a clean slate, whatever an earlier run left
infra/up.sh || fail "infra/up.sh did not bring the system up"
key=$(cat "$METERING_RUN/admin-key")
api() { curl -fsS -H "Authorization: Bearer $key" "http://127.0.0.1:$METERING_PORT$1"; }
events() { api "/v1/usage?groupBy=tenant" | python3 -c 'import json,sys; print(sum(g["events"] for g in json.load(sys.stdin)["groups"]))'; }

first=0
for _ in $(seq 1 60); do first=$(events 2>/dev/null || echo 0); [ "$first" -gt 0 ] && break; sleep 2; done
[ "$first" -gt 0 ] || fail "no usage reached the ledger in 2 minutes"
sleep 5
second=$(events)
[ "$second" -gt "$first" ] || fail "the ledger did not grow ($first, then $second events)"
say "the ledger grows: $first, then $second events"

# The gateway sends every third call as an OTLP span and every third as the provider's own response: the span ids
# in the ledger show the OTLP door works, and no rejection shows the native one does (a misread would be rejected).
otlp() { api "/v1/tenants/acme/ledger?limit=500" | python3 -c 'import json,re,sys; print(sum(1 for e in json.load(sys.stdin)["items"] if re.fullmatch(r"[0-9a-f]{32}-[0-9a-f]{16}", e["eventId"])))'; }
spans=0
for _ in $(seq 1 30); do spans=$(otlp 2>/dev/null || echo 0); [ "$spans" -gt 0 ] && break; sleep 2; done
[ "$spans" -gt 0 ] || fail "no GenAI span exported to /v1/traces reached the ledger in a minute"
rejected=$(api "/v1/rejections?limit=5" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["items"]))')
[ "$rejected" -eq 0 ] || fail "the demo's traffic was rejected: $(api '/v1/rejections?limit=5')"
say "all three doors meter: $spans OTLP spans among acme's first entries, no rejection"

# Only runaway is ever throttled (SPEC §15): watched for three minutes from the first usage, failing as soon as any
# other demo tenant has a throttle command at all (its first command is the one that takes it out of normal).
others() { python3 -c 'import json,sys; print(", ".join("%s=%s (sequence %s)" % (c["tenantId"], c["level"], c["sequence"]) for c in json.load(sys.stdin) if c["tenantId"] != "runaway"))'; }
runaway() { python3 -c 'import json,sys; print(next((c["level"] for c in json.load(sys.stdin) if c["tenantId"] == "runaway"), "normal"))'; }
level=normal
watched=$SECONDS
while :; do
  throttles=$(api /v1/throttles) || fail "could not read /v1/throttles"
  throttled=$(others <<<"$throttles")
  [ -z "$throttled" ] || fail "tenants that should carry on left normal: $throttled"
  [ "$level" = normal ] && level=$(runaway <<<"$throttles") && [ "$level" != normal ] && say "the runaway tenant is throttled: $level"
  elapsed=$((SECONDS - watched))
  [ $elapsed -ge 180 ] && [ "$level" != normal ] && break
  [ $elapsed -ge 360 ] && fail "the runaway tenant was not throttled in 6 minutes"
  sleep 2
done
say "for 3 minutes no other demo tenant left normal"

# The dashboard at the URL up.sh printed, in a real headless browser when there is one (infra/test.sh installs it).
curl -fsS "http://127.0.0.1:$METERING_PORT/dashboard" | grep -q '<title>Metering' || fail "no dashboard page at /dashboard"
if [ -n "${METERING_CHROMIUM:-}" ]; then
  browse() { "$METERING_CHROMIUM" --headless --no-sandbox --disable-gpu --disable-background-networking --window-size=1280,1300 \
    --virtual-time-budget=15000 "$@" 2>/dev/null; }
  url="http://127.0.0.1:$METERING_PORT/dashboard#key=$key&tenant=runaway"
  dom=$(browse --dump-dom "$url")
  grep -q 'data-tenant="runaway"' <<<"$dom" || fail "the dashboard does not list the demo tenants"
  grep -q 'id="tenant-name">runaway<' <<<"$dom" || fail "the dashboard does not show the runaway tenant"
  mkdir -p artifacts/dashboard && browse --screenshot="$PWD/artifacts/dashboard/demo.png" "$url" >/dev/null
  say "the dashboard shows the demo tenants live (screenshot: artifacts/dashboard/demo.png)"
fi

pids=$(cat "$METERING_RUN"/pids/*.pid)
infra/down.sh || fail "infra/down.sh failed"
for pid in $pids; do kill -0 "$pid" 2>/dev/null && fail "process $pid is still running after infra/down.sh"; done
for port in $METERING_PORT $((METERING_PORT + 1)) $((METERING_PORT + 2)) $((METERING_PORT + 3)); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && fail "port $port still answers after infra/down.sh"; done
say "infra/down.sh stopped everything it started"
infra/down.sh --wipe >/dev/null 2>&1
echo "smoke: passed"
