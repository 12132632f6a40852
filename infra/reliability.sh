#!/usr/bin/env bash
# The reliability scenarios of SPEC §12 at full size (infra/test.sh runs the same tests at CI's size):
#   a consumer SIGKILLed 5 times in a 100,000-event stream; a duplicate storm of 50,000 events; 10,000 malformed or
#   invalid messages among 20,000 good events; three consumers across the 100M tier boundary, and four with one
#   SIGKILLed (24,000 events); the budget saga killed mid-cycle; then, alone, PostgreSQL and RabbitMQ restarted and
#   PostgreSQL crashed mid-stream (50,000 events each), and the usage queue's leader node of the three-node RabbitMQ
#   cluster SIGKILLed mid-stream (50,000 events; SPEC §16).
# Each ends with: every unique event billed exactly once, totals equal to the offline pricer's. Takes 10-20 minutes.
set -uo pipefail
cd "$(dirname "$0")/.."
. infra/lib/servers.sh || exit 1
export METERING_RELIABILITY_SCALE=full
status=0
dotnet build tests/Metering.IntegrationTests -c Release -v quiet -nologo || exit 1
cluster=$(infra/lib/cluster.sh start 2>/dev/null) || { echo "the RabbitMQ cluster did not start"; exit 1; }
export METERING_CLUSTER_AMQP=$(paste -sd, - <<<"$cluster")
export METERING_CLUSTER_MANAGEMENT=http://127.0.0.1:15701/ METERING_CLUSTER_CTL="$PWD/infra/lib/cluster.sh"

run() { # title filter
  echo "== $1"
  dotnet test tests/Metering.IntegrationTests -c Release --no-build --filter "$2" --logger "console;verbosity=normal" 2>&1 |
    grep -E "^\s+(Passed|Failed|Skipped) |Error Message|Assert|Passed!|Failed!" || true
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
}

run "consumer killed, duplicates, malformed flood, concurrency, saga restart" \
  "FullyQualifiedName~CrashTests|FullyQualifiedName~ReliabilityTests|FullyQualifiedName~ConcurrencyTests|FullyQualifiedName~SagaRestartTests"
run "servers restarted and crashed mid-stream, a cluster node killed" "Category=Disruptive"
exit $status
