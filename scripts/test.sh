#!/usr/bin/env bash
# The whole test suite from a fresh clone: set-up (pnpm, dependencies, Samba, PostgreSQL), then
# typecheck, lint and every package's tests (real Samba labs, real PostgreSQL, cloud-sim over HTTPS).
# Ends with one line "N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/no-telemetry.sh

bash scripts/setup.sh
bash scripts/services.sh
echo "test.sh: set-up and services took ${SECONDS} s"

# Labs started by the tests live under this checkout's .lab/ and are stopped by PID when we leave.
cleanup() { node --import tsx --conditions=dlmigrate-source packages/lab/src/cli.ts down --all >/dev/null 2>&1 || true; }
trap cleanup EXIT

pnpm run format:check
node scripts/check-workspace.mjs --self-check
pnpm run knip # unused files and dependencies
pnpm run knip:exports # unused exports and types
pnpm run api:check # each package's exports match its reviewed api.txt
pnpm turbo run typecheck lint
echo "test.sh: checks done at ${SECONDS} s"
find . -name .vitest-report.json -not -path '*/node_modules/*' -delete
status=0
pnpm turbo run test --concurrency=1 --continue -- --reporter=default --reporter=json \
  --outputFile.json=.vitest-report.json || status=$?
echo "test.sh: tests done at ${SECONDS} s"
node scripts/test-summary.mjs || status=1
exit "$status"
