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
report=(--reporter=default --reporter=json --outputFile.json=.vitest-report.json)
# The packages' own suites (one at a time) run alongside the e2e project rather than before it: both spend most of
# their time waiting (for Samba, the simulated sync, child processes), so on CI's two cores they overlap almost for
# free — the package suites (~12 min) end well before the e2e files do, and so before its fault matrix (which starts
# after the e2e files, test/vitest.config.ts) has the machine to itself. Everything is built first, so the two turbo
# runs never build a package at the same time (`--only`: no dependency tasks of their own). The package suites'
# output goes to a file, printed once they are done, so the two never interleave.
pnpm turbo run build
packages_log=$(mktemp)
(pnpm turbo run test --only --concurrency=1 --continue --filter='!@dlmigrate/e2e' -- "${report[@]}" \
  >"$packages_log" 2>&1; echo "$?" >"$packages_log.rc") &
packages_pid=$!
pnpm turbo run test --only --filter=@dlmigrate/e2e -- "${report[@]}" || status=$?
echo "test.sh: e2e done at ${SECONDS} s"
wait "$packages_pid" || true
cat "$packages_log"
[ "$(cat "$packages_log.rc" 2>/dev/null || echo 1)" = 0 ] || status=1
rm -f "$packages_log" "$packages_log.rc"
echo "test.sh: tests done at ${SECONDS} s"
node scripts/test-summary.mjs || status=1
exit "$status"
