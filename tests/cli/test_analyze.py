#!/usr/bin/env python3
"""tcpspec analyze end to end: connection blocks (Zeek conn_state and
history), analysis labels, findings by level, --fail-on, JSON Lines checked
against tests/data/analyze-records.schema.json (itself checked against
docs/json-lines.md), --follow, --extract, filters, progress on a terminal,
and damaged input (not a capture, truncated mid-record, bad options).

Captures are written here with the standard library, with checksums
computed independently of tcpspec's own csum code."""
import json
import os
import pty
import re
import select
import struct
import subprocess
import sys
import tempfile

TCPSPEC = sys.argv[1]
HERE = os.path.dirname(os.path.abspath(__file__))
DOCS = os.path.join(HERE, '..', '..', 'docs', 'json-lines.md')
SCHEMA = os.path.join(HERE, '..', 'data', 'analyze-records.schema.json')
failures = []
checks = 0


def check(cond, what):
    global checks
    checks += 1
    if not cond:
        failures.append(what)
        print('FAIL:', what)


# ---- packets and captures ----

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
    """records: frames (one second apart) or (seconds, frame) pairs."""
    out = struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1)
    for i, r in enumerate(records):
        t, frame = r if isinstance(r, tuple) else (1000 + i, r)
        sec, usec = int(t), int(round((t - int(t)) * 1e6))
        out += struct.pack('<IIII', sec, usec, len(frame), len(frame)) + frame
    return out + trailer


