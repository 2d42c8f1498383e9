#!/usr/bin/env python3
"""tcpspec analyze end to end: packet lines, JSON Lines, checksum findings,
and damaged input (not a capture, truncated mid-record, unknown option).

Captures are written here with the standard library, with checksums
computed independently of tcpspec's own csum code."""
import json
import os
import struct
import subprocess
import sys
import tempfile

TCPSPEC = sys.argv[1]
failures = []
checks = 0


def check(cond, what):
    global checks
    checks += 1
    if not cond:
        failures.append(what)
        print('FAIL:', what)


def csum(data):
    if len(data) % 2:
        data += b'\0'
    s = sum(struct.unpack('!%dH' % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


def tcp_v4(src, dst, sport, dport, seq, ack, flags, win=65535, opts=b'', data=b'',
           bad=False):
    doff = (20 + len(opts)) // 4
    hdr = struct.pack('!HHIIBBHHH', sport, dport, seq, ack, doff << 4, flags, win, 0, 0)
    seg = hdr + opts + data
    pseudo = bytes(src) + bytes(dst) + struct.pack('!BBH', 0, 6, len(seg))
    c = csum(pseudo + seg)
    if bad:
        c ^= 0x5555
    seg = seg[:16] + struct.pack('!H', c) + seg[18:]
    ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(seg), 1, 0x4000, 64, 6, 0,
                     bytes(src), bytes(dst))
    ip = ip[:10] + struct.pack('!H', csum(ip)) + ip[12:]
    eth = bytes.fromhex('020000000001020000000002') + b'\x08\x00'
    return eth + ip + seg


def pcap(records, trailer=b''):
    out = struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1)
    for i, r in enumerate(records):
        out += struct.pack('<IIII', 1000 + i, 0, len(r), len(r)) + r
    return out + trailer


def run(*args):
    p = subprocess.run([TCPSPEC, *args], capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


C = [192, 0, 2, 2]
S = [192, 0, 2, 1]
mss_ws = bytes([2, 4, 5, 0xb4, 1, 3, 3, 7])
pkts = [
    tcp_v4(C, S, 40000, 8080, 1000, 0, 0x02, opts=mss_ws),
    tcp_v4(S, C, 8080, 40000, 5000, 1001, 0x12, opts=bytes([2, 4, 5, 0xb4])),
    tcp_v4(C, S, 40000, 8080, 1001, 5001, 0x10),
    tcp_v4(C, S, 40000, 8080, 1001, 5001, 0x18, data=b'hello', bad=True),
]

with tempfile.TemporaryDirectory() as d:
    good = os.path.join(d, 'good.pcap')
    open(good, 'wb').write(pcap(pkts))

    rc, out, err = run('analyze', '--packets', good)
    check(rc == 0, 'good file exits 0, got %d (%s)' % (rc, err))
    lines = out.splitlines()
    check(lines[0].startswith('1 0.000000 192.0.2.2.40000 > 192.0.2.1.8080 [S] seq 0 win 65535 len 0 <mss 1460,nop,wscale 7> csum ok'),
          'SYN line: %r' % lines[0])
    check('[SA] seq 0 ack 1 ' in lines[1], 'SYN-ACK relative numbers: %r' % lines[1])
    check(' csum bad ' in out, 'bad checksum marked on its line')
    check('packet 4: MUST TCP-CHECKSUM-BAD' in out, 'bad checksum finding: %r' % out)
    check(out.count('TCP-CHECKSUM-BAD') == 1, 'exactly one checksum finding')
    check('4 packets (4 TCP, 0 other), 1 findings' in out, 'summary: %r' % out)

    rc, out, err = run('analyze', '--json', '--packets', good)
    recs = [json.loads(l) for l in out.splitlines()]
    types = [r['type'] for r in recs]
    check(types == ['packet'] * 4 + ['finding', 'summary'] or
          types == ['packet'] * 3 + ['packet', 'finding', 'summary'], 'record order %r' % types)
    check(recs[0]['flags'] == 'S' and recs[0]['options'][0] == {'kind': 'mss', 'value': 1460},
          'SYN record %r' % recs[0])
    check(recs[1]['ack'] == 1 and recs[1]['ack_abs'] == 1001, 'relative ack in JSON')
    f = [r for r in recs if r['type'] == 'finding'][0]
    check(f['id'] == 'TCP-CHECKSUM-BAD' and f['packet'] == 4 and f['level'] == 'MUST'
          and f['rfc'].startswith('RFC') and f['reason'], 'finding record %r' % f)
    check(recs[-1]['type'] == 'summary' and recs[-1]['findings'] == 1 and recs[-1]['complete'],
          'summary record %r' % recs[-1])

    # truncated mid-record: the packets before are still reported
    trunc = os.path.join(d, 'trunc.pcap')
    raw = pcap(pkts[:2], trailer=struct.pack('<IIII', 2000, 0, 80, 80) + b'\0' * 7)
    open(trunc, 'wb').write(raw)
    offset = len(pcap(pkts[:2]))
    rc, out, err = run('analyze', '--packets', trunc)
    check(rc == 2, 'truncated file exits 2, got %d' % rc)
    check(out.count('csum ok') == 2, 'both packets before the damage are printed')
    check(len(err.strip().splitlines()) == 1, 'one-line error, got %r' % err)
    check(trunc in err and ('byte %d' % offset) in err, 'error names file and byte %d: %r' % (offset, err))
    check('incomplete' in out, 'summary says the file is incomplete')

    rc, out, err = run('analyze', '--json', trunc)
    recs = [json.loads(l) for l in out.splitlines()]
    check(recs[-1]['type'] == 'error' and ('byte %d' % offset) in recs[-1]['message'],
          'JSON error record %r' % recs[-1:])

    # not a capture at all
    text = os.path.join(d, 'notes.txt')
    open(text, 'w').write('these are notes\n')
    rc, out, err = run('analyze', text)
    check(rc == 2 and 'not a pcap or pcapng file' in err and text in err, 'text file: %r' % err)

    # several files: a bad one does not stop the good one
    rc, out, err = run('analyze', text, good)
    check(rc == 2 and 'good.pcap: 4 packets' in out, 'good file still analyzed after a bad one')

    rc, out, err = run('analyze', '--bogus', good)
    check(rc == 2 and "'--bogus'" in err and len(err.splitlines()) == 1, 'unknown option: %r' % err)
    rc, out, err = run('analyze')
    check(rc == 2 and 'no capture file' in err, 'no file: %r' % err)
    rc, out, err = run('frobnicate')
    check(rc == 2 and "unknown command 'frobnicate'" in err, 'unknown command: %r' % err)
    rc, out, err = run('--version')
    check(rc == 0 and out.startswith('tcpspec '), 'version: %r' % out)
    rc, out, err = run('findings')
    check(rc == 0 and 'TCP-CHECKSUM-BAD' in out and 'RFC' in out, 'findings catalogue')

print('%d checks, %d failed' % (checks, len(failures)))
sys.exit(1 if failures else 0)
