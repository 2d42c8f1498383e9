#!/usr/bin/env python3
"""Differential test: tcpspec's Wireshark-style analysis labels against
tshark's, packet by packet.

1. Crafted captures (no root): one small scenario per rule, built with
   pcapgen.py; every label on every packet must equal tshark's.
2. Real Linux TCP (root): a server (192.0.2.1/24) and a client
   (192.0.2.2/24) namespace, joined by veth pairs through a third
   namespace that bridges them and drops 5% of the TCP packets at random
   with iptables (the client's losses happen before the capture point, so
   the capture has real gaps),
   many short connections, a few bulk transfers, a slow reader (zero
   windows) and keep-alives; tcpdump captures in the server's namespace.
   Labels must agree per packet; every difference must be explained by a
   named rule in RULES (each with its unit test in
   tests/unit/test_analysis.c), never by a blanket tolerance.

usage: test_tshark.py TCPSPEC ANALYSIS_DUMP     (exit 77: no root / no tshark)
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pcapgen import ACK, FIN, PSH, RST, SYN, Conn, write_pcap  # noqa: E402

TCPSPEC, DUMP = sys.argv[1], sys.argv[2]
# meson's timeout sends SIGTERM: unwind so the namespaces are removed
signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))

# Wireshark's tcp.analysis.<field> for each of our labels (same names).
LABELS = ['retransmission', 'fast_retransmission', 'spurious_retransmission',
          'out_of_order', 'lost_segment', 'ack_lost_segment', 'duplicate_ack',
          'zero_window', 'zero_window_probe', 'zero_window_probe_ack',
          'window_full', 'window_update', 'keep_alive', 'keep_alive_ack',
          'reused_ports']
# The labels whose counts the brief asks for (all are compared per packet).
COUNTED = ['retransmission', 'fast_retransmission', 'spurious_retransmission',
           'duplicate_ack', 'zero_window', 'out_of_order', 'lost_segment',
           'ack_lost_segment']
TSHARK_PREFS = ['-o', 'tcp.analyze_sequence_numbers:TRUE',
                '-o', 'tcp.fastrt_supersedes_ooo:TRUE',
                '-o', 'tcp.relative_sequence_numbers:TRUE']

# Differences that remain, each explained by a named rule: (name, why,
# predicate over one differing packet {pkt, label, tshark, ours}, the unit
# test that pins our side). Anything unexplained fails the test. Empty:
# on the crafted scenarios and the real traffic every label agrees.
# Known and not reproduced, never seen here: "wireshark-unacked-cap" -
# Wireshark stops counting SYN/FIN in next seq once it holds 10000
# unACKed segments of a direction (one-sided captures); we always count
# them. It would go here, with its predicate and unit test, if it showed.
RULES = []

# tcpspec analyze summarises a connection when it closes and keeps its
# tuple for its late segments for this long (analyzer/track.c
# TRACK_DEFAULT_LINGER, restarted by each late segment; tests/unit/
# test_track.c pins it); the driver, like Wireshark, keeps every
# conversation to the end of the capture.
LINGER = 2.0

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print('FAIL:', what)
    return cond


def tshark_labels(path):
    fields = ['frame.number', 'tcp.analysis.duplicate_ack_num',
              'tcp.analysis.duplicate_ack_frame'] + ['tcp.analysis.' + l for l in LABELS]
    args = ['tshark', '-n', '-r', path, '-T', 'fields', '-E', 'occurrence=f'] + TSHARK_PREFS
    for f in fields:
        args += ['-e', f]
    out = subprocess.run(args, capture_output=True, text=True, check=True,
                         env=dict(os.environ, HOME=tempfile.gettempdir())).stdout
    res = {}
    for line in out.splitlines():
        cols = line.split('\t')
        labels = {LABELS[i] for i in range(len(LABELS)) if cols[3 + i]}
        if labels:
            dup = (int(cols[1]), int(cols[2])) if cols[1] else None
            res[int(cols[0])] = (labels, dup)
    return res


def our_labels(path, extra=()):
    p = subprocess.run([DUMP, *extra, path], capture_output=True, text=True)
    check(p.returncode == 0, 'analysis_dump %s: exit %d %s' % (path, p.returncode, p.stderr))
    res, summary, findings = {}, {}, 0
    for line in p.stdout.splitlines():
        j = json.loads(line)
        if 'summary' in j:
            summary = j
            continue
        if 'pkt' not in j:
            continue
        labels = set(j['labels'])
        # Wireshark adds tcp.analysis.retransmission to fast and spurious ones
        if labels & {'fast_retransmission', 'spurious_retransmission'}:
            labels.add('retransmission')
        dup = (j['dup_ack'], j['dup_ack_of']) if 'dup_ack' in j else None
        res[j['pkt']] = (labels, dup)
        findings += len(j['findings'])
        check(len(j['findings']) == len(j['labels']) and
              all(f['reason'] for f in j['findings']),
              'packet %d: one finding with a reason per label: %r' % (j['pkt'], j))
    return res, summary, findings


def after_linger(recs):
    """The connections tcpspec started on a tuple more than LINGER after the
    last packet of the tuple's previous connection, which had closed: for
    tcpspec a new connection (seen mid-stream, or a SYN that reuses nothing
    it still knows), for Wireshark the old conversation (a FIN sent again
    after a backed-off RTO is a retransmission, its ACK a dup ack, a SYN
    reuses the ports). Returns (conn of each packet, those connections)."""
    closed = {j['conn'] for j in recs if j.get('type') == 'connection' and j['end'] == 'closed'}
    last, conn_of, late = {}, {}, set()
    for j in recs:
        if j.get('type') != 'packet' or j.get('conn') is None:
            continue
        t = frozenset([(j['src'], j['sport']), (j['dst'], j['dport'])])
        prev = last.get(t)
        if prev and prev[1] != j['conn'] and prev[1] in closed and j['ts'] - prev[0] > LINGER:
            late.add(j['conn'])
        last[t] = (j['ts'], j['conn'])
        conn_of[j['num']] = j['conn']
    return conn_of, late


def tcpspec_vs_dump(path):
    """Once `tcpspec analyze` reports the analysis (the tracker calls the
    module), its ANALYSIS findings must be the driver's, packet by packet,
    except on connections after a linger (after_linger)."""
    try:
        p = subprocess.run([TCPSPEC, 'analyze', '--json', '--all', '--packets', path],
                           capture_output=True, text=True)
    except OSError as e:
        print('tcpspec analyze: cannot run (%s); driver only' % e)
        return
    ours = subprocess.run([DUMP, path], capture_output=True, text=True).stdout
    want = set()
    for line in ours.splitlines():
        j = json.loads(line)
        for f in j.get('findings', []) if 'pkt' in j else []:
            want.add((j['pkt'], f['id']))
    ids = {i for _, i in want} | {'TCP-' + l.upper().replace('_', '-') for l in LABELS}
    got, recs = set(), []
    for line in p.stdout.splitlines():
        try:
            j = json.loads(line)
        except ValueError:
            continue
        recs.append(j)
        if j.get('type') == 'finding' and j.get('id') in ids:
            got.add((j['packet'], j['id']))
    if p.returncode != 0 or not got:
        print('tcpspec analyze: no analysis findings yet (exit %d); driver only' % p.returncode)
        return
    conn_of, late = after_linger(recs)
    lingered = {d for d in got ^ want if conn_of.get(d[0]) in late}
    if lingered:
        print('   tcpspec vs driver, explained by the linger (%d connections): %d'
              % (len(late), len(lingered)))
    got -= lingered
    want -= lingered
    check(got == want, 'tcpspec analyze and analysis_dump agree: %d only in tcpspec, %d only '
          'in the driver' % (len(got - want), len(want - got)))


def compare(name, path, verbose=False):
    """Returns (per-label counts theirs/ours, unexplained differences)."""
    theirs = tshark_labels(path)
    ours, summary, _ = our_labels(path)
    counts = {l: [0, 0] for l in LABELS}
    diffs = []
    for pkt in sorted(set(theirs) | set(ours)):
        t, tdup = theirs.get(pkt, (set(), None))
        o, odup = ours.get(pkt, (set(), None))
        for l in t:
            counts[l][0] += 1
        for l in o:
            counts[l][1] += 1
        for l in sorted(t ^ o):
            diffs.append({'pkt': pkt, 'label': l, 'tshark': l in t, 'ours': l in o})
        if tdup != odup and 'duplicate_ack' in (t & o):
            diffs.append({'pkt': pkt, 'label': 'duplicate_ack_num', 'tshark': tdup, 'ours': odup})
    unexplained = []
    for d in diffs:
        rule = next((r for r in RULES if r[2](d)), None)
        if rule:
            d['rule'] = rule[0]
        else:
            unexplained.append(d)
    if verbose or unexplained:
        print('%s: %d packets labelled by tshark, %d by us, %d differences (%d unexplained)'
              % (name, len(theirs), len(ours), len(diffs), len(unexplained)))
    for d in unexplained[:40]:
        print('   unexplained:', d)
    return counts, diffs, unexplained, summary


# ---------------------------------------------------------------- crafted

def hs(fr, **kw):
    c = Conn(fr, **kw)
    c.c(0, 0, 0, SYN, ws=7, mss=1460)
    c.s(0.01, 0, 1, SYN | ACK, ws=7, mss=1460)
    c.c(0.02, 1, 1, ACK)
    return c


def scenarios():
    """(name, frames, labels we expect on which packet) per rule."""
    out = []

    def sc(name, expect):
        fr = []
        yield fr
        out.append((name, fr, expect))

    for fr in sc('syn-retransmission', {2: 'retransmission'}):
        c = Conn(fr)
        c.c(0, 0, 0, SYN); c.c(1, 0, 0, SYN); c.s(1.01, 0, 1, SYN | ACK); c.c(1.02, 1, 1, ACK)
    for fr in sc('syn-again-restores-next-seq', {3: 'retransmission'}):
        c = Conn(fr)
        c.c(0, 0, 0, SYN); c.c(0.1, 1000, 0, RST); c.c(1, 0, 0, SYN); c.s(1.01, 0, 1, SYN | ACK)
        c.c(1.02, 1, 1, ACK); c.c(1.03, 1, 1, ACK | PSH, n=10)
    for fr in sc('rto-retransmission', {6: 'retransmission'}):
        c = hs(fr); c.c(0.03, 1, 1, ACK, n=100); c.c(0.031, 101, 1, ACK, n=100)
        c.c(0.3, 1, 1, ACK, n=100); c.s(0.31, 1, 201, ACK)
    for fr in sc('spurious-even-when-advancing', {5: 'ack_lost_segment', 6: 'spurious_retransmission'}):
        c = hs(fr); c.c(0.03, 1, 1, ACK, n=100); c.s(0.04, 1, 201, ACK); c.c(0.05, 101, 1, ACK, n=100)
    for fr in sc('next-seq-minus-one-adds-data', {}):
        c = hs(fr); c.c(0.03, 1, 1, ACK, n=100); c.c(0.5, 100, 1, ACK, n=50)
    for fr in sc('fast-retransmission', {9: 'duplicate_ack', 12: 'fast_retransmission'}):
        c = hs(fr)
        for i, t in enumerate((0.03, 0.031, 0.032, 0.033)):
            c.c(t, 1 + 200 * i if i else 1, 1, ACK, n=100)
        c.s(0.04, 1, 101, ACK); c.s(0.041, 1, 101, ACK); c.s(0.042, 1, 101, ACK)
        c.s(0.043, 1, 101, ACK); c.c(0.045, 101, 1, ACK, n=100); c.s(0.05, 1, 801, ACK)
    for fr in sc('fast-retransmission-too-late', {}):
        c = hs(fr); c.c(0.03, 1, 1, ACK, n=100); c.c(0.031, 201, 1, ACK, n=100)
        c.s(0.04, 1, 101, ACK); c.s(0.041, 1, 101, ACK); c.s(0.042, 1, 101, ACK)
        c.c(0.07, 101, 1, ACK, n=100); c.s(0.08, 1, 301, ACK)
    for fr in sc('fast-beats-out-of-order', {}):
        c = Conn(fr); c.c(0, 0, 0, SYN, ws=7); c.s(0.0001, 0, 1, SYN | ACK, ws=7); c.c(0.0002, 1, 1, ACK)
        c.c(0.001, 1, 1, ACK, n=100); c.c(0.0011, 201, 1, ACK, n=100); c.s(0.0012, 1, 101, ACK)
        c.s(0.0013, 1, 101, ACK); c.s(0.0014, 1, 101, ACK); c.c(0.0015, 101, 1, ACK, n=100)
    for fr in sc('out-of-order', {6: 'out_of_order'}):
        c = hs(fr); c.c(0.03, 1, 1, ACK, n=100); c.c(0.0301, 201, 1, ACK, n=100)
        c.c(0.0302, 101, 1, ACK, n=100); c.s(0.04, 1, 301, ACK)
    for fr in sc('zero-window-probe-and-ack', {5: 'zero_window', 6: 'zero_window_probe',
                                               7: 'zero_window_probe_ack', 8: 'window_update'}):
        c = hs(fr); c.c(0.03, 1, 1, ACK, n=100); c.s(0.04, 1, 101, ACK, win=0)
        c.c(0.3, 101, 1, ACK, n=1); c.s(0.31, 1, 101, ACK, win=0); c.s(0.5, 1, 101, ACK, win=500)
        c.c(0.51, 101, 1, ACK, n=100)
    for fr in sc('keep-alive', {6: 'keep_alive', 7: 'keep_alive_ack'}):
        c = hs(fr); c.c(0.03, 1, 1, ACK, n=100); c.s(0.04, 1, 101, ACK); c.c(10, 100, 1, ACK)
        c.s(10.01, 1, 101, ACK); c.c(20, 100, 1, ACK, n=1); c.s(20.01, 1, 101, ACK)
    for fr in sc('window-full-scaled', {5: 'window_full'}):
        c = Conn(fr); c.c(0, 0, 0, SYN, ws=7); c.s(0.01, 0, 1, SYN | ACK, ws=7); c.c(0.02, 1, 1, ACK)
        c.s(0.025, 1, 1, ACK, win=2); c.c(0.03, 1, 1, ACK, n=256)
    for fr in sc('window-full-syn-window-unscaled', {3: 'window_full'}):
        c = Conn(fr); c.c(0, 0, 0, SYN); c.s(0.01, 0, 1, SYN | ACK, win=300); c.c(0.03, 1, 1, ACK, n=300)
    for fr in sc('window-full-scale-unknown', {}):
        c = Conn(fr); c.c(0.03, 1, 1, ACK, n=100); c.s(0.04, 1, 101, ACK, win=100)
        c.c(0.05, 101, 1, ACK, n=100)
    for fr in sc('lost-and-acked-unseen', {5: 'lost_segment', 6: 'ack_lost_segment'}):
        c = hs(fr); c.c(0.03, 1, 1, ACK, n=100); c.c(0.04, 201, 1, ACK, n=100)
        c.s(0.05, 1, 301, ACK); c.s(0.06, 1, 401, ACK)
    for fr in sc('acked-unseen-once-per-stall', {7: 'ack_lost_segment', 8: 'duplicate_ack'}):
        c = hs(fr); c.c(0.03, 1, 1, ACK, n=100); c.c(0.04, 201, 1, ACK, n=100)
        c.s(0.05, 1, 301, ACK); c.s(0.06, 1, 401, ACK); c.s(0.07, 1, 401, ACK)
        c.s(0.08, 1, 401, ACK); c.s(0.09, 1, 501, ACK); c.c(0.1, 301, 1, ACK, n=100)
    for fr in sc('dup-ack-count-after-acked-unseen', {9: 'duplicate_ack'}):
        c = hs(fr); c.c(0.03, 1, 1, ACK, n=100); c.c(0.04, 201, 1, ACK, n=100)
        c.s(0.05, 1, 301, ACK); c.s(0.051, 1, 401, ACK); c.s(0.052, 1, 401, ACK, n=100)
        c.c(0.053, 301, 1, ACK); c.c(0.054, 301, 1, ACK)
    for fr in sc('fast-retransmission-unsigned-count-quirk', {9: 'fast_retransmission'}):
        c = hs(fr); c.c(0.03, 1, 1, ACK, n=100); c.c(0.04, 201, 1, ACK, n=100)
        c.s(0.05, 1, 301, ACK); c.s(0.051, 1, 401, ACK); c.s(0.052, 1, 401, ACK, n=100)
        c.s(0.055, 1, 401, ACK, n=100)
    for fr in sc('reused-ports', {7: 'reused_ports'}):
        c = hs(fr); c.c(0.03, 1, 1, FIN | ACK); c.s(0.04, 1, 2, FIN | ACK); c.c(0.05, 2, 2, ACK)
        c2 = Conn(fr, cisn=90000, sisn=70000); c2.c(1, 0, 0, SYN); c2.s(1.01, 0, 1, SYN | ACK)
        c2.c(1.02, 1, 1, ACK); c2.c(1.03, 1, 1, ACK | PSH, n=5)
    for fr in sc('syn-ack-other-isn', {4: 'reused_ports'}):
        c = hs(fr); c.s(0.5, 77, 1, SYN | ACK)
    for fr in sc('fin-retransmission', {5: 'retransmission'}):
        c = hs(fr); c.c(0.03, 1, 1, FIN | ACK); c.c(0.3, 1, 1, FIN | ACK); c.s(0.31, 1, 2, ACK)
    for fr in sc('window-update-then-dup-acks', {6: 'window_update', 7: 'duplicate_ack'}):
        c = hs(fr); c.c(0.03, 1, 1, ACK, n=10); c.s(0.04, 1, 11, ACK); c.s(0.05, 1, 11, ACK, win=2000)
        c.s(0.06, 1, 11, ACK, win=2000); c.s(0.07, 1, 11, ACK | PSH, n=5)
    for fr in sc('capture-starts-mid-connection', {4: 'retransmission'}):
        c = Conn(fr); c.c(0.0, 5000, 300, ACK, n=100); c.s(0.01, 300, 5100, ACK)
        c.c(0.02, 5100, 300, ACK, n=100); c.c(0.021, 5000, 300, ACK, n=100); c.s(0.03, 300, 5200, ACK)
    for fr in sc('rst-with-any-seq', {}):
        c = hs(fr); c.c(0.03, 1, 1, ACK, n=10); c.s(0.04, 1, 11, ACK); c.s(0.05, 99, 0, RST)
        c.c(0.06, 11, 1, ACK, n=10)
    for fr in sc('ipv6-retransmission', {5: 'retransmission'}):
        c = hs(fr, v6=True); c.c(0.03, 1, 1, ACK, n=100); c.c(0.3, 1, 1, ACK, n=100)
    return out


def run_crafted(tmp):
    n = 0
    for name, frames, expect in scenarios():
        path = os.path.join(tmp, name + '.pcap')
        write_pcap(path, frames)
        _, diffs, unexplained, _ = compare('crafted ' + name, path)
        check(not diffs, 'crafted %s: tshark and tcpspec agree on every label (%d differ)'
              % (name, len(diffs)))
        ours, _, _ = our_labels(path)
        for pkt, label in expect.items():
            check(label in ours.get(pkt, (set(), None))[0],
                  'crafted %s: packet %d is %s' % (name, pkt, label))
        n += 1
    print('crafted: %d scenarios compared with tshark' % n)


# ---------------------------------------------------------------- netns

SERVER = r'''
import socket, sys, threading, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('192.0.2.1', 8080)); s.listen(256)
deadline = time.time() + float(sys.argv[1])
s.settimeout(1)
def serve(c):
    try:
        c.settimeout(20)
        req = b''
        while not req.endswith(b'\n'):
            d = c.recv(100)
            if not d:
                return
            req += d
        n = int(req.split()[1])
        if req.startswith(b'PUT'):  # upload: the client's losses are uncaptured
            while n > 0:
                d = c.recv(65536)
                if not d:
                    return
                n -= len(d)
            n = 2
        buf = b'x' * 65536
        while n > 0:
            k = c.send(buf[:min(n, len(buf))]); n -= k
        if req.startswith(b'IDLE'):
            time.sleep(4)
        c.shutdown(socket.SHUT_WR)
        while c.recv(65536):
            pass
    except OSError:
        pass
    finally:
        c.close()
while time.time() < deadline:
    try:
        c, _ = s.accept()
    except socket.timeout:
        continue
    threading.Thread(target=serve, args=(c,), daemon=True).start()
'''

CLIENT = r'''
import random, socket, sys, threading, time
random.seed(1)
stop = time.time() + float(sys.argv[1])
def fetch(n, slow=False, keepalive=False, sport=None, idle=False, put=False):
    c = socket.socket()
    try:
        if slow:
            c.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        if sport:
            c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            c.bind(('192.0.2.2', sport))
        if keepalive:
            c.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
            c.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 1)
            c.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, 1)
        c.settimeout(20)
        c.connect(('192.0.2.1', 8080))
        c.sendall(b'%s %d\n' % (b'IDLE' if idle else b'PUT' if put else b'GET', n))
        if put:
            c.sendall(b'u' * n)
        while time.time() < stop + 10:
            d = c.recv(512 if slow else 65536)
            if not d:
                break
            if slow:
                time.sleep(0.02)
    except OSError:
        pass
    finally:
        c.close()
def shorts():
    while time.time() < stop:
        fetch(random.randint(1, 30000))
threads = [threading.Thread(target=shorts) for _ in range(4)]
threads += [threading.Thread(target=fetch, args=(3000000,)) for _ in range(2)]
threads += [threading.Thread(target=fetch, args=(2000000,), kwargs={'put': True}) for _ in range(2)]
threads += [threading.Thread(target=fetch, args=(150000, True))]
threads += [threading.Thread(target=fetch, args=(1000, False, True, None, True))]
for t in threads:
    t.start()
for i in range(3):  # the same client port again: the server is in TIME-WAIT
    fetch(2000, sport=45000)
    time.sleep(0.3)
for t in threads:
    t.join()
'''


def sh(*args, check_rc=True, **kw):
    return subprocess.run(list(args), check=check_rc, capture_output=True, text=True, **kw)


def run_netns(tmp, seconds):
    """Client and server namespaces joined through a third one that only
    bridges (no address) and drops 5% of what it forwards with iptables:
    drops of the client's segments happen before the capture point (the
    server's veth), so the capture has real gaps; the server's losses are
    captured before they happen, as retransmissions."""
    pid = os.getpid()
    ns_s, ns_c, ns_m = ('tcpspec-dsrv-%d' % pid, 'tcpspec-dcli-%d' % pid,
                        'tcpspec-dmid-%d' % pid)
    veth_s, veth_c = 'tsd%ds' % pid, 'tsd%dc' % pid
    mid_s, mid_c, br = 'tsm%ds' % pid, 'tsm%dc' % pid, 'tsb%d' % pid
    pcap = os.path.join(tmp, 'real.pcap')
    tcpdump = None
    try:
        for ns in (ns_s, ns_c, ns_m):
            sh('ip', 'netns', 'add', ns)
        sh('ip', 'link', 'add', veth_s, 'netns', ns_s, 'type', 'veth', 'peer', 'name',
           mid_s, 'netns', ns_m)
        sh('ip', 'link', 'add', veth_c, 'netns', ns_c, 'type', 'veth', 'peer', 'name',
           mid_c, 'netns', ns_m)
        mid = ('ip', 'netns', 'exec', ns_m)
        sh(*mid, 'ip', 'link', 'add', br, 'type', 'bridge')
        for dev in (mid_s, mid_c):
            sh(*mid, 'ip', 'link', 'set', dev, 'master', br)
        for ns, dev, addr in ((ns_s, veth_s, '192.0.2.1/24'), (ns_c, veth_c, '192.0.2.2/24'),
                              (ns_m, mid_s, None), (ns_m, mid_c, None), (ns_m, br, None)):
            if addr:
                sh('ip', 'netns', 'exec', ns, 'ip', 'addr', 'add', addr, 'dev', dev)
            sh('ip', 'netns', 'exec', ns, 'ip', 'link', 'set', dev, 'up')
            # wire-sized segments in the capture
            sh('ip', 'netns', 'exec', ns, 'ethtool', '-K', dev, 'tso', 'off', 'gso', 'off',
               'gro', 'off', check_rc=False)
        # bridged frames go through iptables FORWARD (br_netfilter, per netns)
        sh(*mid, 'sysctl', '-qw', 'net.bridge.bridge-nf-call-iptables=1')
        sh(*mid, 'iptables', '-A', 'FORWARD', '-p', 'tcp', '-m', 'statistic', '--mode',
           'random', '--probability', '0.05', '-j', 'DROP')
        tcpdump = subprocess.Popen(['ip', 'netns', 'exec', ns_s, 'tcpdump', '-i', veth_s,
                                    '-s', '0', '-B', '16384', '-U', '-w', pcap, 'tcp'],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        time.sleep(1)
        srv_py = os.path.join(tmp, 'server.py')
        cli_py = os.path.join(tmp, 'client.py')
        open(srv_py, 'w').write(SERVER)
        open(cli_py, 'w').write(CLIENT)
        srv = subprocess.Popen(['ip', 'netns', 'exec', ns_s, sys.executable, srv_py,
                                str(seconds + 40)])
        time.sleep(0.5)
        sh('ip', 'netns', 'exec', ns_c, sys.executable, cli_py, str(seconds),
           timeout=seconds + 60, check_rc=False)
        srv.terminate()
        srv.wait(timeout=10)
        time.sleep(1)
        tcpdump.send_signal(signal.SIGINT)
        err = tcpdump.communicate(timeout=20)[1]
        tcpdump = None
        print('tcpdump:', ' '.join(l for l in err.splitlines() if 'packets' in l))
    finally:
        if tcpdump:
            tcpdump.kill()
            tcpdump.wait()
        for ns in (ns_s, ns_c, ns_m):
            for p in subprocess.run(['ip', 'netns', 'pids', ns], capture_output=True,
                                    text=True).stdout.split():
                try:
                    os.kill(int(p), signal.SIGKILL)
                except (OSError, ValueError):
                    pass
            subprocess.run(['ip', 'netns', 'del', ns], capture_output=True)
    left = sh('ip', 'netns', 'list').stdout
    check(all(ns not in left for ns in (ns_s, ns_c, ns_m)), 'namespaces removed')
    return pcap


def report(name, counts, npkts, conns):
    print('%s: %d packets, %d connections' % (name, npkts, conns))
    print('   %-24s %8s %8s' % ('label', 'tshark', 'tcpspec'))
    for l in LABELS:
        print('   %-24s %8d %8d%s' % (l, counts[l][0], counts[l][1],
                                     '' if l in COUNTED else '  (also compared)'))


def main():
    if not shutil.which('tshark'):
        print('skipped: tshark not installed (scripts/install-deps.sh)')
        return 77
    seconds = float(os.environ.get('TCPSPEC_DIFF_SECONDS', '20'))
    with tempfile.TemporaryDirectory() as tmp:
        run_crafted(tmp)
        if os.geteuid() != 0:
            print('netns part skipped: needs root')
            return 1 if failures else 77
        if not os.path.isdir('/proc/sys/net/bridge'):
            try:  # a fresh machine may not have loaded it yet
                subprocess.run(['modprobe', 'br_netfilter'], capture_output=True, check=False)
            except OSError:
                pass
        if not os.path.isdir('/proc/sys/net/bridge'):
            print('skipped: no br_netfilter (bridged packets would bypass iptables)')
            return 1 if failures else 77
        for tool in ('tcpdump', 'iptables', 'ethtool'):
            if not shutil.which(tool):
                print('skipped: %s not installed' % tool)
                return 1 if failures else 77
        pcap = run_netns(tmp, seconds)
        counts, diffs, unexplained, summary = compare('real traffic', pcap, verbose=True)
        report('real traffic', counts, summary.get('tcp', 0), summary.get('connections', 0))
        tcpspec_vs_dump(pcap)
        by_rule = {}
        for d in diffs:
            if 'rule' in d:
                by_rule[d['rule']] = by_rule.get(d['rule'], 0) + 1
        for r, n in sorted(by_rule.items()):
            print('   explained by %s: %d' % (r, n))
        check(summary.get('tcp', 0) > 5000 and summary.get('connections', 0) > 50,
              'enough traffic: %r' % summary)
        check(counts['retransmission'][0] > 0 and counts['duplicate_ack'][0] > 0 and
              counts['lost_segment'][0] > 0, 'the loss produced labels to compare')
        check(not unexplained, '%d differences not explained by a named rule' % len(unexplained))
        if os.environ.get('TCPSPEC_KEEP_PCAP'):
            shutil.copy(pcap, os.environ['TCPSPEC_KEEP_PCAP'])
    print('%d failures' % len(failures))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
