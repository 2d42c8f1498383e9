#!/usr/bin/env bash
# Times `tcpspec analyze` against tshark, tcptrace and tcpdump on one
# capture of real Linux traffic (>= 300 MB, generated once by
# gen_traffic.py), in one run; prints throughput, the ratio to tcptrace and
# peak memory. A benchmark, not a test: it asserts nothing about time.
#
# usage: sudo tests/bench/bench_analyze.sh [CAPTURE]   (default /tmp/tcpspec-bench/traffic.pcap)
set -euo pipefail
cd "$(dirname "$0")/../.."
cap=${1:-/tmp/tcpspec-bench/traffic.pcap}
export DEBIAN_FRONTEND=noninteractive
for p in tshark tcptrace tcpdump time iptables ethtool; do
	dpkg -s "$p" >/dev/null 2>&1 || apt-get install -y -qq "$p" >/dev/null
done
if [ ! -s "$cap" ]; then
	mkdir -p "$(dirname "$cap")"
	python3 tests/bench/gen_traffic.py "$cap" 320
fi
# the release build: no sanitizers, -O2
[ -f build-rel/build.ninja ] || meson setup build-rel --buildtype=release -Db_sanitize=none -Dtests=false >/dev/null
meson compile -C build-rel >/dev/null

size=$(stat -c %s "$cap")
calc() { awk "BEGIN { print $1 }"; }
printf 'capture: %s, %.0f MB\n\n' "$cap" "$(calc "$size / 1000000")"
printf '%-34s %8s %9s %10s %12s\n' tool seconds MB/s vs-tcptrace peak-RSS-MB
declare -A secs
run() {
	local name=$1; shift
	local t
	# cache warm: read once so every tool sees the file in the page cache
	cat "$cap" >/dev/null
	/usr/bin/time -o /tmp/tcpspec-bench.time -f '%e %M' "$@" >/dev/null 2>&1 || true
	t=$(tail -1 /tmp/tcpspec-bench.time)
	secs[$name]=${t% *}
	local mem=${t#* }
	printf '%-34s %8.2f %9.1f %10s %12.1f\n' "$name" "${t% *}" \
		"$(calc "$size / 1000000 / ${t% *}")" "__R_$name" "$(calc "$mem / 1024")"
}
{
	run "tcpspec analyze" build-rel/cli/tcpspec analyze "$cap"
	run "tcptrace -l" tcptrace -l "$cap"
	run "tshark -q -z conv,tcp" tshark -q -z conv,tcp -r "$cap"
	run "tcpdump -r FILE -w /dev/null" tcpdump -r "$cap" -w /dev/null
} > /tmp/tcpspec-bench.out
base=${secs["tcptrace -l"]}
while IFS= read -r line; do
	for k in "${!secs[@]}"; do
		r=$(calc "$base / ${secs[$k]}")
		line=${line/__R_$k/$(printf '%.2fx' "$r")}
	done
	echo "$line"
done < /tmp/tcpspec-bench.out
