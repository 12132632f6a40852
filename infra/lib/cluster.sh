#!/usr/bin/env bash
# cluster.sh start|stop|kill N|start-node N|status: a three-node RabbitMQ cluster on this machine (SPEC §16), from the
# Debian package, beside the single node of servers.sh (which it leaves alone). Node N is metering-N@<host>, AMQP
# port 5700+N, management 15700+N, distribution 25700+N, data and logs in /var/lib/rabbitmq/metering-cluster/N;
# the nodes share the Debian node's Erlang cookie. `kill N` is SIGKILL of node N's Erlang VM (a crash, not a stop).
# Prints the AMQP URIs of the nodes (one per line) after `start`.
set -euo pipefail
NODES=(1 2 3)
base=/var/lib/rabbitmq/metering-cluster
host=$(hostname -s)

as_rabbitmq() { # node args...
  local n=$1; shift
  runuser -u rabbitmq -- env HOME=/var/lib/rabbitmq \
    RABBITMQ_NODENAME="metering-$n@$host" RABBITMQ_NODE_PORT=$((5700 + n)) RABBITMQ_DIST_PORT=$((25700 + n)) \
    RABBITMQ_MNESIA_BASE="$base/$n/mnesia" RABBITMQ_LOG_BASE="$base/$n/log" RABBITMQ_PID_FILE="$base/$n/pid" \
    RABBITMQ_CONFIG_FILE="$base/$n/rabbitmq" RABBITMQ_ENABLED_PLUGINS_FILE="$base/$n/enabled_plugins" "$@"
}

ctl() { local n=$1; shift; as_rabbitmq "$n" /usr/lib/rabbitmq/bin/rabbitmqctl -n "metering-$n@$host" "$@"; }

wait_port() { # port seconds
  local deadline=$((SECONDS + $2))
  until (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || { echo "[cluster] nothing listens on port $1 after $2 s" >&2; return 1; }
    sleep 0.5
  done
}

launch_node() {
  local n=$1
  mkdir -p "$base/$n/mnesia" "$base/$n/log"
  printf 'listeners.tcp.default = %s\nmanagement.tcp.port = %s\nloopback_users = none\n' $((5700 + n)) $((15700 + n)) > "$base/$n/rabbitmq.conf"
  echo '[rabbitmq_management].' > "$base/$n/enabled_plugins"
  chown -R rabbitmq:rabbitmq "$base/$n"
  if ! ctl "$n" -q status >/dev/null 2>&1; then
    as_rabbitmq "$n" /usr/lib/rabbitmq/bin/rabbitmq-server -detached >/dev/null 2>&1
  fi
}

await_node() {
  local n=$1
  if ! wait_port $((5700 + n)) 120; then
    echo "[cluster] the last lines of $base/$n/log/metering-$n@$host.log:" >&2
    tail -n 15 "$base/$n/log/metering-$n@$host.log" >&2 || true
    return 1
  fi
  ctl "$n" -q await_startup
}

case "${1:-}" in
  start)
    # All nodes at once: a node that was not the last of its cluster to stop waits (up to 5 minutes) for the
    # others' tables before it opens its listeners, so starting them one by one can hang on the first.
    for n in "${NODES[@]}"; do launch_node "$n"; done
    for n in "${NODES[@]}"; do await_node "$n"; done
    for n in 2 3; do
      if ! ctl "$n" -q cluster_status --formatter json | grep -q "metering-1@$host"; then
        ctl "$n" -q stop_app && ctl "$n" -q reset && ctl "$n" -q join_cluster "metering-1@$host" && ctl "$n" -q start_app
      fi
    done
    wait_port 15701 60
    for n in "${NODES[@]}"; do echo "amqp://guest:guest@127.0.0.1:$((5700 + n))/"; done
    ;;
  start-node) launch_node "$2" && await_node "$2" ;;
  kill)
    # The Erlang VM's own pid, asked of the node (the pid file is not always written).
    pid=$(ctl "$2" -q eval 'list_to_integer(os:getpid()).' 2>/dev/null | tail -1 || true)
    [[ "$pid" =~ ^[0-9]+$ ]] || pid=$(cat "$base/$2/pid" 2>/dev/null || true)
    [[ "$pid" =~ ^[0-9]+$ ]] || { echo "[cluster] cannot find the process of node metering-$2@$host" >&2; exit 1; }
    kill -9 "$pid"
    ;;
  stop)
    for n in "${NODES[@]}"; do ctl "$n" -q stop >/dev/null 2>&1 || true; done
    ;;
  status) ctl 1 cluster_status ;;
  *) echo "usage: $0 start|stop|kill N|start-node N|status" >&2; exit 2 ;;
esac
