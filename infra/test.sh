#!/usr/bin/env bash
# Runs every test against real PostgreSQL and RabbitMQ (and the dashboard in Debian's headless chromium), installing and
# starting them when missing, and ends with one line: "N passed, N failed".
#   infra/test.sh                 everything
#   infra/test.sh --filter X      only the tests dotnet test's filter X selects (disruptive tests still run last)
set -uo pipefail
cd "$(dirname "$0")/.."

. infra/lib/servers.sh || { echo "0 passed, 1 failed"; exit 1; }
. infra/lib/chromium.sh || { echo "0 passed, 1 failed"; exit 1; }
. infra/lib/node.sh || { echo "0 passed, 1 failed"; exit 1; }

# Databases and vhosts left behind by test runs that were interrupted: only those whose run is gone. A test database is
# named metering_test_<pid>_..., a template metering_template_<pid>_..., a vhost metering-test-<pid>-... after the
# test process that made it, so a run still going (another clone's, say) keeps its own; nothing else is touched.
gone() { ! kill -0 "$1" 2>/dev/null; }
PGPASSWORD=metering psql -h 127.0.0.1 -U metering -d postgres -Atc \
  "SELECT datname FROM pg_database WHERE datname ~ '^metering_(test|template)_[0-9]+_'" 2>/dev/null |
  while read -r db; do
    pid=$(sed -E 's/^metering_(test|template)_([0-9]+)_.*/\2/' <<<"$db")
    gone "$pid" && PGPASSWORD=metering psql -h 127.0.0.1 -U metering -d postgres -qc "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)"
  done
curl -fsS -u guest:guest "${METERING_RABBITMQ_MANAGEMENT}api/vhosts" 2>/dev/null | grep -oE '"name":"metering-test-[0-9]+-[^"]*"' | cut -d'"' -f4 |
  while read -r vhost; do
    pid=$(sed -E 's/^metering-test-([0-9]+)-.*/\1/' <<<"$vhost")
    gone "$pid" && curl -fsS -u guest:guest -X DELETE "${METERING_RABBITMQ_MANAGEMENT}api/vhosts/$vhost" >/dev/null
  done

log=$(mktemp)
bystanders=$(mktemp)
cluster_log=$(mktemp)
trap 'rm -f "$log" "$bystanders" "$cluster_log"' EXIT
status=0

# The three-node RabbitMQ cluster of the crash tests (SPEC §16) starts beside the first tests; they wait for it. One
# that was already up is left up.
# (With Docker, the compose profile "cluster" is the cluster; these tests then skip.)
cluster_was_up=0
infra/lib/cluster.sh status >/dev/null 2>&1 && cluster_was_up=1
if [ "$METERING_SERVERS" = debian ]; then infra/lib/cluster.sh start >"$cluster_log" 2>&1 & else true & fi
cluster_pid=$!

# Whatever runs beside this run (a system up on the defaults, another clone's) keeps every database, vhost, queue and
# ledger row: noted now, checked at the end. The smoke test's own system is the smoke test's to wipe.
python3 infra/lib/bystanders.py note "$bystanders" --own-database metering_smoke --own-vhost metering-smoke | tee -a "$log"

echo "== tests (real servers: $METERING_SERVERS)"
dotnet test Metering.sln -c Release --filter "Category!=Disruptive" "$@" 2>&1 | tee -a "$log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1

# These stop and start (or kill) the servers themselves, so they run alone, after everything else.
echo "== disruptive tests (servers restarted mid-stream, cluster nodes killed)"
if wait "$cluster_pid" && [ "$METERING_SERVERS" = debian ]; then
  export METERING_CLUSTER_AMQP=$(grep '^amqp://' "$cluster_log" | paste -sd, -)
  export METERING_CLUSTER_MANAGEMENT=http://127.0.0.1:15701/ METERING_CLUSTER_CTL="$PWD/infra/lib/cluster.sh"
elif [ "$METERING_SERVERS" = debian ]; then
  echo "the RabbitMQ cluster did not start:"; tail -20 "$cluster_log"; status=1
fi
dotnet test tests/Metering.IntegrationTests -c Release --no-build --filter "Category=Disruptive" 2>&1 | tee -a "$log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
[ "$cluster_was_up" -eq 1 ] || infra/lib/cluster.sh stop

# The newcomer's path: infra/up.sh, the demo visibly working, infra/down.sh.
echo "== smoke test (infra/up.sh, the demo, infra/down.sh)"
infra/smoke.sh 2>&1 | tee -a "$log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1

echo "== bystanders (what was there before this run is still there)"
python3 infra/lib/bystanders.py check "$bystanders" 2>&1 | tee -a "$log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1

# One summary line per test assembly: "Passed!  - Failed:     0, Passed:   140, Skipped: ..."; one for the smoke test.
passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{ s += $2 } END { print s + 0 }')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{ s += $2 } END { print s + 0 }')
grep -qx "smoke: passed" "$log" && passed=$((passed + 1))
grep -qx "smoke: failed" "$log" && failed=$((failed + 1))
grep -qx "bystanders: all left alone" "$log" && passed=$((passed + 1))
grep -qx "bystanders: touched" "$log" && failed=$((failed + 1))
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1 # the build or a test host failed before any test could report
fi

[ -d artifacts/dashboard ] && echo "dashboard screenshots: artifacts/dashboard/"
echo
echo "$passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
