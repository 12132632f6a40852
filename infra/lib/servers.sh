#!/usr/bin/env bash
# Makes sure PostgreSQL and RabbitMQ are installed, running and ready, and exports where they are:
#   METERING_PG, METERING_AMQP, METERING_RABBITMQ_MANAGEMENT, METERING_SERVERS (docker|debian),
#   METERING_PG_CTL and METERING_RABBITMQ_CTL (commands that take stop|start), METERING_PG_KILL (a crash of
#   PostgreSQL), METERING_STARTED_SERVERS (what this
#   call started)
# Docker Compose when a Docker engine answers; otherwise Debian's packages, installed when missing and started
# without systemd. Idempotent. Source it: `. infra/lib/servers.sh`.

servers_log() { printf '\033[1m[servers]\033[0m %s\n' "$*" >&2; }

servers_as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    servers_log "need root to run: $*"; return 1; fi
}

servers_wait_port() { # host port seconds
  local deadline=$((SECONDS + $3))
  until (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || { servers_log "nothing listens on $1:$2 after $3 s"; return 1; }
    sleep 0.5
  done
}

servers_docker() {
  local root; root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  local running; running=$(docker compose -f "$root/docker-compose.yml" ps --status running -q postgres rabbitmq 2>/dev/null | wc -l)
  servers_log "Docker engine found: starting postgres and rabbitmq with Docker Compose"
  docker compose -f "$root/docker-compose.yml" up -d --wait postgres rabbitmq >&2
  export METERING_SERVERS=docker
  # Only what this call started is ours to stop: servers another run had up stay up.
  if [ "$running" -ge 2 ]; then export METERING_STARTED_SERVERS=""; else export METERING_STARTED_SERVERS="compose"; fi
  export METERING_PG_CTL="$root/infra/lib/pg-ctl.sh"
}

servers_debian() {
  export METERING_SERVERS=debian
  METERING_STARTED_SERVERS=""
  local missing=()
  command -v pg_ctlcluster >/dev/null && ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing+=(postgresql)
  command -v rabbitmq-server >/dev/null || missing+=(rabbitmq-server)
  if [ ${#missing[@]} -gt 0 ]; then
    servers_log "installing ${missing[*]} from Debian's packages"
    servers_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    servers_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
  fi

  # PostgreSQL: the distribution's cluster, started by hand (there is no systemd here).
  local version; version=$(ls /usr/lib/postgresql | sort -V | tail -1)
  if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main"' | grep -q .; then
    servers_as_root pg_createcluster "$version" main >&2
  fi
  if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" && $4 == "online"' | grep -q .; then
    servers_log "starting PostgreSQL $version"
    servers_as_root pg_ctlcluster "$version" main start >&2
    METERING_STARTED_SERVERS="$METERING_STARTED_SERVERS postgresql"
  fi
  servers_wait_port 127.0.0.1 5432 60
  servers_as_root runuser -u postgres -- psql -q -v ON_ERROR_STOP=1 -c "
    SET client_min_messages = warning;
    DO \$\$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'metering') THEN
        CREATE ROLE metering LOGIN PASSWORD 'metering' CREATEDB;
      END IF;
    END \$\$;
    GRANT pg_signal_backend TO metering;" >&2
  export METERING_PG_CTL="pg_ctlcluster $version main"

  # RabbitMQ: detached; ping answers before the AMQP port does, so wait for the port.
  if ! servers_as_root rabbitmqctl -q status >/dev/null 2>&1; then
    servers_log "starting RabbitMQ"
    servers_as_root rabbitmq-server -detached >&2
    METERING_STARTED_SERVERS="$METERING_STARTED_SERVERS rabbitmq"
  fi
  servers_wait_port 127.0.0.1 5672 90
  servers_as_root rabbitmqctl -q await_startup >&2
  if ! servers_as_root rabbitmq-plugins list -e -m | grep -qx rabbitmq_management; then
    servers_as_root rabbitmq-plugins enable -q rabbitmq_management >&2
  fi
  servers_wait_port 127.0.0.1 15672 60
  export METERING_STARTED_SERVERS
}

if docker info >/dev/null 2>&1; then servers_docker; else servers_debian; fi || return 1 2>/dev/null || exit 1

export METERING_RABBITMQ_CTL="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/rabbitmq-ctl.sh"
export METERING_PG_KILL="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/pg-kill.sh"
export METERING_PG="Host=127.0.0.1;Port=5432;Username=metering;Password=metering;Database=postgres"
export METERING_AMQP="amqp://guest:guest@127.0.0.1:5672/"
export METERING_RABBITMQ_MANAGEMENT="http://127.0.0.1:15672/"
servers_log "PostgreSQL and RabbitMQ are ready ($METERING_SERVERS)"
