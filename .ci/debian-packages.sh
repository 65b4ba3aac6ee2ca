#!/usr/bin/env bash
# Install the Debian packages named as arguments, but only those dpkg says are missing,
# so that a repeated `make install` costs a few dpkg look-ups and no network.
set -euo pipefail

missing=()
if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "Not a Debian system: make sure these are installed yourself: $*" >&2
    exit 0
fi
for package in "$@"; do
    # "ii" = installed; a removed package can still have status "rc" (config files left).
    if [[ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$package" 2>/dev/null)" != ii* ]]; then
        missing+=("$package")
    fi
done
if [[ ${#missing[@]} -eq 0 ]]; then
    exit 0
fi

if [[ $EUID -eq 0 ]]; then
    as_root=()
elif command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
else
    echo "These Debian packages are missing and installing them needs root: ${missing[*]}" >&2
    echo "Run as root: apt-get install ${missing[*]}" >&2
    exit 1
fi

echo "Installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# One `apt-get update` per hour is enough, however many times this script runs in one set-up.
updated_stamp="${TMPDIR:-/tmp}/parkos-apt-updated"
if [[ -z "$(find "$updated_stamp" -mmin -60 2>/dev/null)" ]]; then
    "${as_root[@]}" apt-get update -q
    touch "$updated_stamp"
fi
"${as_root[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
