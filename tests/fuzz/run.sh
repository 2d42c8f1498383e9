#!/bin/sh
# Builds the libFuzzer targets with clang in their own build directory,
# writes the seed corpus and fuzzes wire_decode (+ wire_emit).
#
# usage: tests/fuzz/run.sh [seconds]        (default 60)
# env:   FUZZ_BUILD_DIR  build directory     (default /tmp/tcpspec-fuzz)
#        FUZZ_MAX_LEN    largest input       (default 4096)
#        FUZZ_ARGS       extra libFuzzer arguments (e.g. -jobs=2)
# exit:  0 no crash; 1 crash or oracle failure (reproducer written to
#        tests/fuzz/crashes/); 77 clang is not installed (skip).
set -eu

secs=${1:-60}
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
build=${FUZZ_BUILD_DIR:-/tmp/tcpspec-fuzz}
max_len=${FUZZ_MAX_LEN:-4096}
crashes="$here/crashes"

if ! command -v clang >/dev/null 2>&1; then
	echo "run.sh: clang not found, skipping the fuzz run" >&2
	exit 77
fi

if [ ! -f "$build/build.ninja" ]; then
	CC=clang meson setup "$build" "$src" -Dfuzz=true
fi
ninja -C "$build" tests/fuzz/fuzz_wire_decode
fuzzer="$build/tests/fuzz/fuzz_wire_decode"

# Seed corpus: valid frames for every link type. Byte 0 is the link type
# (low 3 bits) and the snaplen cut (high 5 bits), see fuzz_wire_decode.c.
mkdir -p "$here/corpus"
python3 - "$here/corpus" <<'EOF'
import os, struct, sys

out = sys.argv[1]
ETH, SLL, SLL2, RAW, IPV4, IPV6, NULL, LOOP = range(8)

