#!/usr/bin/env bash
# One command on a fresh Debian machine: install, build, and run the bundled
# suite against the Linux kernel in network namespaces tcpspec creates and
# removes itself. Prints one verdict per case; writes tcpspec-report.json,
# tcpspec-report.html, tcpspec-junit.xml and one pcap per case under
# tcpspec-pcaps/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
mkdir -p tcpspec-pcaps
$SUDO build/cli/tcpspec run --target linux --json tcpspec-report.json \
	--html tcpspec-report.html --junit tcpspec-junit.xml --pcap-dir tcpspec-pcaps
