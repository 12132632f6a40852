# Sourced by infra/test.sh: Node.js and the npm packages of infra/node (the community price dataset and its reference
# calculator, SPEC §13), installed when missing. Debian's nodejs when there is no node at all.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "[node] installing nodejs and npm (Debian packages)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm >/dev/null || { echo "[node] cannot install nodejs" >&2; return 1; }
fi
if ! (cd infra/node && node -e "require.resolve('@pydantic/genai-prices')" 2>/dev/null) || [ infra/node/package-lock.json -nt infra/node/node_modules ]; then
  echo "[node] npm ci in infra/node"
  (cd infra/node && npm ci --no-audit --no-fund --loglevel=error) || { echo "[node] npm ci failed" >&2; return 1; }
fi
