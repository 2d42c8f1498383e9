#!/usr/bin/env bash
# Installs every Debian package tcpspec needs to build and test.
set -euo pipefail
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# chromium: the HTML report's browser test (tests/html/test_html.py).
# env: sudo drops DEBIAN_FRONTEND, and wireshark-common (tshark) asks a
# debconf question unless it is noninteractive.
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	build-essential meson ninja-build pkg-config python3 \
	libpcap-dev libnet1-dev libyaml-dev libcmocka-dev libjansson-dev \
	iproute2 ethtool \
	tshark tcpdump iptables \
	libxml2-utils python3-jsonschema \
	clang libclang-rt-14-dev \
	chromium >/dev/null
