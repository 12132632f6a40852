#!/usr/bin/env bash
# pg-kill.sh: PostgreSQL crashes (what METERING_PG_KILL points to; SPEC §16): an immediate shutdown, every backend
# SIGQUIT with no checkpoint, so that the next start runs crash recovery. Start it again with METERING_PG_CTL start.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
if [ "${METERING_SERVERS:-debian}" = docker ]; then
  docker compose -f "$root/docker-compose.yml" kill -s SIGKILL postgres
else
  pg_ctlcluster "$(ls /usr/lib/postgresql | sort -V | tail -1)" main stop -m immediate
fi
