#!/usr/bin/env bash
# Runs every test: installs the system packages that some tests drive as real outside
# components (when missing and when run as root), then `mvn -B verify`.
# Usage: scripts/test.sh [extra maven arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

# command -> Debian package that provides it
declare -A NEEDED=(
  [chromium]=chromium
  [chromedriver]=chromium-driver
  [mosquitto]=mosquitto
  [mosquitto_pub]=mosquitto-clients
  [psql]=postgresql-client
)

missing=()
for cmd in "${!NEEDED[@]}"; do
  if ! command -v "$cmd" >/dev/null 2>&1; then
    missing+=("${NEEDED[$cmd]}")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "scripts/test.sh: installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  else
    echo "scripts/test.sh: missing packages: ${missing[*]}; install them with:" >&2
    echo "  sudo apt-get install ${missing[*]}" >&2
    echo "the tests that need them will fail with the same advice" >&2
  fi
fi

exec mvn -B verify "$@"
