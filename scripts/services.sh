#!/usr/bin/env bash
# Makes sure the services the tests and the lab need are on this machine:
#  - Samba AD DC packages (installed by the lab package's own installer, the single source of truth);
#  - PostgreSQL on 127.0.0.1:5432 accepting local connections as user postgres;
#  - Debian's Chromium, which the CLI's tests use to open the HTML report headless;
#  - Debian's OpenSSH server binary, which the SSH sync trigger's tests start on loopback with their own
#    config, host key and port (the package's own sshd service is never started: see below).
# Needs root (apt-get, samba). Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/no-telemetry.sh

node --import tsx --conditions=dlmigrate-source packages/lab/src/cli.ts install

# Headless Chromium opens the HTML reports in the CLI's tests (Debian's build; no browser download).
if ! command -v chromium >/dev/null 2>&1; then
  echo "services: installing Chromium (headless, for the HTML report tests)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi

# sshd for the SSH sync trigger's tests. Installing the package must not start Debian's ssh service (a
# listener on every interface): a policy-rc.d that refuses service starts is in place while apt runs,
# unless the machine already has one.
if [ ! -x /usr/sbin/sshd ]; then
  echo "services: installing openssh-server (its sshd is only started by tests, on loopback)"
  guard=
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    guard=/usr/sbin/policy-rc.d
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openssh-server >/dev/null
  if [ -n "$guard" ]; then rm -f "$guard"; fi
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
echo "services: Samba packages present, sshd installed, PostgreSQL ready on 127.0.0.1:5432"
