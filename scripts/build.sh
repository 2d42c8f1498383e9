#!/usr/bin/env bash
# Configures (once) and builds the default build: -Wall -Wextra -Werror, ASan+UBSan.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f build/build.ninja ] || meson setup build >/dev/null
meson compile -C build
