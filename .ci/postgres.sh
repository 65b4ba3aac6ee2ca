#!/usr/bin/env bash
# Make sure PostgreSQL answers on 127.0.0.1:5432 and lets user postgres in without a password,
# so that `make test` can run the suite on it. PostgreSQL is required: this never skips.
#
# If nothing answers, install Debian's `postgresql` package when missing and start its cluster.
# Debian's own pg_hba.conf asks for a password (scram-sha-256) on 127.0.0.1; this machine-local
# test server then gets one `trust` line for user postgres from 127.0.0.1 and ::1, nothing wider.
set -euo pipefail

host=127.0.0.1
port="${PARKOS_PG_PORT:-5432}"
cluster="${PARKOS_PG_CLUSTER:-main}"
database="${PARKOS_PG_DATABASE:-parkos}"
here="$(cd "$(dirname "$0")" && pwd)"

if [[ $EUID -eq 0 ]]; then
    as_root=()
else
    as_root=(sudo)
fi

answers() {
    command -v pg_isready >/dev/null 2>&1 && pg_isready -q -h "$host" -p "$port"
}

can_log_in() {
    psql -w -h "$host" -p "$port" -U postgres -d postgres -Atqc "select 1" >/dev/null 2>&1
}

cluster_version() {
    # The newest cluster directory, else the newest installed server.
    local version
    version="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -1)"
    if [[ -z "$version" ]]; then
        version="$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -1)"
    fi
    echo "$version"
}

if ! answers; then
    bash "$here/debian-packages.sh" postgresql
    version="$(cluster_version)"
    if [[ -z "$version" ]]; then
        echo "PostgreSQL is installed but no server version was found under /usr/lib/postgresql." >&2
        exit 1
    fi
    if [[ ! -d "/etc/postgresql/$version/$cluster" ]]; then
        "${as_root[@]}" pg_createcluster --port "$port" "$version" "$cluster"
    fi
    echo "Starting PostgreSQL $version/$cluster ..."
    "${as_root[@]}" pg_ctlcluster --skip-systemctl-redirect "$version" "$cluster" start || true
    for _ in $(seq 60); do
        answers && break
        sleep 0.5
    done
    if ! answers; then
        echo "PostgreSQL $version/$cluster did not answer on $host:$port; see /var/log/postgresql/." >&2
        exit 1
    fi
fi

if ! can_log_in; then
    # The cluster that listens on our port (pg_lsclusters: version, name, port, ...).
    read -r version cluster < <(pg_lsclusters -h 2>/dev/null | awk -v port="$port" '$3 == port {print $1, $2; exit}') \
        || true
    hba="/etc/postgresql/${version:-?}/${cluster:-?}/pg_hba.conf"
    if [[ ! -f "$hba" ]]; then
        echo "PostgreSQL on $host:$port refuses user postgres without a password, and its pg_hba.conf" >&2
        echo "is not at $hba. Let user postgres in from 127.0.0.1 (trust), or set PGPASSWORD." >&2
        exit 1
    fi
    echo "Letting user postgres in from 127.0.0.1 without a password ($hba) ..."
    # pg_hba.conf is read top down and the first match wins, so the lines go first.
    "${as_root[@]}" sed -i '1i # Added by ParkOS .ci/postgres.sh: the local test server trusts user postgres on loopback.\
host all postgres 127.0.0.1/32 trust\
host all postgres ::1/128 trust' "$hba"
    "${as_root[@]}" pg_ctlcluster --skip-systemctl-redirect "$version" "$cluster" reload
    for _ in $(seq 20); do
        can_log_in && break
        sleep 0.5
    done
    if ! can_log_in; then
        echo "User postgres still cannot log in on $host:$port; check $hba." >&2
        exit 1
    fi
fi

if [[ "$(psql -w -h "$host" -p "$port" -U postgres -d postgres -Atqc \
        "select 1 from pg_database where datname = '$database'")" != 1 ]]; then
    createdb -w -h "$host" -p "$port" -U postgres "$database"
fi
echo "PostgreSQL answers on $host:$port (user postgres, database $database)."
