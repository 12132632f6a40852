#!/usr/bin/env bash
# Stops exactly what infra/up.sh started, by process id, and leaves the data in place.
#   infra/down.sh          stop the services (and the servers, if up.sh had to start them)
#   infra/down.sh --wipe   also drop the database and vhost (or, on the default vhost, the queues) that this run's
#                          record ($METERING_RUN/system, written by up.sh) names; with no record it drops nothing
#   METERING_RUN [.run] names the run that up.sh started, as for up.sh.
set -uo pipefail
cd "$(dirname "$0")/.."
run=${METERING_RUN:-.run}
say() { printf '\033[1m[down]\033[0m %s\n' "$*"; }
wipe=false
[ "${1:-}" = "--wipe" ] && wipe=true

for pidfile in "$run"/pids/*.pid; do
  [ -e "$pidfile" ] || continue
  name=$(basename "$pidfile" .pid); pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && { say "$name did not stop in 15 s; killing it"; kill -KILL "$pid"; }
    say "stopped $name (pid $pid)"
  fi
  rm -f "$pidfile"
done

if $wipe; then
  # Only what this run's own record names: never a default the record does not hold, so wiping a run that was never
  # brought up (or one of a fresh clone) cannot touch a system running beside it.
  database=""
  vhost=""
  if [ -f "$run/system" ]; then
    database=$(sed -n 's/^database=//p' "$run/system")
    vhost=$(sed -n 's/^vhost=//p' "$run/system")
    management=$(sed -n 's/^management=//p' "$run/system")
  fi
  if [ -z "$database" ] || [ -z "$vhost" ]; then
    say "no record of a system in $run/system: nothing to wipe"
  else
    PGPASSWORD=metering psql -h 127.0.0.1 -U metering -d postgres -qc "DROP DATABASE IF EXISTS \"$database\" WITH (FORCE)" && say "dropped database $database"
    vhost_path=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$vhost")
    if [ "$vhost" = / ]; then
      for queue in metering.usage metering.budget; do
        curl -fsS -u guest:guest -X DELETE "${management:-http://127.0.0.1:15672/}api/queues/$vhost_path/$queue" >/dev/null 2>&1 && say "deleted queue $queue"
      done
    else
      curl -fsS -u guest:guest -X DELETE "${management:-http://127.0.0.1:15672/}api/vhosts/$vhost_path" >/dev/null 2>&1 && say "deleted vhost $vhost"
    fi
    rm -f "$run/admin-key" "$run/system"
  fi
fi

if [ -s "$run/started-servers" ]; then
  root_do() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
  while read -r server; do
    case "$server" in
      postgresql) root_do pg_ctlcluster "$(ls /usr/lib/postgresql | sort -V | tail -1)" main stop && say "stopped PostgreSQL" ;;
      rabbitmq) root_do rabbitmqctl -q stop && say "stopped RabbitMQ" ;;
      compose) docker compose -f docker-compose.yml stop postgres rabbitmq && say "stopped the Compose servers" ;;
      cluster) infra/lib/cluster.sh stop && say "stopped the RabbitMQ cluster" ;;
    esac
  done < "$run/started-servers"
  rm -f "$run/started-servers"
fi
say "done"
