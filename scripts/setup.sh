#!/usr/bin/env bash
# One-time set-up of a fresh machine: pnpm (the version package.json pins) and the workspace's
# dependencies. Safe to run again; it only does what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/no-telemetry.sh

want=$(node -p "require('./package.json').packageManager.split('@')[1]")
have=$(pnpm --version 2>/dev/null || true)
if [ "$have" != "$want" ]; then
  echo "setup: installing pnpm $want (found: ${have:-none})"
  npm install --global --no-fund --no-audit "pnpm@$want" >/dev/null
fi

# better-sqlite3 compiles from source here (~80 s); pnpm-workspace.yaml allows its build script.
if [ -n "${CI:-}" ]; then frozen=--frozen-lockfile; else frozen=--prefer-frozen-lockfile; fi
pnpm install "$frozen" --reporter=append-only
