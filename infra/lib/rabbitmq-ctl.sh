#!/usr/bin/env bash
# rabbitmq-ctl.sh stop|start: stops or starts the RabbitMQ broker (what METERING_RABBITMQ_CTL points to). The node
# keeps running; the broker application stops, so every connection drops, and starts again with its durable state.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
if [ "${METERING_SERVERS:-debian}" = docker ]; then
  case "$1" in
    stop) docker compose -f "$root/docker-compose.yml" stop rabbitmq ;;
    start) docker compose -f "$root/docker-compose.yml" up -d --wait rabbitmq ;;
  esac
  exit 0
fi
case "$1" in
  stop) rabbitmqctl -q stop_app ;;
  start)
    rabbitmqctl -q start_app
    rabbitmqctl -q await_startup
    for _ in $(seq 1 60); do (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null && exit 0; sleep 0.5; done
    echo "RabbitMQ did not listen on 5672 again" >&2; exit 1 ;;
  *) echo "usage: $0 stop|start" >&2; exit 2 ;;
esac
