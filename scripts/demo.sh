#!/usr/bin/env bash
# The main job on a fresh machine: set-up (pnpm, dependencies, Samba, PostgreSQL), build the
# `dlmigrate` command, then `dlmigrate lab demo`: a real Samba AD DC on loopback seeded with the
# contoso fixture, a simulated Exchange Online tenant syncing from it, and a batch migration of the
# fixture's groups (three nesting levels) with live progress and an HTML report.
# Extra arguments go to `dlmigrate lab demo` (e.g. --json, --html demo.html).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/no-telemetry.sh

bash scripts/setup.sh
bash scripts/services.sh
pnpm turbo run build --filter @dlmigrate/cli... --output-logs=errors-only
node apps/cli/dist/bin.js lab demo "$@"
