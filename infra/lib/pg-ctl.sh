#!/usr/bin/env bash
# pg-ctl.sh stop|start: stops or starts the Docker Compose PostgreSQL (what METERING_PG_CTL points to under Docker).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
case "$1" in
  stop) docker compose -f "$root/docker-compose.yml" stop postgres ;;
  start) docker compose -f "$root/docker-compose.yml" up -d --wait postgres ;;
  *) echo "usage: $0 stop|start" >&2; exit 2 ;;
esac
