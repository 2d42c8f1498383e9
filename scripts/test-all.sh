#!/usr/bin/env bash
# One command on a fresh Debian machine: install, build, and run every test
# (unit, integration against the Linux kernel in namespaces, a short fuzz
# smoke run when clang is present). Integration tests need root; without it
# they report "skipped" (exit 77).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
status=0
$SUDO meson test -C build --print-errorlogs --num-processes 2 || status=1
if command -v clang >/dev/null; then
	bash tests/fuzz/run.sh 30 || status=1
fi
python3 scripts/test-summary.py build/meson-logs/testlog.json || status=1
exit $status
