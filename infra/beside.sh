#!/usr/bin/env bash
# SPEC §11 end to end: a system up on the defaults keeps everything while the tests run beside it.
#   infra/beside.sh [RUNS]   bring a system up on the defaults from this checkout (infra/up.sh; left as it was found),
#                            wait for usage in its ledger, then RUNS times (default 1): clone this repository afresh,
#                            run its .ci/run, and check that the system's database, queues and ledger rows are all
#                            still there and that it still meters. Prints each run's summary line.
set -uo pipefail
cd "$(dirname "$0")/.."
runs=${1:-1}
say() { printf '\033[1m[beside]\033[0m %s\n' "$*"; }
rows() { PGPASSWORD=metering psql -h 127.0.0.1 -U metering -d metering -Atc "SELECT count(*) FROM ledger_entries" 2>/dev/null || echo 0; }
queues() { curl -fsS -u guest:guest "http://127.0.0.1:15672/api/queues/%2F" | python3 -c 'import json,sys; print(" ".join(sorted(q["name"] for q in json.load(sys.stdin) if not q.get("exclusive") and not q.get("auto_delete"))))'; }

was_up=false
[ -s .run/pids/worker.pid ] && kill -0 "$(cat .run/pids/worker.pid)" 2>/dev/null && was_up=true
$was_up || infra/up.sh >/dev/null || { say "infra/up.sh failed"; exit 1; }
for _ in $(seq 1 60); do [ "$(rows)" -gt 0 ] && break; sleep 2; done
[ "$(rows)" -gt 0 ] || { say "the system on the defaults meters nothing"; exit 1; }

status=0
summaries=()
for run in $(seq 1 "$runs"); do
  clone=$(mktemp -d /tmp/metering-beside.XXXXXX)
  git clone -q . "$clone"
  before=$(rows); queues_before=$(queues)
  say "run $run: system on the defaults has $before ledger rows, queues: $queues_before; running .ci/run in $clone"
  started=$SECONDS
  summary=$( (cd "$clone" && .ci/run) 2>&1 | tee "$clone.log" | tail -1)
  summaries+=("run $run: $summary ($((SECONDS - started)) s)")
  after=$(rows); queues_after=$(queues)
  [ "$after" -ge "$before" ] || { say "run $run: the ledger lost rows: $before before, $after after"; status=1; }
  [ "$queues_after" = "$queues_before" ] || { say "run $run: queues changed: '$queues_before' before, '$queues_after' after"; status=1; }
  for _ in $(seq 1 60); do [ "$(rows)" -gt "$after" ] && break; sleep 2; done
  [ "$(rows)" -gt "$after" ] || { say "run $run: the system no longer meters"; status=1; }
  case "$summary" in *" passed, 0 failed") ;; *) status=1 ;; esac
  say "run $run: $summary; ledger $before → $after → $(rows) rows"
  rm -rf "$clone"
done

$was_up || infra/down.sh >/dev/null
printf '%s\n' "${summaries[@]}"
exit $status
