#!/usr/bin/env bash
# Installs the Debian packages the tests and benchmarks run for real (etcd, Prometheus, headless
# Chromium, HAProxy) when their binaries are missing. `apt-get update` runs at most once, and only
# when something is missing; nothing is installed when everything is there.
#
#   bash scripts/system-packages.sh            # everything the test suite needs
#   bash scripts/system-packages.sh haproxy    # only these packages
#
# Each package is listed with the binary that tells it is installed. Servers are never started here:
# each test starts its own on 127.0.0.1 with random ports and stops it by PID.
set -euo pipefail

declare -A BINARY_OF=(
  [etcd-server]=etcd
  [etcd-client]=etcdctl
  [prometheus]=prometheus
  [chromium]=chromium
  [haproxy]=haproxy
  [openssl]=openssl
)
# What the test suite needs; benchmarks name theirs explicitly.
TEST_PACKAGES=(etcd-server etcd-client prometheus chromium openssl)

wanted=("$@")
[ ${#wanted[@]} -gt 0 ] || wanted=("${TEST_PACKAGES[@]}")

missing=()
for package in "${wanted[@]}"; do
  binary=${BINARY_OF[$package]:-$package}
  command -v "$binary" >/dev/null 2>&1 || [ -x "/usr/bin/$binary" ] || [ -x "/usr/sbin/$binary" ] || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "system-packages: missing ${missing[*]} and there is no apt-get here; install them with your package manager" >&2
  exit 1
fi
run() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi; }
echo "system-packages: installing ${missing[*]} from Debian (apt-get)" >&2
export DEBIAN_FRONTEND=noninteractive
run apt-get update -qq >/dev/null
run apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "system-packages: installed ${missing[*]}" >&2
