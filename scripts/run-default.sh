#!/usr/bin/env bash
# One command on a fresh Debian machine: install, build, and run the bundled
# suite against the Linux kernel in network namespaces tcpspec creates and
# removes itself. Prints one verdict per case; writes tcpspec-results.json
# and one pcap per case under tcpspec-pcaps/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
mkdir -p tcpspec-pcaps
$SUDO build/cli/tcpspec run --target linux --json tcpspec-results.json --pcap-dir tcpspec-pcaps
