#!/usr/bin/env bash
# Brings the whole system up on this machine and returns when every part is ready:
#   PostgreSQL and RabbitMQ (Docker Compose when a Docker engine answers, else Debian's packages, installed when
#   missing), the database and its migrations, then the consumer, the budget saga, the ledger API and the sample
#   gateway in the background, with logs in .run/logs and process ids in .run/pids. Safe to run again.
# Stop with infra/down.sh.
#   infra/up.sh --cluster    the same on a three-node RabbitMQ cluster (infra/lib/cluster.sh, SPEC §16): every service
#                            is given all three nodes and fails over; the single node of the other tests stays as it is
#
# Environment (defaults in brackets), to run a second system beside the first, as infra/smoke.sh does:
#   METERING_RUN [.run]  METERING_DATABASE [metering]  METERING_VHOST [/]  METERING_PORT [5080: API; +1 consumer,
#   +2 saga, +3 gateway]
set -euo pipefail
cd "$(dirname "$0")/.."
run=${METERING_RUN:-.run}
database=${METERING_DATABASE:-metering}
vhost=${METERING_VHOST:-/}
port=${METERING_PORT:-5080}
mkdir -p "$run/logs" "$run/pids"
run=$(cd "$run" && pwd)
say() { printf '\033[1m[up]\033[0m %s\n' "$*"; }
printf 'database=%s\nvhost=%s\nport=%s\n' "$database" "$vhost" "$port" > "$run/system"
cluster=0
[ "${1:-}" = --cluster ] && cluster=1

. infra/lib/servers.sh
for server in $METERING_STARTED_SERVERS; do grep -qx "$server" "$run/started-servers" 2>/dev/null || echo "$server" >> "$run/started-servers"; done
management=$METERING_RABBITMQ_MANAGEMENT
if [ $cluster -eq 1 ]; then
  say "starting the three-node RabbitMQ cluster (ports 5701-5703, management 15701-15703)"
  infra/lib/cluster.sh status >/dev/null 2>&1 || { grep -qx cluster "$run/started-servers" 2>/dev/null || echo cluster >> "$run/started-servers"; }
  nodes=$(infra/lib/cluster.sh start 2>/dev/null)
  METERING_AMQP=$(head -1 <<<"$nodes")
  export RabbitMq__Nodes=$(tail -n +2 <<<"$nodes" | sed -E 's|^amqp://[^@]*@([^/]*)/$|\1|' | paste -sd, -)
  management=http://127.0.0.1:15701/
fi
echo "management=$management" >> "$run/system"

# The database the services share, owned by the metering role, and the vhost they talk on.
export PGPASSWORD=metering
if ! psql -h 127.0.0.1 -U metering -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname = '$database'" | grep -q 1; then
  say "creating database $database"
  psql -h 127.0.0.1 -U metering -d postgres -qc "CREATE DATABASE \"$database\""
fi
vhost_path=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$vhost")
if [ "$vhost" != / ]; then
  curl -fsS -u guest:guest -X PUT "${management}api/vhosts/$vhost_path" >/dev/null
  curl -fsS -u guest:guest -X PUT -H 'Content-Type: application/json' -d '{"configure":".*","write":".*","read":".*"}' \
    "${management}api/permissions/$vhost_path/guest" >/dev/null
fi

# A dev admin key for this machine, made once; never committed (.run is ignored).
[ -s "$run/admin-key" ] || { echo "mtr_dev_$(head -c 24 /dev/urandom | base64 | tr -d '/+=' )" > "$run/admin-key"; chmod 600 "$run/admin-key"; }
admin_key=$(cat "$run/admin-key")
# The key that seals webhook endpoint secrets in the database (Webhooks:SecretKey), made once, kept outside it.
[ -s "$run/webhook-key" ] || { head -c 32 /dev/urandom | base64 > "$run/webhook-key"; chmod 600 "$run/webhook-key"; }
webhook_key=$(cat "$run/webhook-key")

say "building (Release)"
for project in Metering.Cli Metering.Worker Metering.Budget Metering.Api Metering.Samples.Gateway; do
  dotnet build "services/$project" -c Release -v quiet -nologo 2>&1 | grep -E " error |rror\(s\)" | grep -v " 0 Error" || true
done

export ConnectionStrings__Ledger="Host=127.0.0.1;Port=5432;Username=metering;Password=metering;Database=$database"
if [ "$vhost" = / ]; then export RabbitMq__Uri="$METERING_AMQP"; else export RabbitMq__Uri="${METERING_AMQP%/}/$vhost_path"; fi
say "migrating the database"
dotnet services/Metering.Cli/bin/Release/net10.0/metering.dll migrate

start() { # name project port [KEY=VALUE...]
  local name=$1 project=$2 port=$3; shift 3
  local pidfile="$run/pids/$name.pid"
  if [ -s "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    say "$name already running (pid $(cat "$pidfile"))"
    return
  fi
  (
    cd "services/$project/bin/Release/net10.0"
    env "$@" Urls="http://127.0.0.1:$port" nohup dotnet "$project.dll" >> "$run/logs/$name.log" 2>&1 &
    echo $! > "$pidfile"
  )
  say "started $name (pid $(cat "$pidfile")), log $run/logs/$name.log"
}

wait_ready() { # name url
  local deadline=$((SECONDS + 120))
  until curl -fsS -o /dev/null "$2" 2>/dev/null; do
    if [ $SECONDS -ge $deadline ]; then say "$1 is not ready after 120 s; see $run/logs/$1.log"; tail -20 "$run/logs/$1.log"; exit 1; fi
    sleep 1
  done
}

start worker Metering.Worker $((port + 1))
# The demo projects from a 15-minute window and from the first event on, so throttles show within minutes;
# production keeps the defaults (24 h, 1 h).
start budget Metering.Budget $((port + 2)) Budget__Window=00:15:00 Budget__MinimumHistory=00:00:00 Budget__TickInterval=00:00:10 \
  Webhooks__SecretKey="$webhook_key"
start api Metering.Api "$port" Api__AdminKey="$admin_key" Webhooks__SecretKey="$webhook_key"
wait_ready api "http://127.0.0.1:$port/health/ready"
start gateway Metering.Samples.Gateway $((port + 3)) Gateway__ApiKey="$admin_key" Gateway__ApiUrl="http://127.0.0.1:$port/" Gateway__SetBudgets=true
wait_ready worker "http://127.0.0.1:$((port + 1))/health/ready"
wait_ready budget "http://127.0.0.1:$((port + 2))/health/ready"
wait_ready gateway "http://127.0.0.1:$((port + 3))/health/live"

cat <<SUMMARY

Metering is up.
  ledger API           http://127.0.0.1:$port
  API reference        http://127.0.0.1:$port/scalar/v1
  dashboard            http://127.0.0.1:$port/dashboard#key=$admin_key
                       (the key rides in the fragment, which the browser never sends; or open /dashboard and paste it)
  RabbitMQ management  ${management%/}   (guest / guest, vhost $vhost)
  sample gateway       http://127.0.0.1:$((port + 3))/status
  metrics              http://127.0.0.1:{$port,$((port + 1)),$((port + 2)),$((port + 3))}/metrics
  logs                 $run/logs/
  dev admin key        $admin_key

Try:  curl -s -H "Authorization: Bearer $admin_key" http://127.0.0.1:$port/v1/tenants/acme/cycles/current
Stop: infra/down.sh   (infra/down.sh --wipe also deletes the data)
SUMMARY
