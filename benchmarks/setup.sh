#!/usr/bin/env bash
# Idempotent setup for the benchmark: installs wrk (Debian) and the peers' virtualenv.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(dirname "$HERE")"
VENV="$HERE/.work/venv"
PYTHON="${PYTHON:-python3}"

if ! command -v wrk >/dev/null 2>&1; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "wrk is missing: run 'sudo apt-get install -y wrk'" >&2
        exit 1
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk
fi
command -v taskset >/dev/null 2>&1 || { echo "taskset (util-linux) is missing" >&2; exit 1; }

if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -m venv "$VENV"
fi
"$VENV/bin/pip" install -q --upgrade pip
"$VENV/bin/pip" install -q -r "$HERE/requirements.txt"
"$VENV/bin/pip" install -q -e "$REPO"
echo "ready: wrk=$(command -v wrk) venv=$VENV"