def csum(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return s

def tcp(sport, dport, seq, ack, flags, opts=b'', payload=b'', win=65535,
        reserved=0):
    opts += b'\0' * (-len(opts) % 4)
    doff = (20 + len(opts)) // 4
    return bytearray(struct.pack('!HHIIBBHHH', sport, dport, seq, ack,
                                 doff << 4 | reserved, flags, win, 0, 0)
                     + opts + payload)

def v4(seg, src=b'\xc0\x00\x02\x01', dst=b'\xc0\x00\x02\x02', ipopts=b'',
       tl=None, bad=False):
    ihl = 5 + len(ipopts) // 4
    pseudo = src + dst + struct.pack('!BBH', 0, 6, len(seg))
    c = 0xffff & ~csum(pseudo + bytes(seg))
    seg[16:18] = struct.pack('!H', c ^ (0x5555 if bad else 0))
    total = ihl * 4 + len(seg) if tl is None else tl
    h = bytearray(struct.pack('!BBHHHBBH4s4s', 0x40 | ihl, 0, total, 0x1234,
                              0x4000, 64, 6, 0, src, dst) + ipopts)
    h[10:12] = struct.pack('!H', 0xffff & ~csum(bytes(h)))
    return bytes(h + seg)

A6 = bytes.fromhex('20010db8000000000000000000000001')
B6 = bytes.fromhex('20010db8000000000000000000000002')

def v6(seg, exts=b'', first_nh=6, final_dst=B6, bad=False):
    pseudo = A6 + final_dst + struct.pack('!I3xB', len(seg), 6)
    c = 0xffff & ~csum(pseudo + bytes(seg))
    seg[16:18] = struct.pack('!H', c ^ (0x5555 if bad else 0))
    plen = len(exts) + len(seg)
    return struct.pack('!IHBB16s16s', 6 << 28 | 0xabcde, plen, first_nh, 64,
                       A6, B6) + exts + bytes(seg)

MSS = b'\x02\x04\x05\xb4'
SYN_OPTS = MSS + b'\x04\x02\x08\x0a\x00\x00\x10\x00\x00\x00\x00\x00\x01\x03\x03\x07'

def segs():
    yield 'syn', 4, v4(tcp(40000, 80, 1000, 0, 0x02, SYN_OPTS))
    yield 'synack6', 6, v6(tcp(80, 40000, 5000, 1001, 0x12,
                               SYN_OPTS + b'\x22\x0a' + b'\x11' * 8))
    yield 'data_sack', 4, v4(tcp(40000, 80, 1001, 5001, 0x18,
                                 b'\x01\x01\x08\x0a\0\0\0\x01\0\0\0\x02'
                                 b'\x01\x01\x05\x12' + struct.pack('!4I', 7001, 8001, 9001, 9501),
                                 b'hello, world\n'))
    yield 'ipopts', 4, v4(tcp(40000, 80, 1, 2, 0x10, payload=b'x'),
                          ipopts=b'\x94\x04\x00\x00')
    yield 'md5_fo_exp', 6, v6(tcp(1, 2, 3, 4, 0x02,
                                  b'\x13\x12' + b'\x5a' * 16 + b'\xfe\x0c\xf9\x89' + b'\x22' * 8))
    yield 'rst_badsum', 4, v4(tcp(80, 40000, 9, 0, 0x04), bad=True)
    yield 'reserved_odd', 6, v6(tcp(80, 40000, 9, 9, 0x11, payload=b'odd!!', reserved=0x0f))
    yield 'tso_len0', 4, v4(tcp(40000, 80, 1, 2, 0x18, payload=b'A' * 100), tl=0)
    # hop-by-hop (PadN), destination options with a home address,
    # routing type 2: the pseudo-header uses the home and final addresses
    hbh = bytes([60, 0, 1, 4, 0, 0, 0, 0])
    home = bytes.fromhex('20010db8000000000000000000000099')
    dsto = bytes([43, 2, 1, 2, 0, 0, 0xc9, 16]) + home
    rt2 = bytes([44, 2, 2, 1, 0, 0, 0, 0]) + B6
    frag = bytes([6, 0, 0, 0, 0, 0, 0, 42])  # atomic fragment
    seg = tcp(1, 2, 3, 4, 0x10, payload=b'ext')
    pseudo = home + B6 + struct.pack('!I3xB', len(seg), 6)
    seg[16:18] = struct.pack('!H', 0xffff & ~csum(pseudo + bytes(seg)))
    yield 'v6_ext', 6, struct.pack('!IHBB16s16s', 6 << 28, len(hbh + dsto + rt2 + frag) + len(seg),
                                   0, 64, A6, B6) + hbh + dsto + rt2 + frag + bytes(seg)

def link_hdr(link, version):
    et = 0x0800 if version == 4 else 0x86dd
    if link == ETH:
        return b'\x02\0\0\0\0\x02\x02\0\0\0\0\x01' + struct.pack('!H', et)
    if link == SLL:
        return struct.pack('!HHH8sH', 0, 1, 6, b'\x02\0\0\0\0\x01', et)
    if link == SLL2:
        return struct.pack('!HHIHBB8s', et, 0, 2, 1, 4, 6, b'\x02\0\0\0\0\x01')
    if link == NULL:
        return struct.pack('<I', 2 if version == 4 else 30)
    if link == LOOP:
        return struct.pack('!I', 2 if version == 4 else 24)
    return b''

n = 0
for name, version, pkt in segs():
    for link in range(8):
        if (link == IPV4 and version == 6) or (link == IPV6 and version == 4):
            continue
        frames = [link_hdr(link, version) + pkt]
        if link == ETH:  # 802.1Q and QinQ tags
            frames.append(frames[0][:12] + b'\x81\x00\x20\x64' + frames[0][12:])
            frames.append(frames[0][:12] + b'\x88\xa8\x00\x0a\x81\x00\x20\x64' + frames[0][12:])
        for i, f in enumerate(frames):
            sel = link | ((31 if n % 3 else n % 32) << 3)
            with open(os.path.join(out, 'seed-%s-%d-%d' % (name, link, i)), 'wb') as fh:
                fh.write(bytes([sel]) + f)
            n += 1
print('run.sh: %d seed frames in %s' % (n, out))
EOF

mkdir -p "$build/corpus" "$crashes"
opts="-error_exitcode=1 -timeout_exitcode=1 -timeout=10 -rss_limit_mb=2048"

# Reproducers of earlier crashes must not crash any more.
set -- "$crashes"/*
if [ -e "$1" ]; then
	echo "run.sh: replaying $# saved reproducer(s)"
	# shellcheck disable=SC2086
	"$fuzzer" $opts "$@"
fi

# New inputs go to the build directory's corpus, the seeds stay as written.
# shellcheck disable=SC2086
"$fuzzer" $opts -max_total_time="$secs" -max_len="$max_len" \
	-print_final_stats=1 -artifact_prefix="$crashes/" ${FUZZ_ARGS:-} \
	"$build/corpus" "$here/corpus"