def run(*args, stdin=None):
    p = subprocess.run([TCPSPEC, *args], capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def run_bytes(*args):
    p = subprocess.run([TCPSPEC, *args], capture_output=True)
    return p.returncode, p.stdout, p.stderr


C = [192, 0, 2, 2]
S = [192, 0, 2, 1]
CP, SP = 40000, 8080
A, R, SA, PA, FA = 0x10, 0x04, 0x12, 0x18, 0x11
mss_ws = bytes([2, 4, 5, 0xb4, 1, 3, 3, 7])
mss = bytes([2, 4, 5, 0xb4])


def c2s(seq, ack, flags, **kw):
    return tcp_v4(C, S, CP, SP, seq, ack, flags, **kw)


def s2c(seq, ack, flags, **kw):
    return tcp_v4(S, C, SP, CP, seq, ack, flags, **kw)


T = 1000.0
REQ = b'GET /\x00\xff\r\n'        # binary on purpose: --extract must keep every byte
RSP = b'world\n'

# A normal connection: handshake, request, response, FIN both ways.
normal = [
    (T + 0.000, c2s(1000, 0, 0x02, opts=mss_ws)),
    (T + 0.010, s2c(5000, 1001, SA, opts=mss)),
    (T + 0.020, c2s(1001, 5001, A)),
    (T + 0.030, c2s(1001, 5001, PA, data=REQ)),
    (T + 0.040, s2c(5001, 1001 + len(REQ), A)),
    (T + 0.050, s2c(5001, 1001 + len(REQ), PA, data=RSP)),
    (T + 0.060, c2s(1001 + len(REQ), 5001 + len(RSP), A)),
    (T + 0.070, c2s(1001 + len(REQ), 5001 + len(RSP), FA)),
    (T + 0.080, s2c(5001 + len(RSP), 1002 + len(REQ), A)),
    (T + 0.090, s2c(5001 + len(RSP), 1002 + len(REQ), FA)),
    (T + 0.100, c2s(1002 + len(REQ), 5002 + len(RSP), A)),
]

# The old four-packet file: the handshake and a segment with a bad checksum.
badsum = [
    c2s(1000, 0, 0x02, opts=mss_ws),
    s2c(5000, 1001, SA, opts=mss),
    c2s(1001, 5001, A),
    c2s(1001, 5001, PA, data=b'hello', bad=True),
]

# A lost segment and its retransmission: [101,201) is not captured at
# first; the server ACKs 101 three times; the client resends it 250 ms
# later (well past the 10 ms iRTT: a retransmission, not out-of-order).
D1, D2, D3 = b'a' * 100, b'b' * 100, b'c' * 100
lossy = [
    (T + 0.000, c2s(1000, 0, 0x02, opts=mss)),
    (T + 0.010, s2c(5000, 1001, SA, opts=mss)),
    (T + 0.020, c2s(1001, 5001, A)),
    (T + 0.030, c2s(1001, 5001, PA, data=D1)),
    (T + 0.031, c2s(1201, 5001, PA, data=D3)),          # 5: previous segment not captured
    (T + 0.041, s2c(5001, 1101, A)),                     # 6: ACK 101
    (T + 0.042, s2c(5001, 1101, A)),                     # 7: dup ack #1 of 6
    (T + 0.043, s2c(5001, 1101, A)),                     # 8: dup ack #2 of 6
    (T + 0.300, c2s(1101, 5001, PA, data=D2)),           # 9: retransmission
    (T + 0.310, s2c(5001, 1301, A)),
    (T + 0.320, c2s(1301, 5001, FA)),
    (T + 0.330, s2c(5001, 1302, FA)),
    (T + 0.340, c2s(1302, 5002, A)),
]

# Loss before the capture point: [101,201) never appears, yet the server
# ACKs past it: the stream has a gap that --extract must note.
gappy = [
    (T + 0.000, c2s(1000, 0, 0x02, opts=mss)),
    (T + 0.010, s2c(5000, 1001, SA, opts=mss)),
    (T + 0.020, c2s(1001, 5001, A)),
    (T + 0.030, c2s(1001, 5001, PA, data=D1)),
    (T + 0.031, c2s(1201, 5001, PA, data=D3)),
    (T + 0.041, s2c(5001, 1301, A)),
    (T + 0.050, c2s(1301, 5001, FA)),
    (T + 0.060, s2c(5001, 1302, FA)),
    (T + 0.070, c2s(1302, 5002, A)),
]

# A closed connection's late segments: the server sends its FIN again
# (the client's last ACK was lost) and the client, which closed first and
# must be in TIME-WAIT, answers with a closed port's RST (a MUST finding
# raised after the connection was reported); 10 s later, past the linger,
# another connection on another port.
LATE_C = 1002 + len(REQ)
late = normal + [
    (T + 0.900, s2c(5001 + len(RSP), LATE_C, FA)),
    (T + 0.901, c2s(LATE_C, 0, R)),
    (T + 10.000, tcp_v4(C, S, CP + 1, SP, 7000, 0, 0x02, opts=mss)),
    (T + 10.010, tcp_v4(S, C, SP, CP + 1, 9000, 7001, SA, opts=mss)),
    (T + 10.020, tcp_v4(C, S, CP + 1, SP, 7001, 9001, A)),
]


# Simultaneous open and close (RFC 9293 3.5 figure 8, 3.6 figure 13), as
# Linux does them, with timestamps: the SYNs cross, each side answers the
# other's SYN with a SYN-ACK and the SYN-ACK with an ACK; the FINs cross.
def ts(val, ecr):
    return bytes([1, 1, 8, 10]) + struct.pack('!II', val, ecr)


syn_ts = lambda val: mss + ts(val, 0) + bytes([1, 3, 3, 7])
simul = [
    (T + 0.000, c2s(1000, 0, 0x02, opts=syn_ts(100))),
    (T + 0.001, s2c(5000, 0, 0x02, opts=syn_ts(7000))),
    (T + 0.002, c2s(1000, 5001, SA, opts=syn_ts(101)[:4] + ts(101, 7000) + bytes([1, 3, 3, 7]))),
    (T + 0.003, s2c(5000, 1001, SA, opts=syn_ts(7001)[:4] + ts(7001, 100) + bytes([1, 3, 3, 7]))),
    (T + 0.004, c2s(1001, 5001, A, opts=ts(102, 7001))),
    (T + 0.005, s2c(5001, 1001, A, opts=ts(7002, 101))),
    (T + 0.010, c2s(1001, 5001, PA, opts=ts(103, 7002), data=b'hello')),
    (T + 0.011, s2c(5001, 1006, A, opts=ts(7003, 103))),
    (T + 0.020, c2s(1006, 5001, FA, opts=ts(104, 7003))),
    (T + 0.020, s2c(5001, 1006, FA, opts=ts(7004, 103))),
    (T + 0.021, c2s(1007, 5002, A, opts=ts(105, 7004))),
    (T + 0.021, s2c(5002, 1007, A, opts=ts(7005, 104))),
]


# ---- a tiny JSON Schema validator (the subset the schema file uses) ----

def jtype(v):
    if v is None:
        return 'null'
    if isinstance(v, bool):
        return 'boolean'
    if isinstance(v, int):
        return 'integer'
    if isinstance(v, float):
        return 'number'
    if isinstance(v, str):
        return 'string'
    if isinstance(v, list):
        return 'array'
    return 'object'


def validate(v, sch, root, path='$'):
    errs = []
    if '$ref' in sch:
        name = sch['$ref'].split('/')[-1]
        return validate(v, root['$defs'][name], root, path)
    if 'oneOf' in sch:
        ok = [s for s in sch['oneOf'] if not validate(v, s, root, path)]
        return [] if len(ok) == 1 else ['%s: matches %d of oneOf' % (path, len(ok))]
    if 'const' in sch and v != sch['const']:
        errs.append('%s: %r != %r' % (path, v, sch['const']))
    if 'enum' in sch and v not in sch['enum']:
        errs.append('%s: %r not in %r' % (path, v, sch['enum']))
    if 'type' in sch:
        want = sch['type'] if isinstance(sch['type'], list) else [sch['type']]
        t = jtype(v)
        if t not in want and not (t == 'integer' and 'number' in want):
            return errs + ['%s: %s is %s, expected %s' % (path, json.dumps(v)[:40], t, want)]
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        if 'minimum' in sch and v < sch['minimum']:
            errs.append('%s: %r < %r' % (path, v, sch['minimum']))
        if 'maximum' in sch and v > sch['maximum']:
            errs.append('%s: %r > %r' % (path, v, sch['maximum']))
    if isinstance(v, dict):
        for k in sch.get('required', []):
            if k not in v:
                errs.append('%s: missing %s' % (path, k))
        props = sch.get('properties', {})
        for k, x in v.items():
            if k in props:
                errs += validate(x, props[k], root, path + '.' + k)
            elif 'additionalProperties' in sch:
                errs += validate(x, sch['additionalProperties'], root, path + '.' + k)
            elif 'properties' in sch:
                errs.append('%s: field %s is not in the schema (document it)' % (path, k))
    if isinstance(v, list) and 'items' in sch:
        for i, x in enumerate(v):
            errs += validate(x, sch['items'], root, '%s[%d]' % (path, i))
    return errs


SCH = json.load(open(SCHEMA))


def records(out):
    recs = []
    for line in out.splitlines():
        r = json.loads(line)
        errs = validate(r, SCH['$defs'].get(r.get('type'), {'const': 'unknown type'}), SCH)
        check(not errs, 'record %s valid: %s' % (r.get('type'), errs[:3]))
        recs.append(r)
    return recs


def doc_fields():
    """{section: set(field)} from the tables of docs/json-lines.md."""
    out, sec = {}, None
    for line in open(DOCS):
        m = re.match(r'## `(\w+)`', line)
        if m:
            sec = m.group(1)
        elif line.startswith('## '):
            sec = None
        elif line.startswith('Per-direction statistics'):
            sec = 'dirstats'
        elif sec and line.startswith('| `'):
            cell = line.split('|')[1]
            out.setdefault(sec, set()).update(re.findall(r'`(\w+)`', cell))
    return out


docs = doc_fields()
check(set(docs) >= {'packet', 'finding', 'connection', 'summary', 'error', 'endpoints',
                    'dirstats'}, 'docs sections found: %s' % sorted(docs))
for sec, fields in docs.items():
    props = set(SCH['$defs'][sec]['properties'])
    check(fields <= props, 'docs %s fields missing from the schema: %s' % (sec, fields - props))
    check(props - {'type'} <= fields, 'schema %s fields not documented: %s'
          % (sec, props - {'type'} - fields))


with tempfile.TemporaryDirectory() as d:
    def write(name, recs, trailer=b''):
        path = os.path.join(d, name)
        open(path, 'wb').write(pcap(recs, trailer))
        return path

    good = write('normal.pcap', normal)
    bad = write('badsum.pcap', badsum)
    loss = write('lossy.pcap', lossy)
    gap = write('gappy.pcap', gappy)

    # ---- a normal connection: one block, SF, Zeek history ----
    rc, out, err = run('analyze', good)
    check(rc == 0 and not err, 'normal file exits 0 quietly, got %d (%s)' % (rc, err))
    blocks = [l for l in out.splitlines() if l.startswith('conn ')]
    check(len(blocks) == 1, 'one connection block: %r' % blocks)
    check(blocks and blocks[0] == 'conn 1: A 192.0.2.2:40000 -> B 192.0.2.1:8080  SF  ShADadFf',
          'block heading with conn_state and history: %r' % blocks[:1])
    check('handshake rtt 20.000 ms' in out, 'handshake RTT SYN -> ACK of SYN-ACK: %r' % out)
    check(re.search(r'states at end A TIME-WAIT, B CLOSED', out), 'final states: %r' % out)
    check(re.search(r'packets 1-11, end: closed\n', out),
          'reported as closed at its last ACK: %r' % out)
    check(re.search(r'packets\s+6 \(1 data, \d+ pure ack\)\s+5 \(1 data', out),
          'packets per direction: %r' % out)
    check(re.search(r'bytes\s+%d \(%d unique\)\s+%d \(%d unique\)'
                    % (len(REQ), len(REQ), len(RSP), len(RSP)), out), 'bytes per direction')
    check('findings: none' in out, 'no findings on a clean connection')
    check('normal.pcap: 11 packets (11 TCP, 0 other), 1 connections, 0 findings' in out,
          'file totals: %r' % out.splitlines()[-1:])

    # --packets: relative numbers from the tracker, conn id, no labels here
    rc, out, err = run('analyze', '--packets', good)
    lines = out.splitlines()
    check(lines[0].startswith('1 0.000000 192.0.2.2.40000 > 192.0.2.1.8080 [S] seq 0 win 65535 '
                              'len 0 <mss 1460,nop,wscale 7> csum ok conn 1'),
          'SYN line: %r' % lines[0])
    check('[SA] seq 0 ack 1 ' in lines[1], 'SYN-ACK relative numbers: %r' % lines[1])
    check(not any('[' in l.split('csum')[-1] for l in lines[:11]), 'no labels on a clean run')

    # ---- a bad checksum: a MUST finding, --fail-on ----
    rc, out, err = run('analyze', bad)
    check(rc == 0, '--fail-on defaults to none: %d' % rc)
    check(re.search(r'    MUST TCP-CHECKSUM-BAD \(RFC9293 3\.1\) conn 1 A->B packet 4: checksum 0x',
                    out), 'MUST finding with conn, dir, packet, reason: %r' % out)
    check(re.search(r'findings: MUST 1, SHOULD \d+, MAY \d+, ANALYSIS \d+', out),
          'per-level counts in the block')
    check(re.search(r'badsum.pcap: 4 packets \(4 TCP, 0 other\), 1 connections, \d+ findings '
                    r'\(MUST 1,', out), 'file totals count the MUST: %r' % out)
    rc, _, _ = run('analyze', '--fail-on', 'must', bad)
    check(rc == 1, '--fail-on must with a MUST finding exits 1, got %d' % rc)
    rc, _, _ = run('analyze', '--fail-on', 'none', bad)
    check(rc == 0, '--fail-on none exits 0, got %d' % rc)
    rc, _, _ = run('analyze', '--fail-on', 'MUST', good)
    check(rc == 0, '--fail-on must without findings exits 0, got %d' % rc)
    rc, _, _ = run('analyze', '--fail-on', 'analysis', bad)
    check(rc == 1, '--fail-on analysis includes stricter levels, got %d' % rc)

    # ---- loss and retransmission: labels, counts, summaries ----
    rc, out, err = run('analyze', '--packets', loss)
    lines = out.splitlines()
    check(rc == 0, 'lossy file exits 0 (%s)' % err)
    check(lines[4].startswith('5 ') and lines[4].endswith('[previous segment not captured]'),
          'lost segment label: %r' % lines[4])
    check(lines[6].startswith('7 ') and '[dup ack #1 of 6]' in lines[6], 'dup ack #1: %r' % lines[6])
    check(lines[7].startswith('8 ') and '[dup ack #2 of 6]' in lines[7], 'dup ack #2: %r' % lines[7])
    check(lines[8].startswith('9 ') and 'seq 101 ' in lines[8] and '[retransmission]' in lines[8],
          'retransmission label and relative seq: %r' % lines[8])
    rc, out, err = run('analyze', loss)
    check(re.search(r'retransmitted\s+1 pkts, 100 bytes\s+0 pkts, 0 bytes', out),
          'retransmission counted per direction: %r' % out)
    check(re.search(r'out of order / dup acks\s+0 / 0\s+0 / 2', out), 'dup acks counted: %r' % out)
    check(re.search(r'    ANALYSIS TCP-RETRANSMISSION \(RFC9293 3\.8\.1\) conn 1: 1 \(A->B 1, '
                    r'B->A 0\), first at packet 9', out), 'ANALYSIS summarised by id: %r' % out)
    check(re.search(r'ANALYSIS TCP-DUP-ACK .*: 2 \(A->B 0, B->A 2\)', out), 'dup acks by id')
    check(not re.search(r'ANALYSIS TCP-RETRANSMISSION .* packet 9:', out),
          'ANALYSIS not listed one by one without --all')
    rc, out2, err = run('analyze', '--all', loss)
    check(re.search(r'    ANALYSIS TCP-RETRANSMISSION \(RFC9293 3\.8\.1\) conn 1 A->B packet 9',
                    out2), '--all lists each ANALYSIS finding: %r' % out2)
    rc, _, _ = run('analyze', '--fail-on', 'may', loss)
    check(rc == 0, 'ANALYSIS findings do not fail --fail-on may, got %d' % rc)
    rc, _, _ = run('analyze', '--fail-on', 'analysis', loss)
    check(rc == 1, '--fail-on analysis fails on a retransmission, got %d' % rc)

    # ---- JSON Lines, validated against the schema ----
    rc, out, err = run('analyze', '--json', '--packets', bad)
    recs = records(out)
    types = [r['type'] for r in recs]
    check(types[:4] == ['packet'] * 4 and types[-2:] == ['summary', 'summary'],
          'record order %r' % types)
    check(types.index('finding') > 3 and 'connection' in types, 'finding after its packet')
    check(recs[0]['flags'] == 'S' and recs[0]['options'][0] == {'kind': 'mss', 'value': 1460}
          and recs[0]['conn'] == 1 and recs[0]['dir'] == 0, 'SYN record %r' % recs[0])
    check(recs[1]['ack'] == 1 and recs[1]['ack_abs'] == 1001 and recs[1]['dir'] == 1,
          'relative ack in JSON %r' % recs[1])
    f = [r for r in recs if r['type'] == 'finding' and r['id'] == 'TCP-CHECKSUM-BAD']
    check(len(f) == 1 and f[0]['packet'] == 4 and f[0]['level'] == 'MUST' and f[0]['conn'] == 1
          and f[0]['dir'] == 0 and f[0]['endpoints']['sport'] == CP and f[0]['section'] == '3.1',
          'finding record %r' % f)
    conn = [r for r in recs if r['type'] == 'connection']
    check(len(conn) == 1 and conn[0]['findings']['MUST'] == 1 and
          conn[0]['finding_ids'].get('TCP-CHECKSUM-BAD') == 1, 'connection record %r' % conn)
    check(recs[-2]['scope'] == 'file' and recs[-2]['complete'] and
          recs[-2]['by_level']['MUST'] == 1 and recs[-1]['scope'] == 'total' and
          recs[-1]['inputs'] == 1 and recs[-1]['schema'] == 2, 'summaries %r' % recs[-2:])

    rc, out, err = run('analyze', '--json', good)
    recs = records(out)
    conn = [r for r in recs if r['type'] == 'connection'][0]
    check(conn['conn_state'] == 'SF' and conn['history'] == 'ShADadFf' and
          conn['endpoints'] == {'ip': 4, 'src': '192.0.2.2', 'sport': CP, 'dst': '192.0.2.1',
                                'dport': SP}, 'JSON connection %r' % conn)
    check(abs(conn['handshake_rtt'] - 0.020) < 1e-6 and abs(conn['duration'] - 0.1) < 1e-6,
          'JSON times in seconds')
    check(conn['orig']['unique_bytes'] == len(REQ) and conn['resp']['unique_bytes'] == len(RSP)
          and conn['orig']['mss'] == 1460 and conn['states'] == {'orig': 'TIME-WAIT',
                                                                'resp': 'CLOSED'},
          'JSON per-direction stats %r' % conn['orig'])

    rc, out, err = run('analyze', '--json', '--packets', loss)
    recs = records(out)
    pk = [r for r in recs if r['type'] == 'packet']
    check(pk[4]['labels'] == ['previous_segment_not_captured'], 'JSON labels %r' % pk[4])
    check('dup_ack' in pk[7]['labels'] and pk[7]['dup_ack_num'] == 2 and pk[7]['dup_ack_of'] == 6,
          'JSON dup ack %r' % pk[7])
    check(not [r for r in recs if r['type'] == 'finding'],
          'ANALYSIS findings are counted, not written, without --all')
    rc, out, err = run('analyze', '--json', '--all', loss)
    recs = records(out)
    check([r for r in recs if r['type'] == 'finding' and r['id'] == 'TCP-RETRANSMISSION'
           and r['packet'] == 9], '--all writes ANALYSIS finding records')

    # ---- --follow: both directions, by id and by endpoints ----
    rc, raw, err = run_bytes('analyze', '--follow', '1', good)
    check(b'A->B (offset 0):\nGET /..\r\n' in raw, 'non-printable bytes as dots: %r' % raw)
    rc, out, err = run('analyze', '--follow', '1', good)
    check(rc == 0 and out.startswith('==== conn 1: A 192.0.2.2:40000, B 192.0.2.1:8080 ===='),
          '--follow heading: %r %r' % (out[:80], err))
    check('A->B (offset 0):\nGET /..\n' in out and 'B->A (offset 0):\nworld\n' in out,
          '--follow prints both directions: %r' % out)
    check(out.rstrip().endswith('==== end of conn 1: A->B %d bytes, B->A %d bytes, 0 gaps '
                                '(0 bytes missing) ====' % (len(REQ), len(RSP))),
          '--follow totals: %r' % out[-120:])
    rc, out2, err = run('analyze', '--follow', '192.0.2.1:8080-192.0.2.2:40000', good)
    check(rc == 0 and out2 == out, '--follow by endpoints, either order')
    rc, out, err = run('analyze', '--follow', '7', good)
    check(rc == 2 and len(err.splitlines()) == 1 and "--follow 7" in err, 'no such flow: %r' % err)
    rc, out, err = run('analyze', '--follow', 'nonsense', good)
    check(rc == 2 and "--follow 'nonsense'" in err, 'bad FLOW: %r' % err)

    # ---- --extract: exact bytes, gaps in a sidecar ----
    ex = os.path.join(d, 'ex')
    rc, out, err = run('analyze', '--extract', ex, good)
    check(rc == 0 and sorted(os.listdir(ex)) == ['1-orig.bin', '1-resp.bin'],
          '--extract files: %r %r' % (os.listdir(ex) if os.path.isdir(ex) else None, err))
    check(open(os.path.join(ex, '1-orig.bin'), 'rb').read() == REQ, 'orig bytes exact')
    check(open(os.path.join(ex, '1-resp.bin'), 'rb').read() == RSP, 'resp bytes exact')
    check('conn 1:' in out, '--extract keeps the normal output')
    ex2 = os.path.join(d, 'ex2')
    rc, out, err = run('analyze', '--extract', ex2, loss)
    check(open(os.path.join(ex2, '1-orig.bin'), 'rb').read() == D1 + D2 + D3,
          'retransmission fills the hole in the extracted stream')
    check(not os.path.exists(os.path.join(ex2, '1-orig.gaps')), 'no gaps file without a gap')
    ex3 = os.path.join(d, 'ex3')
    rc, out, err = run('analyze', '--extract', ex3, gap)
    check(open(os.path.join(ex3, '1-orig.bin'), 'rb').read() == D1 + D3,
          'a gap is skipped in the .bin')
    gl = [l for l in open(os.path.join(ex3, '1-orig.gaps')).read().splitlines()
          if not l.startswith('#')] if os.path.exists(os.path.join(ex3, '1-orig.gaps')) else []
    check(gl == ['100 100'], 'the gap is listed at its offset: %r' % gl)
    check(open(os.path.join(ex3, '1-resp.bin'), 'rb').read() == b'', 'empty direction, empty file')
    rc, out, err = run('analyze', '--extract', good, good)
    check(rc == 2 and 'not a directory' in err, '--extract onto a file: %r' % err)

    # ---- simultaneous open and close: one connection, no conformance finding ----
    sim = write('simul.pcap', simul)
    rc, out, err = run('analyze', '--json', '--packets', sim)
    recs = records(out)
    conns = [r for r in recs if r['type'] == 'connection']
    check(rc == 0 and len(conns) == 1 and conns[0]['end'] == 'closed' and
          conns[0]['states'] == {'orig': 'TIME-WAIT', 'resp': 'TIME-WAIT'} and
          conns[0]['handshake_seen'], 'simultaneous open and close, one connection: %r' % conns)
    pk = [r for r in recs if r['type'] == 'packet']
    check([p['states'] for p in pk[1:4]] ==
          [{'orig': 'SYN-RECEIVED', 'resp': 'SYN-RECEIVED'},
           {'orig': 'SYN-RECEIVED', 'resp': 'ESTABLISHED'},
           {'orig': 'ESTABLISHED', 'resp': 'ESTABLISHED'}] and
          pk[9]['states'] == {'orig': 'CLOSING', 'resp': 'CLOSING'},
          'the states of figures 8 and 13: %r' % [p['states'] for p in pk])
    check(recs[-1]['by_level']['MUST'] + recs[-1]['by_level']['SHOULD'] +
          recs[-1]['by_level']['MAY'] == 0, 'no conformance finding: %r' % recs[-1])
    # the last ACK echoes a TSval the client never sent, far newer than any
    # (RFC 7323 3.2 MUST); echoing one it sent (104) is clean
    for echo in (104, 0x30000000):
        bad_echo = write('echo.pcap', simul[:-1] + [(T + 0.021, s2c(5002, 1007, A,
                                                                    opts=ts(7005, echo)))])
        rc, out, err = run('analyze', '--json', bad_echo)
        f = [r for r in records(out) if r['type'] == 'finding']
        if echo == 104:
            check(rc == 0 and not f, 'an echo of a TSval sent is clean: %r' % f)
            continue
        check(len(f) == 1 and f[0]['id'] == 'TSECR-NOT-ECHOED' and f[0]['level'] == 'MUST' and
              f[0]['rfc'] == 'RFC7323' and f[0]['section'] == '3.2' and f[0]['packet'] == 12
              and f[0]['dir'] == 1 and f[0]['ref_packet'] == 11 and
              'TSecr 805306368' in f[0]['reason'], 'TSecr echoing no TSval sent: %r' % f)

    # ---- late segments of a closed connection, --linger ----
    lt = write('late.pcap', late)
    rc, out, err = run('analyze', lt)
    check(rc == 0 and not err, 'late file exits 0 quietly: %d %r' % (rc, err))
    blocks = [l for l in out.splitlines() if l.startswith('conn ')]
    check(len(blocks) == 2, 'two connections, the late segments on the first: %r' % blocks)
    i_late = out.find('findings on conn 1 after it was reported: MUST 1')
    i_conn2 = out.find('conn 2:')
    check(0 <= i_late < i_conn2, 'late findings printed when conn 1 is let go, before conn 2: %r'
          % out)
    check(re.search(r'    MUST TIME-WAIT-NOT-KEPT \(RFC9293 3\.6\.1\) conn 1 A->B packet 13 '
                    r'\(ref 12\): ', out), 'the late MUST finding in full: %r' % out)
    check('late.pcap: 16 packets (16 TCP, 0 other), 2 connections, 2 findings (MUST 1,' in out,
          'the file totals count it: %r' % out.splitlines()[-1:])
    rc, out, err = run('analyze', '--json', '--packets', lt)
    recs = records(out)
    pk = [r for r in recs if r['type'] == 'packet']
    check([r['num'] for r in pk if r.get('late')] == [12, 13] and
          all(r['conn'] == 1 for r in pk[11:13]), 'late packets marked, on conn 1: %r'
          % [(r['num'], r.get('late'), r['conn']) for r in pk])
    check(not any('late' in r for r in pk[:11] + pk[13:]), 'no late field on the others')
    kinds = [(r['type'], r.get('conn'), r.get('id')) for r in recs if r['type'] != 'packet']
    check(kinds.index(('connection', 1, None)) <
          kinds.index(('finding', 1, 'TIME-WAIT-NOT-KEPT')) < kinds.index(('connection', 2, None)),
          'the late finding after its connection record: %r' % kinds)
    rc, out, err = run('analyze', '--json', '--packets', '--linger', '0', lt)
    recs = records(out)
    check(rc == 0 and not [r for r in recs if r.get('late')] and
          len([r for r in recs if r['type'] == 'connection']) == 3,
          '--linger 0: the late FIN starts a connection of its own: %r'
          % [(r['type'], r.get('conn')) for r in recs if r['type'] != 'packet'])
    rc, out, err = run('analyze', '--linger', '500ms', lt)
    check(rc == 0 and len([l for l in out.splitlines() if l.startswith('conn ')]) == 3 and
          'after it was reported' not in out,
          '--linger 500ms: the FIN 800 ms after the close is no late segment: %r' % out)
    rc, out, err = run('analyze', '--linger', '1s', lt)
    check(rc == 0 and 'findings on conn 1 after it was reported: MUST 1' in out,
          '--linger 1s: it is: %r' % out)

    # ---- filters and --count keep the file's packet numbers ----
    rc, out, err = run('analyze', '--packets', '-f', 'tcp[13] & 2 != 0', good)
    nums = [l.split()[0] for l in out.splitlines() if re.match(r'\d+ ', l)]
    check(rc == 0 and nums == ['1', '2'], 'filtered packets keep their numbers: %r' % nums)
    rc, out, err = run('analyze', '-f', 'tcp port', good)
    check(rc == 2 and len(err.splitlines()) == 1 and "filter 'tcp port'" in err,
          'bad filter: %r' % err)
    rc, out, err = run('analyze', '--count', '3', good)
    check(rc == 0 and 'normal.pcap: 3 packets' in out and ' S1  ShA' in out,
          '--count stops early: %r' % out)

    # ---- several files ----
    rc, out, err = run('analyze', good, loss)
    check(rc == 0 and re.search(r'^total: 2 inputs, 24 packets \(24 TCP, 0 other\), '
                                r'2 connections', out, re.M), 'total line: %r' % out[-200:])

    # ---- progress on a terminal only ----
    big = os.path.join(d, 'big.pcap')
    frame = bytes.fromhex('020000000001020000000002') + b'\x88\xb5' + b'\0' * 1486
    with open(big, 'wb') as fh:
        fh.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        rec = struct.pack('<IIII', 1000, 0, len(frame), len(frame)) + frame
        fh.write(rec * (51 * 1000 * 1000 // len(rec) + 1))
    rc, out, err = run('analyze', big)
    check(rc == 0 and '%' not in err and not err, 'no progress when stderr is not a tty: %r' % err)
    master, slave = pty.openpty()
    p = subprocess.Popen([TCPSPEC, 'analyze', big], stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    tty = b''
    while True:
        r, _, _ = select.select([master], [], [], 60)
        if not r:
            break
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        tty += chunk
    p.wait()
    os.close(master)
    check(b'big.pcap   0%' in tty and tty.endswith(b'\r\x1b[K'),
          'progress on a tty, cleared at the end: %r' % tty[-80:])

    # ---- damaged input: one-line errors, what came before still reported ----
    trunc = os.path.join(d, 'trunc.pcap')
    raw = pcap(normal[:2], trailer=struct.pack('<IIII', 2000, 0, 80, 80) + b'\0' * 7)
    open(trunc, 'wb').write(raw)
    offset = len(pcap(normal[:2]))
    rc, out, err = run('analyze', '--packets', trunc)
    check(rc == 2, 'truncated file exits 2, got %d' % rc)
    check(out.count('csum ok') == 2, 'both packets before the damage are printed')
    check('conn 1:' in out, 'the connection before the damage is reported')
    check(len(err.strip().splitlines()) == 1, 'one-line error, got %r' % err)
    check(trunc in err and ('byte %d' % offset) in err, 'error names file and byte %d: %r'
          % (offset, err))
    check('incomplete' in out, 'summary says the file is incomplete')
    rc, _, _ = run('analyze', '--fail-on', 'none', trunc)
    check(rc == 2, 'input errors exit 2 whatever --fail-on says')

    rc, out, err = run('analyze', '--json', trunc)
    recs = records(out)
    check(recs[-1]['type'] == 'summary' and not recs[-1]['complete'] and
          recs[-2]['type'] == 'error' and ('byte %d' % offset) in recs[-2]['message'] and
          recs[-3]['type'] == 'summary' and not recs[-3]['complete'],
          'JSON: file summary, error, total %r' % [r['type'] for r in recs])

    text = os.path.join(d, 'notes.txt')
    open(text, 'w').write('these are notes\n')
    rc, out, err = run('analyze', text)
    check(rc == 2 and 'not a pcap or pcapng file' in err and text in err
          and len(err.splitlines()) == 1, 'text file: %r' % err)
    rc, out, err = run('analyze', text, good)
    check(rc == 2 and 'normal.pcap: 11 packets' in out and 'total: 2 inputs' in out
          and 'incomplete' in out.splitlines()[-1], 'good file still analyzed after a bad one')

    # ---- options ----
    for args, words in [
            (['--bogus', good], "'--bogus'"),
            (['--fail-on', 'often', good], "--fail-on 'often': expected must, should"),
            (['--profile', 'bsd', good], "--profile 'bsd': expected rfc, rfc793 or linux"),
            (['--policy', 'random', good], "--policy 'random'"),
            (['--max-flows', '0', good], "--max-flows '0'"),
            (['--idle-timeout', '5 min', good], "--idle-timeout '5 min'"),
            (['--linger', '-1s', good], "--linger '-1s': expected a duration"),
            (['--count', '-1', good], "--count '-1'"),
            (['--duration', '5s', good], '--duration applies to live capture'),
            (['--follow', '1', '--json', good], '--follow prints only the stream'),
            (['-i', 'lo', good], 'expected one or the other'),
            ([good, '--follow'], "option '--follow' needs a value"),
            ([], 'no capture file')]:
        rc, out, err = run('analyze', *args)
        check(rc == 2 and words in err and len(err.splitlines()) == 1,
              'option error %r: %r' % (args, err))
    for args in (['--profile', 'linux'], ['--profile', 'rfc793', '--policy', 'bsd'],
                 ['--max-flows', '10', '--idle-timeout', '30s'], ['--linger', '500ms']):
        rc, out, err = run('analyze', *args, good)
        check(rc == 0 and 'conn 1:' in out, 'options accepted %r: %r' % (args, err))
    rc, out, err = run('analyze', '--help')
    check(rc == 0 and '--fail-on' in out and '-i, --interface' in out and '--linger D' in out,
          'help')

    rc, out, err = run('frobnicate')
    check(rc == 2 and "unknown command 'frobnicate'" in err, 'unknown command: %r' % err)
    rc, out, err = run('--version')
    check(rc == 0 and out.startswith('tcpspec '), 'version: %r' % out)
    rc, out, err = run('findings')
    check(rc == 0 and 'TCP-CHECKSUM-BAD' in out and 'RFC' in out, 'findings catalogue')

print('%d checks, %d failed' % (checks, len(failures)))
sys.exit(1 if failures else 0)
