#!/usr/bin/env bash
# Refreshes the community catalog snapshot the service ships (SPEC §13) from the npm package @pydantic/genai-prices:
#   infra/catalog/update.sh [VERSION]   install the package (the version in infra/node/package.json, or VERSION),
#                                       extract its dataset, convert it, and write
#                                       services/libraries/Metering.Pricing/Catalog/community-catalog.json.
# Review the diff and commit it: prices are data. A running system takes a dataset through POST /v1/catalog/import.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -n "${1:-}" ]; then
  (cd infra/node && npm install --no-audit --no-fund --save-exact "@pydantic/genai-prices@$1" >&2)
else
  (cd infra/node && npm ci --no-audit --no-fund >&2)
fi
dataset=$(mktemp /tmp/genai-prices.XXXXXX.json)
trap 'rm -f "$dataset"' EXIT
node infra/node/extract-genai-prices.mjs > "$dataset"
dotnet run --project services/Metering.Cli -c Release -- catalog import --from genai-prices "$dataset" \
  --out services/libraries/Metering.Pricing/Catalog/community-catalog.json
echo "wrote services/libraries/Metering.Pricing/Catalog/community-catalog.json; review the diff, then commit it" >&2
