#!/usr/bin/env bash
# Makes sure the services the tests and the lab need are on this machine:
#  - Samba AD DC packages (installed by the lab package's own installer, the single source of truth);
#  - PostgreSQL on 127.0.0.1:5432 accepting local connections as user postgres;
#  - Debian's Chromium, which the CLI's tests use to open the HTML report headless.
# Needs root (apt-get, samba). Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

node --import tsx --conditions=dlmigrate-source packages/lab/src/cli.ts install

# Headless Chromium opens the HTML reports in the CLI's tests (Debian's build; no browser download).
if ! command -v chromium >/dev/null 2>&1; then
  echo "services: installing Chromium (headless, for the HTML report tests)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi

pg_ready() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  echo "services: installing PostgreSQL"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi
if ! pg_ready; then
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
fi
for _ in $(seq 1 50); do pg_ready && break; sleep 0.2; done
pg_ready || { echo "services: PostgreSQL is not answering on 127.0.0.1:5432" >&2; exit 1; }
# A machine we installed ourselves asks for passwords on TCP; the tests connect as postgres without one.
if ! psql -h 127.0.0.1 -U postgres -d postgres -Atqc 'select 1' >/dev/null 2>&1; then
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  hba=/etc/postgresql/$version/main/pg_hba.conf
  sed -i -E 's/^(host\s+all\s+all\s+(127\.0\.0\.1\/32|::1\/128)\s+)\S+/\1trust/' "$hba"
  pg_ctlcluster --skip-systemctl-redirect "$version" main reload
  psql -h 127.0.0.1 -U postgres -d postgres -Atqc 'select 1' >/dev/null
fi
echo "services: Samba packages present, PostgreSQL ready on 127.0.0.1:5432"
