#!/usr/bin/env bash
# Runs a benchmark of tests/Metering.Bench against this machine's PostgreSQL and RabbitMQ (started when missing).
#   infra/bench.sh pricing               the pricing function (BenchmarkDotNet; no servers needed)
#   infra/bench.sh pipeline              transport ceiling and end-to-end throughput
#   infra/bench.sh ingest                POST /v1/events and POST /v1/traces, confirmed by RabbitMQ
#   infra/bench.sh projection            projection accuracy on synthetic cycles (no servers needed)
#   infra/bench.sh --help                every benchmark
set -euo pipefail
cd "$(dirname "$0")/.."
. infra/lib/servers.sh
dotnet build -c Release tests/Metering.Bench -v quiet -nologo >&2
exec dotnet tests/Metering.Bench/bin/Release/net10.0/Metering.Bench.dll "$@"
