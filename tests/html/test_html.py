#!/usr/bin/env python3
"""The HTML report in a real browser.

usage: test_html.py HTML_WRITE OUTDIR

Builds tcpspec-report/1 documents (run kind with a failing case whose reason
and file name hold markup, a timeout and an expect_none failure; analyze kind
with 10,000 connections, one of them 5,000 packets long and truncated; matrix
kind), writes each page with html_write (report_html_write), checks the file
itself, then loads it in headless Chromium driven over the DevTools protocol
(--remote-debugging-pipe, python's standard library only) and checks the
DOM, that no injected script ran, that the page made no request and logged no
error, and the render time of the 10,000-connection page (measured in the
browser: performance.now() when the first view is drawn, from navigation
start). Screenshots go to OUTDIR/screenshots/.

Exit 77 (skipped) when /usr/bin/chromium is absent, after the checks that do
not need it.
"""
import base64
import json
import os
import random
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

CHROMIUM = '/usr/bin/chromium'
HTML_WRITE = sys.argv[1]
OUT = os.path.abspath(sys.argv[2])
SHOTS = os.path.join(OUT, 'screenshots')
PAGES = os.path.join(OUT, 'pages')

XSS_REASON = 'expected SA, got RST <script>window.__pwned_reason=1;alert(1)</script> & more'
XSS_FILE = 'testcases/handshake/<img src=x onerror="window.__pwned_file=1">.yaml'
XSS_TITLE = '</script><script>window.__pwned_title=1</script><!-- title'
LS = '\u2028'  # LINE SEPARATOR: ends a JS string literal in old engines

failures = []
passed = 0


def check(cond, what):
    global passed
    if cond:
        passed += 1
    else:
        failures.append(what)
        print('FAIL: ' + what, flush=True)


# ---------------------------------------------------------------- documents

def counts(**kw):
    d = {'passed': 0, 'failed': 0, 'errors': 0, 'xfail': 0, 'xpass': 0}
    d.update(kw)
    return d


def run_doc(target='linux', pwned_link=False):
    steps_fail = [
        {'index': 1, 'kind': 'send', 'line': 7, 'text': 'send: {flags: S, seq: 0, win: 65535, options: [mss 1460, sackOK]}'},
        {'index': 2, 'kind': 'expect', 'line': 8, 'text': 'expect: {flags: SA, ack: 1, within: 1s}'},
        {'index': 3, 'kind': 'send', 'line': 9, 'text': 'send: {flags: A, seq: 1, ack: 1}'},
    ]
    cases = [
        {'id': 'handshake/passive-open-basic',
         'title': 'A SYN to a listening port is answered by SYN-ACK \u2026 \u20ac \u2018q\u2019 \u2029 \u00e9 \U0001f600',
         'area': 'handshake', 'file': 'testcases/handshake/passive-open-basic.yaml', 'line': 1,
         'rfc': ['RFC9293 3.5', 'RFC9293 3.10.7.2'], 'level': 'MUST', 'tags': [], 'verdict': 'pass',
         'reason': '', 'failed_step': None, 'failed_line': None, 'duration_ms': 12.5,
         'pcap': 'out/handshake/passive-open-basic.pcap',
         'steps': steps_fail,
         'packets': [
             {'num': 1, 't': 0.0, 'dir': 0, 'flags': 'S', 'seq': 0, 'ack': None, 'win': 65535, 'len': 0,
              'options': 'mss 1460,sackOK', 'csum': 'ok', 'step': 1, 'labels': []},
             {'num': 2, 't': 0.000081, 'dir': 1, 'flags': 'SA', 'seq': 0, 'ack': 1, 'win': 64240, 'len': 0,
              'options': 'mss 1460,sackOK', 'csum': 'ok', 'step': 2, 'labels': []},
             {'num': 3, 't': 0.000102, 'dir': 0, 'flags': 'A', 'seq': 1, 'ack': 1, 'win': 65535, 'len': 0,
              'options': '', 'csum': 'ok', 'step': 3, 'labels': []}],
         'packets_truncated': False, 'findings': []},
        {'id': 'handshake/syn-answered-by-rst', 'title': XSS_TITLE, 'area': 'handshake',
         'file': XSS_FILE, 'line': 1, 'rfc': ['RFC9293 3.5'], 'level': 'MUST', 'tags': ['xss' + LS + 'tag'],
         'verdict': 'fail', 'reason': XSS_REASON, 'failed_step': 2, 'failed_line': 8, 'duration_ms': 221.3,
         'pcap': 'out/<b>x</b>.pcap', 'steps': steps_fail,
         'packets': [
             {'num': 1, 't': 0.000012, 'dir': 0, 'flags': 'S', 'seq': 0, 'ack': None, 'win': 65535, 'len': 0,
              'options': 'mss 1460,sackOK', 'csum': 'ok', 'step': 1, 'labels': []},
             {'num': 2, 't': 0.000095, 'dir': 1, 'flags': 'RA', 'seq': 0, 'ack': 1, 'win': 0, 'len': 0,
              'options': '<svg onload=window.__pwned_opt=1>', 'csum': 'ok', 'step': 2, 'labels': []}],
         'packets_truncated': False,
         'findings': [{'id': 'TCP-CHECKSUM-BAD', 'rfc': 'RFC9293', 'section': '3.1', 'level': 'MUST',
                       'title': 'checksum <i>bad</i>', 'reason': 'csum 0x1234 != 0xabcd <script>window.__pwned_f=1</script>',
                       'packet': 2, 'ref_packet': 1, 'dir': 1}]},
        {'id': 'handshake/timeout', 'title': 'SYN-ACK never comes', 'area': 'handshake',
         'file': 'testcases/handshake/timeout.yaml', 'line': 1, 'rfc': ['RFC9293 3.5'], 'level': 'MUST',
         'tags': [], 'verdict': 'fail', 'reason': 'step 2 (line 8): no segment within 1s; expected SA ack 1',
         'failed_step': 2, 'failed_line': 8, 'duration_ms': 1003.0, 'pcap': None, 'steps': steps_fail,
         'packets': [
             {'num': 1, 't': 0.0, 'dir': 0, 'flags': 'S', 'seq': 0, 'ack': None, 'win': 65535, 'len': 0,
              'options': 'mss 1460,sackOK', 'csum': 'ok', 'step': 1, 'labels': []}],
         'packets_truncated': False, 'findings': []},
        {'id': 'checksum/bad-checksum-dropped', 'title': 'A bad checksum is dropped silently', 'area': 'checksum',
         'file': 'testcases/checksum/bad-checksum-dropped.yaml', 'line': 1, 'rfc': ['RFC9293 3.1'],
         'level': 'MUST', 'tags': [], 'verdict': 'error', 'reason': 'agent: connection refused',
         'failed_step': None, 'failed_line': None, 'duration_ms': 3.0, 'pcap': None, 'steps': [],
         'packets': [], 'packets_truncated': False, 'findings': []},
        {'id': 'data/data-acked', 'title': 'Data is acknowledged', 'area': 'data',
         'file': 'testcases/data/data-acked.yaml', 'line': 1, 'rfc': ['RFC9293 3.10.7.4'], 'level': 'SHOULD',
         'tags': [], 'verdict': 'xfail', 'reason': 'known: delayed ACK', 'failed_step': 4, 'failed_line': 12,
         'duration_ms': 250.0, 'pcap': None,
         'steps': [{'index': 1, 'kind': 'send', 'line': 7, 'text': 'send: {flags: S}'},
                   {'index': 2, 'kind': 'expect', 'line': 8, 'text': 'expect: {flags: SA}'},
                   {'index': 3, 'kind': 'send', 'line': 9, 'text': 'send: {flags: PA, data: "hello"}'},
                   {'index': 4, 'kind': 'expect_none', 'line': 12, 'text': 'expect_none: {for: 300ms}'}],
         'packets': [
             {'num': 1, 't': 0.0, 'dir': 0, 'flags': 'S', 'seq': 0, 'ack': None, 'win': 65535, 'len': 0,
              'options': 'mss 1460', 'csum': 'ok', 'step': 1, 'labels': []},
             {'num': 2, 't': 0.0001, 'dir': 1, 'flags': 'SA', 'seq': 0, 'ack': 1, 'win': 64240, 'len': 0,
              'options': 'mss 1460', 'csum': 'ok', 'step': 2, 'labels': []},
             {'num': 3, 't': 0.0002, 'dir': 0, 'flags': 'PA', 'seq': 1, 'ack': 1, 'win': 65535, 'len': 5,
              'options': '', 'csum': 'bad', 'step': 3, 'labels': []},
             {'num': 4, 't': 0.0003, 'dir': 1, 'flags': 'A', 'seq': 1, 'ack': 6, 'win': 64240, 'len': 0,
              'options': '', 'csum': 'ok', 'step': None, 'labels': []}],
         'packets_truncated': False, 'findings': []},
    ]
    return {
        'schema': 'tcpspec-report/1', 'kind': 'run', 'tool': {'name': 'tcpspec', 'version': '0.1.0'},
        'created': '2026-11-21T17:40:00Z', 'target': target, 'inputs': ['<b>suite</b>'],
        'summary': {'cases': 5, 'passed': 1, 'failed': 2, 'errors': 1, 'xfail': 1, 'xpass': 0,
                    'by_area': {'handshake': counts(passed=1, failed=2), 'checksum': counts(errors=1),
                                'data': counts(xfail=1)},
                    'by_rfc': {'RFC9293 3.5': counts(passed=1, failed=2), 'RFC9293 3.10.7.2': counts(passed=1),
                               'RFC9293 3.1': counts(errors=1), 'RFC9293 3.10.7.4': counts(xfail=1)},
                    'by_level': {'MUST': counts(passed=1, failed=2, errors=1), 'SHOULD': counts(xfail=1)},
                    'connections': 0, 'findings': {'MUST': 1, 'SHOULD': 0, 'MAY': 0, 'ANALYSIS': 0}},
        'cases': cases, 'connections': [],
        'limits': {'packets_per_item': 5000, 'detailed_connections': 10000, 'findings_per_item': 1000,
                   'truncated': {'packets': 0, 'connections': 0, 'findings': 0}},
    }


def ep(i):
    return {'ip': 4, 'src': '192.0.2.%d' % (2 + i % 200), 'sport': 40000 + i % 20000,
            'dst': '192.0.2.1', 'dport': 80 if i % 3 else 443}


def dir_stats(pk, d):
    mine = [p for p in pk if p['dir'] == d]
    return {'packets': len(mine), 'data_packets': sum(1 for p in mine if p['len']),
            'pure_acks': sum(1 for p in mine if not p['len'] and p['flags'] == 'A'),
            'bytes': sum(p['len'] for p in mine), 'unique_bytes': sum(p['len'] for p in mine if not p['labels']),
            'retrans_packets': sum(1 for p in mine if 'retransmission' in p['labels']),
            'retrans_bytes': sum(p['len'] for p in mine if 'retransmission' in p['labels']),
            'out_of_order_packets': 0, 'dup_acks': 0, 'zero_windows': sum(1 for p in mine if p['wnd'] == 0),
            'syns': 1, 'fins': 1, 'rsts': 0, 'mss': 1460, 'max_segment': max([p['len'] for p in mine] + [0]),
            'window': {'min': 0, 'avg': 30000.5, 'max': 65535},
            'rtt': {'samples': 3, 'min': 0.000081, 'avg': 0.0001, 'max': 0.00012, 'stdev': 0.00001},
            'throughput': 123456.7, 'first_ts': 1795280611.0, 'last_ts': 1795280611.3, 'max_idle': 0.1,
            'state': 'TIME-WAIT' if d == 0 else 'CLOSED'}


def small_conn(i, rnd):
    t0 = 1795280611.0 + i * 0.01
    n = rnd.randint(1, 4)
    pk = [{'num': 1, 't': 0.0, 'dir': 0, 'flags': 'S', 'seq': 0, 'ack': None, 'win': 64240, 'wnd': 64240,
           'len': 0, 'sack': None, 'labels': [], 'csum': 'ok'},
          {'num': 2, 't': 0.0001, 'dir': 1, 'flags': 'SA', 'seq': 0, 'ack': 1, 'win': 65160, 'wnd': 65160,
           'len': 0, 'sack': None, 'labels': [], 'csum': 'ok'},
          {'num': 3, 't': 0.0002, 'dir': 0, 'flags': 'A', 'seq': 1, 'ack': 1, 'win': 502, 'wnd': 64256,
           'len': 0, 'sack': None, 'labels': [], 'csum': 'ok'}]
    seq, t = 1, 0.0003
    for k in range(n):
        pk.append({'num': len(pk) + 1, 't': round(t, 6), 'dir': 0, 'flags': 'PA', 'seq': seq, 'ack': 1,
                   'win': 502, 'wnd': 64256, 'len': 100, 'sack': None, 'labels': [], 'csum': 'ok'})
        seq += 100
        t += 0.0001
        pk.append({'num': len(pk) + 1, 't': round(t, 6), 'dir': 1, 'flags': 'A', 'seq': 1, 'ack': seq,
                   'win': 509, 'wnd': 65152, 'len': 0, 'sack': None, 'labels': [], 'csum': 'ok'})
        t += 0.0001
    pk.append({'num': len(pk) + 1, 't': round(t, 6), 'dir': 0, 'flags': 'FA', 'seq': seq, 'ack': 1, 'win': 502,
               'wnd': 64256, 'len': 0, 'sack': None, 'labels': [], 'csum': 'ok'})
    pk.append({'num': len(pk) + 1, 't': round(t + 0.0001, 6), 'dir': 1, 'flags': 'FA', 'seq': 1, 'ack': seq + 1,
               'win': 509, 'wnd': 65152, 'len': 0, 'sack': None, 'labels': [], 'csum': 'ok'})
    findings = []
    if i % 7 == 0:
        findings.append({'id': 'DUP-ACK', 'rfc': 'RFC5681', 'section': '2', 'level': 'ANALYSIS',
                         'title': 'duplicate ACK', 'reason': 'ack %d repeated' % seq, 'packet': 5,
                         'ref_packet': 4, 'dir': 1})
    if i % 50 == 0:
        findings.append({'id': 'ACK-ABOVE-SND-NXT', 'rfc': 'RFC9293', 'section': '3.10.7.4', 'level': 'MUST',
                         'title': 'ACK of data not yet sent', 'reason': 'ack 1001 > SND.NXT 1000', 'packet': 4,
                         'ref_packet': None, 'dir': 1})
    lv = {'MUST': 0, 'SHOULD': 0, 'MAY': 0, 'ANALYSIS': 0}
    for f in findings:
        lv[f['level']] += 1
    return {'conn': i, 'endpoints': ep(i), 'first_ts': t0, 'duration': round(t + 0.0001, 6),
            'conn_state': 'SF' if i % 11 else 'RSTO', 'history': 'ShADadFf',
            'stats': {'orig': dir_stats(pk, 0), 'resp': dir_stats(pk, 1)},
            'findings_by_level': lv, 'packets': pk, 'packets_truncated': False, 'findings': findings}


def big_conn(rnd, shown=5000, total=7400):
    """A bulk transfer A->B with losses (retransmissions), SACK blocks and a
    zero-window episode, truncated at `shown` packets."""
    pk = []
    t = 0.0

    def add(**p):
        p.setdefault('sack', None)
        p.setdefault('labels', [])
        p.setdefault('csum', 'ok')
        p.setdefault('ack', None)
        p['num'] = len(pk) + 1
        p['t'] = round(p['t'], 6)
        pk.append(p)

    add(t=t, dir=0, flags='S', seq=0, win=64240, wnd=None, len=0)
    add(t=t + 0.02, dir=1, flags='SA', seq=0, ack=1, win=65160, wnd=None, len=0)
    add(t=t + 0.0201, dir=0, flags='A', seq=1, ack=1, win=502, wnd=64256, len=0)
    t = 0.021
    nxt, acked, mss = 1, 1, 1448
    lost = []
    findings = []
    zero_from, zero_to = 1800, 1900
    while len(pk) < shown:
        k = len(pk)
        if zero_from <= k < zero_to:
            # the receiver's window is closed: zero-window probes and ACKs with wnd 0
            add(t=t, dir=1, flags='A', seq=1, ack=acked, win=0, wnd=0, len=0, labels=['zero_window'])
            t += 0.002
            add(t=t, dir=0, flags='A', seq=nxt - 1, ack=1, win=502, wnd=64256, len=0, labels=['zero_window_probe'])
            t += 0.002
            continue
        for _ in range(2):
            retx = bool(lost) and rnd.random() < 0.3
            if retx:
                s = lost.pop(0)
                add(t=t, dir=0, flags='A', seq=s, ack=1, win=502, wnd=64256, len=mss, labels=['retransmission'])
                if len(findings) < 40:
                    findings.append({'id': 'RETRANSMISSION', 'rfc': 'RFC9293', 'section': '3.8.1', 'level': 'ANALYSIS',
                                     'title': 'retransmission', 'reason': 'seq %d already sent' % s,
                                     'packet': len(pk), 'ref_packet': None, 'dir': 0})
            else:
                if rnd.random() < 0.01:
                    lost.append(nxt)
                else:
                    add(t=t, dir=0, flags='A', seq=nxt, ack=1, win=502, wnd=64256, len=mss)
                nxt += mss
            t += 0.0004
        if lost:
            left = lost[0]
            add(t=t, dir=1, flags='A', seq=1, ack=left, win=509, wnd=65152 + (k % 40) * 4000, len=0,
                sack=[[left + mss, nxt]], labels=['dup_ack'])
            acked = left
        else:
            acked = nxt
            add(t=t, dir=1, flags='A', seq=1, ack=acked, win=509, wnd=65152 + (k % 40) * 4000, len=0)
        t += 0.0003
    del pk[shown:]
    findings.append({'id': 'ZERO-WINDOW', 'rfc': 'RFC9293', 'section': '3.8.6.1', 'level': 'ANALYSIS',
                     'title': 'zero window', 'reason': 'window closed', 'packet': zero_from + 1,
                     'ref_packet': None, 'dir': 1})
    findings.append({'id': 'RST-IN-WINDOW-NOT-CHALLENGED', 'rfc': 'RFC5961', 'section': '3.2', 'level': 'MUST',
                     'title': 'in-window RST accepted without a challenge ACK',
                     'reason': 'RST seq 4097 in window, not = RCV.NXT 1 <script>window.__pwned_conn=1</script>',
                     'packet': 4321, 'ref_packet': 4300, 'dir': 1})
    findings.append({'id': 'WINDOW-SHRUNK', 'rfc': 'RFC9293', 'section': '3.8.6.2.2', 'level': 'SHOULD',
                     'title': 'window shrunk', 'reason': 'right edge moved left by 1448', 'packet': 2600,
                     'ref_packet': None, 'dir': 1})
    lv = {'MUST': 1, 'SHOULD': 1, 'MAY': 0, 'ANALYSIS': len(findings) - 2}
    st = {'orig': dir_stats(pk, 0), 'resp': dir_stats(pk, 1)}
    st['orig']['packets'] = total * 2 // 3
    st['resp']['packets'] = total - total * 2 // 3
    return {'conn': 1, 'endpoints': {'ip': 6, 'src': '2001:db8::2', 'sport': 40000, 'dst': '2001:db8::1', 'dport': 80},
            'first_ts': 1795280611.0, 'duration': round(t, 6), 'conn_state': 'SF', 'history': 'ShADadTtWwFf',
            'handshake_rtt': 0.0201, 'end': 'closed',
            'stats': st, 'findings_by_level': lv, 'packets': pk, 'packets_truncated': True,
            'findings': findings}


def analyze_doc(n=10000):
    rnd = random.Random(7)
    conns = [big_conn(rnd)] + [small_conn(i, rnd) for i in range(2, n + 1)] if n else []
    lv = {'MUST': 0, 'SHOULD': 0, 'MAY': 0, 'ANALYSIS': 0}
    for c in conns:
        for k in lv:
            lv[k] += c['findings_by_level'][k]
    return {
        'schema': 'tcpspec-report/1', 'kind': 'analyze', 'tool': {'name': 'tcpspec', 'version': '0.1.0'},
        'created': '2026-11-21T17:40:00Z', 'target': None,
        'inputs': ['captures/<script>window.__pwned_input=1</script>.pcap'],
        'summary': {'cases': 0, 'passed': 0, 'failed': 0, 'errors': 0, 'xfail': 0, 'xpass': 0,
                    'by_area': {}, 'by_rfc': {}, 'by_level': {}, 'connections': n, 'findings': lv},
        'cases': [], 'connections': conns,
        'limits': {'packets_per_item': 5000, 'detailed_connections': 10000, 'findings_per_item': 1000,
                   'truncated': {'packets': 2400, 'connections': 0, 'findings': 0}},
    }


def multi_doc():
    """Two captures whose connection ids repeat; one connection with no
    window scale (wnd null) and one with no packets at all."""
    rnd = random.Random(3)
    conns = []
    for k, name in enumerate(('a.pcap', 'b.pcap')):
        for i in (1, 2):
            c = small_conn(i + 10 * k, rnd)
            c['conn'] = i
            c['input'] = name
            conns.append(c)
    for p in conns[1]['packets']:
        p['wnd'] = None
    conns[3]['packets'] = []
    lv = {'MUST': 0, 'SHOULD': 0, 'MAY': 0, 'ANALYSIS': 0}
    doc = analyze_doc(0)
    doc.update(inputs=['a.pcap', 'b.pcap'], connections=conns)
    doc['summary'].update(connections=4, findings=lv)
    doc['limits']['truncated']['packets'] = 0
    return doc


def one_doc():
    doc = multi_doc()
    doc.update(inputs=['one.pcap'], connections=[dict(doc['connections'][0], input='one.pcap')])
    doc['summary']['connections'] = 1
    return doc


def sparse_docs():
    """Documents with the least the schema allows and nulls where it allows
    them: the page must still draw, without errors."""
    nul_pkt = {'num': 1, 't': None, 'dir': None, 'flags': None, 'seq': None, 'ack': None, 'win': None,
               'len': None, 'options': None, 'csum': None, 'step': None, 'labels': None}
    run = {'schema': 'tcpspec-report/1', 'kind': 'run', 'cases': [
        {'id': 'a/b', 'verdict': 'fail', 'failed_step': 3, 'steps': None, 'packets': [nul_pkt], 'rfc': None,
         'findings': [{'id': None, 'level': None, 'packet': None}]},
        {'id': None, 'verdict': None},
        {'id': 'c/d', 'verdict': 'error', 'failed_step': 1, 'steps': [{'kind': 'send'}], 'packets': []}]}
    analyze = {'schema': 'tcpspec-report/1', 'kind': 'analyze', 'summary': None, 'limits': None, 'connections': [
        {'conn': 1, 'endpoints': None, 'stats': None, 'findings_by_level': None,
         'packets': [dict(nul_pkt, wnd=None, sack=[[None, 5]])], 'findings': None},
        {'conn': 2, 'endpoints': {'ip': 6, 'src': '2001:db8::2', 'sport': None, 'dst': None, 'dport': 80},
         'stats': {'orig': None, 'resp': {'packets': 3}}, 'packets': [
             {'num': 1, 't': 0.5, 'dir': 0, 'flags': 'S', 'seq': 0, 'len': 0, 'win': 0, 'wnd': None},
             {'num': 2, 't': 0.5, 'dir': 1, 'flags': 'SA', 'seq': 0, 'ack': 1, 'len': 0, 'win': 0, 'wnd': 0}]},
        None]}
    matrix = {'schema': 'tcpspec-report/1', 'kind': 'matrix', 'matrix': {'targets': ['x', 'y'], 'cases': [
        {'id': 'a', 'cells': {'x': {'verdict': 'pass'}}}, {'id': 'b', 'cells': None}]}}
    return {'sparse-run': run, 'sparse-analyze': analyze, 'sparse-matrix': matrix,
            'minimal-run': {'schema': 'tcpspec-report/1', 'kind': 'run'},
            'minimal-analyze': {'schema': 'tcpspec-report/1', 'kind': 'analyze'},
            'minimal-matrix': {'schema': 'tcpspec-report/1', 'kind': 'matrix'}}


def matrix_doc():
    targets = ['linux', 'linux-nots']
    ids = [c['id'] for c in run_doc()['cases']]
    verd = {'linux': ['pass', 'fail', 'fail', 'error', 'xfail'],
            'linux-nots': ['pass', 'pass', 'fail', 'pass', 'xpass']}
    cases = []
    for k, cid in enumerate(ids):
        cells = {}
        for t in targets:
            cells[t] = {'verdict': verd[t][k], 'reason': '' if verd[t][k] == 'pass' else 'reason <b>%d</b>' % k,
                        'report': '%s.html#case-%s' % (t, cid)}
        cases.append({'id': cid, 'title': 'case %d' % k, 'cells': cells})
    cases.append({'id': 'evil/link', 'title': 'a cell whose link is javascript:',
                  'cells': {'linux': {'verdict': 'pass', 'reason': '', 'report': 'java\tscript:window.__pwned_link=1'},
                            'linux-nots': {'verdict': 'fail', 'reason': 'x', 'report': 'javascript:window.__pwned_link=1'}}})
    return {
        'schema': 'tcpspec-report/1', 'kind': 'matrix', 'tool': {'name': 'tcpspec', 'version': '0.1.0'},
        'created': '2026-11-21T17:40:00Z', 'target': None, 'inputs': ['linux.json', 'linux-nots.json'],
        'summary': {'cases': 12, 'passed': 5, 'failed': 4, 'errors': 1, 'xfail': 1, 'xpass': 1,
                    'by_area': {'handshake': counts(passed=3, failed=3), 'checksum': counts(passed=1, errors=1),
                                'data': counts(xfail=1, xpass=1), 'evil': counts(passed=1, failed=1)},
                    'by_rfc': {}, 'by_level': {}, 'connections': 0,
                    'findings': {'MUST': 0, 'SHOULD': 0, 'MAY': 0, 'ANALYSIS': 0}},
        'cases': [], 'connections': [],
        'limits': {'packets_per_item': 5000, 'detailed_connections': 10000, 'findings_per_item': 1000,
                   'truncated': {'packets': 0, 'connections': 0, 'findings': 0}},
        'matrix': {'targets': targets, 'cases': cases},
    }


# ---------------------------------------------------------------- writing

def write_page(doc, name):
    src = os.path.join(PAGES, name + '.json')
    dst = os.path.join(PAGES, name + '.html')
    with open(src, 'w', encoding='utf-8') as f:
        json.dump(doc, f, ensure_ascii=False)
    r = subprocess.run([HTML_WRITE, src, dst], capture_output=True, text=True)
    check(r.returncode == 0, '%s: html_write exit %d: %s' % (name, r.returncode, r.stderr.strip()))
    return dst


def static_checks(path, doc):
    raw = open(path, 'rb').read()
    text = raw.decode('utf-8')
    name = os.path.basename(path)
    check(text.lower().count('<script') == 2, name + ': exactly two <script> elements (data, code)')
    check(text.lower().count('</script') == 2, name + ': exactly two </script> end tags')
    check('\u2028'.encode() not in raw and '\u2029'.encode() not in raw, name + ': no raw U+2028/2029')
    start = text.index('id="report-data">') + len('id="report-data">')
    data = text[start:text.index('</script>', start)]
    check('<' not in data and '>' not in data and '&' not in data, name + ': no < > & in the embedded JSON')
    check(json.loads(data) == doc, name + ': the embedded JSON is the document')
    check('http-equiv="Content-Security-Policy"' in text and "default-src 'none'" in text,
          name + ': Content-Security-Policy blocks every load')
    page = text[:start] + text[start + len(data):]
    for bad in (' src=', '<link rel="stylesheet"', '@import', 'url(http', 'url(//', '<iframe', '<img'):
        check(bad not in page, name + ': no external resource (%r)' % bad)
    return len(raw)


def writer_errors():
    bad = os.path.join(PAGES, 'bad.json')
    for doc, why in (({'schema': 'tcpspec-report/2', 'kind': 'run'}, 'schema'),
                     ({'schema': 'tcpspec-report/1', 'kind': 'nope'}, 'kind'),
                     ([1, 2], 'object')):
        with open(bad, 'w') as f:
            json.dump(doc, f)
        out = os.path.join(PAGES, 'bad.html')
        r = subprocess.run([HTML_WRITE, bad, out], capture_output=True, text=True)
        check(r.returncode == 1 and why in r.stderr and not os.path.exists(out),
              'html_write rejects a report with a bad %s (%d: %s)' % (why, r.returncode, r.stderr.strip()))
    r = subprocess.run([HTML_WRITE, os.path.join(PAGES, 'run.json'), '-'], capture_output=True)
    check(r.returncode == 0 and r.stdout == open(os.path.join(PAGES, 'run.html'), 'rb').read(),
          'html_write - writes the same page to standard output')
    check(not [n for n in os.listdir(PAGES) if '.tmp.' in n], 'no temporary file is left beside the pages')
    r = subprocess.run([HTML_WRITE, os.path.join(PAGES, 'run.json'), '/nonexistent-dir/x.html'],
                       capture_output=True, text=True)
    check(r.returncode == 1 and '/nonexistent-dir/x.html' in r.stderr,
          'html_write names the path it cannot write (%s)' % r.stderr.strip())


# ---------------------------------------------------------------- browser

class Browser:
    """Headless Chromium over --remote-debugging-pipe (fd 3: commands in,
    fd 4: replies and events out, messages ended by NUL)."""

    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix='tcpspec-html-chromium-')
        to_r, self.to_w = os.pipe()
        self.from_r, from_w = os.pipe()

        def child_fds():
            # via fresh copies: dup2(3, 3) would keep close-on-exec
            a, b = os.dup(to_r), os.dup(from_w)
            os.dup2(a, 3)
            os.dup2(b, 4)

        args = [CHROMIUM, '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
                '--disable-background-networking', '--disable-component-update', '--disable-sync',
                '--user-data-dir=' + self.profile, '--remote-debugging-pipe', 'about:blank']
        self.log = open(os.path.join(OUT, 'chromium.log'), 'wb')
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log,
                                     preexec_fn=child_fds, pass_fds=(3, 4))
        os.close(to_r)
        os.close(from_w)
        self.buf = b''
        self.next_id = 0
        self.events = []

    def _read_msg(self, deadline):
        while b'\0' not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError('chromium did not answer')
            r, _, _ = select.select([self.from_r], [], [], left)
            if r:
                chunk = os.read(self.from_r, 1 << 20)
                if not chunk:
                    raise RuntimeError('chromium closed the pipe (see %s)' % self.log.name)
                self.buf += chunk
        msg, self.buf = self.buf.split(b'\0', 1)
        return json.loads(msg)

    def send(self, method, params=None, session=None, timeout=60):
        self.next_id += 1
        msg = {'id': self.next_id, 'method': method, 'params': params or {}}
        if session:
            msg['sessionId'] = session
        data = json.dumps(msg).encode() + b'\0'
        while data:
            data = data[os.write(self.to_w, data):]
        deadline = time.monotonic() + timeout
        while True:
            m = self._read_msg(deadline)
            if m.get('id') == self.next_id:
                if 'error' in m:
                    raise RuntimeError('%s: %s' % (method, m['error']))
                return m.get('result', {})
            self.on_event(m)

    def on_event(self, m):
        if 'method' not in m:
            return
        self.events.append(m)
        if m['method'] == 'Page.javascriptDialogOpening':
            # never leave a dialog open (it would block the page); it is a failure anyway
            self.send('Page.handleJavaScriptDialog', {'accept': False}, m.get('sessionId'))

    def wait_event(self, method, session, timeout=60):
        deadline = time.monotonic() + timeout
        for k, m in enumerate(self.events):
            if m['method'] == method and m.get('sessionId') == session:
                del self.events[k]
                return m
        while True:
            m = self._read_msg(deadline)
            if m.get('method') == method and m.get('sessionId') == session:
                return m
            self.on_event(m)

    def close(self):
        try:
            self.send('Browser.close', timeout=10)
        except Exception:
            pass
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()
        shutil.rmtree(self.profile, ignore_errors=True)


class Page:
    def __init__(self, br, width=1400, height=1000):
        self.br = br
        tid = br.send('Target.createTarget', {'url': 'about:blank'})['targetId']
        self.tid = tid
        self.sid = br.send('Target.attachToTarget', {'targetId': tid, 'flatten': True})['sessionId']
        for dom in ('Page.enable', 'Runtime.enable', 'Log.enable', 'Network.enable'):
            self.cmd(dom)
        self.cmd('Emulation.setDeviceMetricsOverride', {'width': width, 'height': height,
                                                        'deviceScaleFactor': 1, 'mobile': False})

    def cmd(self, method, params=None, timeout=60):
        return self.br.send(method, params, self.sid, timeout)

    def load(self, url):
        # from about:blank, so that a URL differing only in its fragment
        # still loads a new document
        self.cmd('Page.navigate', {'url': 'about:blank'})
        self.js('0')
        self.br.events = [m for m in self.br.events if m.get('sessionId') != self.sid]
        self.cmd('Page.navigate', {'url': url})
        self.br.wait_event('Page.loadEventFired', self.sid, 60)
        self.wait_for('document.body && document.body.dataset.rendered')

    def js(self, expr, timeout=60):
        r = self.cmd('Runtime.evaluate', {'expression': expr, 'returnByValue': True, 'awaitPromise': True},
                     timeout)
        if 'exceptionDetails' in r:
            raise RuntimeError('evaluate %r: %s' % (expr[:80], json.dumps(r['exceptionDetails'])[:400]))
        return r['result'].get('value')

    def wait_for(self, expr, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.js(expr):
                return True
            time.sleep(0.05)
        raise TimeoutError('waiting for ' + expr)

    def problems(self):
        """Console errors and warnings, exceptions, dialogs and requests
        other than the page's own file, seen on this page so far."""
        self.js('0')  # flush pending events
        out = []
        for m in self.br.events:
            if m.get('sessionId') != self.sid:
                continue
            meth, p = m['method'], m.get('params', {})
            if meth == 'Runtime.consoleAPICalled' and p.get('type') in ('error', 'warning', 'assert'):
                out.append('console.%s: %s' % (p['type'], ' '.join(str(a.get('value', a.get('description')))
                                                                 for a in p.get('args', []))))
            elif meth == 'Runtime.exceptionThrown':
                out.append('exception: ' + json.dumps(p.get('exceptionDetails'))[:500])
            elif meth == 'Log.entryAdded' and p['entry'].get('level') in ('error', 'warning'):
                out.append('log %s: %s' % (p['entry']['level'], p['entry'].get('text')))
            elif meth == 'Page.javascriptDialogOpening':
                out.append('dialog: %s %s' % (p.get('type'), p.get('message')))
            elif meth == 'Network.requestWillBeSent':
                url = p['request']['url']
                if not url.startswith('file://') and not url.startswith('data:'):
                    out.append('request: ' + url)
        return out

    def screenshot(self, path, selector=None, max_h=3000):
        """The viewport, or the element `selector` (scrolled into view) and
        what is under it, at most max_h pixels tall."""
        if selector:
            rect = self.js('(function(){var e=document.querySelector(%s); e.scrollIntoView({block:"start"});'
                           'var r=e.getBoundingClientRect(); return [r.left+scrollX, r.top+scrollY, r.width, r.height];})()'
                           % json.dumps(selector))
            x, y, w, hgt = rect
            clip = {'x': 0, 'y': max(0, y - 8), 'width': 1400, 'height': min(max_h, hgt + 16), 'scale': 1}
            r = self.cmd('Page.captureScreenshot', {'format': 'png', 'clip': clip, 'captureBeyondViewport': True})
        else:
            self.js('scrollTo(0, 0)')
            r = self.cmd('Page.captureScreenshot', {'format': 'png'})
        with open(path, 'wb') as f:
            f.write(base64.b64decode(r['data']))
        print('html-browser: screenshot %s' % path, flush=True)

    def close(self):
        self.br.send('Target.closeTarget', {'targetId': self.tid})


SENTINELS = ('__pwned_reason', '__pwned_file', '__pwned_title', '__pwned_opt', '__pwned_f', '__pwned_conn',
             '__pwned_input', '__pwned_link')


def no_injection(pg, name):
    for s in SENTINELS:
        check(pg.js('typeof window.%s' % s) == 'undefined', '%s: injected script %s did not run' % (name, s))
    check(pg.js('document.querySelectorAll("img, iframe, object, embed, main script").length') == 0,
          name + ': no element injected by the data')


def url(path, frag=''):
    return 'file://' + path + frag


def test_run(br, path, doc):
    pg = Page(br)
    pg.load(url(path))
    name = 'run'
    pg.screenshot(os.path.join(SHOTS, 'run-summary.png'))
    check(pg.js('document.title').startswith('tcpspec conformance run'), name + ': title')
    tiles = pg.js('[...document.querySelectorAll("#summary .tile")].map(t => t.textContent)')
    check(tiles[:6] == ['5cases', '1passed', '2failed', '1errors', '1expected failures', '0unexpected passes'],
          name + ': verdict tiles %r' % tiles[:6])
    areas = pg.js('[...document.querySelectorAll("#summary table")].length')
    check(areas >= 3, name + ': tables by area, RFC and level (%d tables)' % areas)
    check(pg.js('document.querySelector("#summary a[href=\\"https://www.rfc-editor.org/rfc/rfc9293#section-3.10.7.2\\"]") != null'),
          name + ': by-RFC table links the RFC section')
    # the failing case opened by itself, its ladder drawn, the failing packet marked
    fid = 'case-handshake/syn-answered-by-rst'
    check(pg.js('document.getElementById(%s).classList.contains("open")' % json.dumps(fid)),
          name + ': the first failing case is open at load')
    check(pg.js('document.querySelectorAll("tr.detail").length') == 1, name + ': only that case is rendered')
    check(pg.js('document.getElementById(%s).classList.contains("fail")' % json.dumps(fid + '-pkt-2')),
          name + ': the failing step\'s packet (#2) is highlighted')
    why = pg.js('[...document.getElementById(%s).querySelectorAll(".lad-why")].map(e => e.textContent).join(" ")'
                % json.dumps(fid + '-pkt-2'))
    check('step 2' in why and 'window.__pwned_reason=1;alert(1)' in why,
          name + ': the reason is written beside the failing packet (%r)' % why[:120])
    lbl = pg.js('document.getElementById(%s).querySelector(".lad-lbl").textContent' % json.dumps(fid + '-pkt-2'))
    check(lbl == 'RA seq=0 ack=1 win=0 len=0', name + ': packet label %r' % lbl)
    check(pg.js('document.getElementById(%s).querySelector(".lad-opt").textContent' % json.dumps(fid + '-pkt-2'))
          == '<svg onload=window.__pwned_opt=1>', name + ': options with markup shown as text')
    check(pg.js('document.querySelector(".steps li.failed").textContent').startswith('2.expect'),
          name + ': the failing step is highlighted in the step list')
    reason = pg.js('document.querySelector(".reason.fail").textContent')
    check(reason == XSS_REASON, name + ': the reason with <script> is shown as text')
    check(pg.js('[...document.querySelectorAll("dd code")].some(e => e.textContent == %s)'
                % json.dumps(XSS_FILE + ':1')), name + ': the file name with markup is shown as text')
    check(pg.js('document.querySelector("tr.detail h3").textContent').endswith(XSS_TITLE),
          name + ': the title with </script> is shown as text')
    check(pg.js('document.querySelector("#case-handshake\\\\/syn-answered-by-rst .ellipsis").textContent') == XSS_TITLE,
          name + ': title in the case list')
    # the case's findings table: RFC link and a link to the packet
    check(pg.js('document.querySelector(".findings a[href=\\"https://www.rfc-editor.org/rfc/rfc9293#section-3.1\\"]") != null'),
          name + ': the finding links RFC 9293 section 3.1')
    pg.js('document.querySelector(".findings a[href=\\"#%s-pkt-2\\"]").click()' % fid)
    check(pg.js('document.getElementById(%s).classList.contains("target")' % json.dumps(fid + '-pkt-2')),
          name + ': the finding\'s packet link marks packet 2 in the ladder')
    no_injection(pg, name)
    pg.screenshot(os.path.join(SHOTS, 'run-failing-case.png'), 'tr.detail', 1400)

    # a timeout: the expected segment is drawn where it should have come
    pg.js('location.hash = "#case-handshake/timeout"')
    pg.wait_for('document.getElementById("case-handshake/timeout-missing") != null')
    miss = pg.js('(function(){var g=document.getElementById("case-handshake/timeout-missing");'
                 'return [g.getAttribute("class"), g.textContent];})()')
    check('missing' in miss[0] and 'not seen' in miss[1] and 'no segment within 1s' in miss[1],
          name + ': timeout: a dashed expected segment with the reason (%r)' % miss)
    # the packet order: #1 then the missing SYN-ACK
    order = pg.js('[...document.querySelector("[id=\\"case-handshake/timeout-missing\\"]").parentNode'
                  '.querySelectorAll("g.lad-row")].map(g => g.id)')
    check(order == ['case-handshake/timeout-pkt-1', 'case-handshake/timeout-missing'],
          name + ': the missing segment comes after step 1\'s packet (%r)' % order)
    pg.screenshot(os.path.join(SHOTS, 'run-timeout.png'), '[id="case-handshake/timeout"] + tr.detail', 900)
    # expect_none that saw a packet: that packet is marked
    pg.js('location.hash = "#case-data/data-acked"')
    pg.wait_for('document.getElementById("case-data/data-acked-pkt-4") != null')
    check(pg.js('document.getElementById("case-data/data-acked-pkt-4").classList.contains("fail")'),
          name + ': expect_none: the packet that came is marked')
    check(pg.js('document.getElementById("case-data/data-acked-pkt-3").classList.contains("badcsum")'),
          name + ': a bad checksum is marked')
    # filters: verdict tile -> only the failures
    pg.js('[...document.querySelectorAll("#summary .tile")][2].click()')
    n = pg.js('document.querySelectorAll("#cases > .plist > table > tbody > tr:not(.detail)").length')
    check(n == 2, name + ': the "failed" tile filters the list to 2 cases (%d)' % n)
    pg.js('(function(){var q=document.querySelector("#cases input[type=search]"); '
          'document.querySelector("#cases select").value=""; q.value="checksum"; '
          'q.dispatchEvent(new Event("input"));})()')
    time.sleep(0.4)
    ids = pg.js('[...document.querySelectorAll("#cases > .plist > table > tbody > tr:not(.detail)")].map(r => r.id)')
    check(ids == ['case-checksum/bad-checksum-dropped'], name + ': text filter (%r)' % ids)
    # the document survives the round trip
    back = pg.js('JSON.parse(document.getElementById("report-data").textContent)')
    check(back == doc, name + ': the embedded JSON parses back to the document')
    no_injection(pg, name)
    probs = pg.problems()
    check(not probs, name + ': no console errors, dialogs or requests: %r' % probs)
    pg.close()


def test_analyze(br, path, doc, size):
    pg = Page(br)
    name = 'analyze-10k'
    loads = []
    for k in range(3):
        pg.load(url(path))
        m = pg.js('({render: +document.body.dataset.renderMs, parse: +document.body.dataset.parseMs})')
        pg.wait_for('document.body.dataset.paintMs')
        m['paint'] = float(pg.js('document.body.dataset.paintMs'))
        loads.append(m)
    render = statistics.median(x['render'] for x in loads)
    paint = statistics.median(x['paint'] for x in loads)
    print('html-browser: analyze report, %d connections, %.1f MB: JSON.parse %s ms; first view drawn %s ms '
          'after navigation start (median %.0f ms); painted %s ms (median %.0f ms); budget 3000 ms'
          % (len(doc['connections']), size / 1e6, '/'.join('%.0f' % x['parse'] for x in loads),
             '/'.join('%.0f' % x['render'] for x in loads), render,
             '/'.join('%.0f' % x['paint'] for x in loads), paint), flush=True)
    check(render < 3000, name + ': drawn in under 3 s (median %.0f ms)' % render)
    check(paint < 3000, name + ': painted in under 3 s (median %.0f ms)' % paint)

    rows = pg.js('document.querySelectorAll("#connections > .plist > table > tbody > tr").length')
    check(rows == 100, name + ': one page of 100 connections at load (%d rows)' % rows)
    nodes = pg.js('document.getElementsByTagName("*").length')
    print('html-browser: analyze report at load: %d DOM elements' % nodes, flush=True)
    check(nodes < 4000, name + ': the DOM is not built for every connection (%d elements)' % nodes)
    pager = pg.js('document.querySelector("#connections .pager .count").textContent')
    check(pager == 'showing 1\u2013100 of 10,000', name + ': pager %r' % pager)
    notices = pg.js('[...document.querySelectorAll("#notices .notice")].map(e => e.textContent)')
    check(any('2,400 packets not shown' in t for t in notices), name + ': truncation notice %r' % notices)
    tiles = pg.js('[...document.querySelectorAll("#summary .tile")].map(t => t.textContent)')
    lv = doc['summary']['findings']
    want = ['10,000connections'] + ['%s%s findings' % ('{:,}'.format(lv[l]), l) for l in ('MUST', 'SHOULD', 'MAY', 'ANALYSIS')]
    check(tiles == want, name + ': tiles %r' % tiles)
    check(pg.js('document.querySelector("header code").textContent').startswith('captures/<script>'),
          name + ': input file name with markup shown as text')
    # filter box: the connections of one address
    t0 = time.monotonic()
    pg.js('(function(){var q=document.querySelector("#connections input[type=search]");'
          'q.value="192.0.2.17:"; q.dispatchEvent(new Event("input"));})()')
    pg.wait_for('document.querySelector("#connections .pager .count").textContent.indexOf("filtered") >= 0')
    cnt = pg.js('document.querySelector("#connections .pager .count").textContent')
    want_n = sum(1 for c in doc['connections'] if c['endpoints']['src'] == '192.0.2.17')
    check(cnt.startswith('showing 1\u2013%d of %d (filtered from 10,000)' % (min(100, want_n), want_n)),
          name + ': filter by address: %r (%d expected)' % (cnt, want_n))
    print('html-browser: filter over 10,000 connections answered in %.0f ms (with 150 ms debounce)'
          % ((time.monotonic() - t0) * 1000), flush=True)
    # the MUST tile: connections with MUST findings
    pg.js('[...document.querySelectorAll("#summary .tile")][1].click()')
    cnt = pg.js('document.querySelector("#connections .pager .count").textContent')
    want_n = sum(1 for c in doc['connections'] if c['findings_by_level']['MUST'])
    check(('of %d (filtered' % want_n) in cnt, name + ': MUST tile filters: %r' % cnt)
    # sort by packets, descending: the big connection first
    pg.js('[...document.querySelectorAll("#connections th")].find(t => t.textContent == "packets").click()')
    first = pg.js('document.querySelector("#connections > .plist > table > tbody > tr").id')
    check(first == 'conn-1', name + ': sort by packets puts the long connection first (%r)' % first)
    # paging
    pg.js('document.querySelector("#summary .tile").click()')
    pg.js('[...document.querySelectorAll("#connections .pager button")].find(b => b.textContent.startsWith("next")).click()')
    cnt = pg.js('document.querySelector("#connections .pager .count").textContent')
    check(cnt == 'showing 101\u2013200 of 10,000', name + ': next page %r' % cnt)

    # open the big connection: time it
    ms = pg.js('(function(){var t=performance.now(); location.hash="#conn-1"; '
               'return new Promise(function(r){(function poll(){'
               'if (document.getElementById("conn-1-pkt-1")) r(performance.now()-t);'
               'else if (performance.now()-t > 10000) r(-1); else setTimeout(poll, 0);})();});})()')
    check(ms is not None and ms >= 0, name + ': #conn-1 opens the connection')
    print('html-browser: connection 1 (5,000 packets in the report) opened in %.0f ms '
          '(time-sequence graph, ladder of 150 packets, statistics, findings)' % ms, flush=True)
    check(ms < 1500, name + ': a 5,000-packet connection opens in under 1.5 s (%.0f ms)' % ms)
    det = 'tr.open + tr.detail'
    for cls in ('tsg-data', 'tsg-retx', 'tsg-ack', 'tsg-win', 'tsg-sack', 'tsg-zw'):
        d = pg.js('(function(){var e=document.querySelector("%s .%s"); return e ? e.getAttribute("d").length : 0;})()'
                  % (det, cls))
        check(d > 20, name + ': time-sequence graph draws %s (%d chars of path)' % (cls, d))
    rlabels = pg.js('document.querySelectorAll("%s .tsg-retx-l").length' % det)
    check(rlabels > 0, name + ': retransmissions marked R (%d)' % rlabels)
    zl = pg.js('document.querySelectorAll("%s .tsg-zw-l").length' % det)
    check(zl > 0, name + ': zero windows marked Z (%d)' % zl)
    lrows = pg.js('document.querySelectorAll("%s g.lad-row").length' % det)
    check(lrows == 150, name + ': the ladder draws the first 150 packets (%d)' % lrows)
    trunc = pg.js('[...document.querySelectorAll("%s .notice")].map(e => e.textContent).join(" ")' % det)
    check('2,400 packets not shown' in trunc, name + ': per-connection truncation notice %r' % trunc)
    stats = pg.js('[...document.querySelectorAll("%s table")][0].textContent' % det)
    check('retrans packets' in stats and 'rtt.avg' in stats, name + ': per-direction statistics table')
    hist = pg.js('[...document.querySelectorAll("%s dd code")].map(e => e.textContent)' % det)
    check('SF' in hist and 'ShADadTtWwFf' in hist, name + ': conn_state and history %r' % hist)
    pg.screenshot(os.path.join(SHOTS, 'analyze-connection.png'), det, 2400)
    # a finding far beyond the first ladder window: its link shows the packet
    pg.js('document.querySelector("%s .findings a[href=\\"#conn-1-pkt-4321\\"]").click()' % det)
    check(pg.js('(function(){var g=document.getElementById("conn-1-pkt-4321"); '
                'return g != null && g.classList.contains("target");})()'),
          name + ': the finding\'s link moves the ladder to packet 4321 and marks it')
    check(pg.js('location.hash') == '#conn-1-pkt-4321', name + ': the packet has an anchor in the URL')
    # findings filter by level and id
    total = pg.js('document.querySelectorAll("%s .findings tbody tr").length' % det)
    pg.js('(function(){var cb=[...document.querySelectorAll("%s .findings label")].find(l => l.textContent.indexOf("ANALYSIS") >= 0)'
          '.querySelector("input"); cb.checked=false; cb.dispatchEvent(new Event("change"));})()' % det)
    left = pg.js('[...document.querySelectorAll("%s .findings tbody tr")].map(r => r.querySelector("code").textContent)' % det)
    check(total > 2 and sorted(left) == ['RST-IN-WINDOW-NOT-CHALLENGED', 'WINDOW-SHRUNK'],
          name + ': unticking ANALYSIS leaves the MUST and SHOULD findings (%r of %d)' % (left, total))
    pg.js('(function(){var s=document.querySelector("%s .findings select"); s.value="WINDOW-SHRUNK";'
          's.dispatchEvent(new Event("change"));})()' % det)
    left = pg.js('[...document.querySelectorAll("%s .findings tbody tr")].map(r => r.querySelector("code").textContent)' % det)
    check(left == ['WINDOW-SHRUNK'], name + ': the id filter (%r)' % left)
    # the graph: drag to zoom, then reset
    before = pg.js('[...document.querySelectorAll("%s .tsg-tick")].map(e => e.textContent).join(" ")' % det)
    # twice, a box around the first retransmission's R (as a person zooms in)
    for _ in range(2):
        pg.js('(function(){var s=document.querySelector("%s .tsg-box svg"), r=s.getBoundingClientRect();'
              'var R=s.querySelector(".tsg-retx-l"), x=+R.getAttribute("x"), y=+R.getAttribute("y");'
              'function ev(t,x,y){s.dispatchEvent(new MouseEvent(t,{clientX:r.left+x,clientY:r.top+y,bubbles:true}));}'
              'ev("mousedown",x-20,y-14); ev("mousemove",x+14,y+22); ev("mouseup",x+14,y+22);})()' % det)
    after = pg.js('[...document.querySelectorAll("%s .tsg-tick")].map(e => e.textContent).join(" ")' % det)
    check(after != before, name + ': dragging a box zooms the graph (axes %r -> %r)' % (before[:60], after[:60]))
    pg.screenshot(os.path.join(SHOTS, 'analyze-graph-zoomed.png'), det + ' .tsg', 600)
    pg.js('[...document.querySelectorAll("%s .tabs button")].find(b => b.textContent == "reset zoom").click()' % det)
    # the other direction
    pg.js('[...document.querySelectorAll("%s .tabs button")][1].click()' % det)
    check(pg.js('document.querySelector("%s .tsg-ack") != null' % det), name + ': B -> A graph draws')
    no_injection(pg, name)
    probs = pg.problems()
    check(not probs, name + ': no console errors, dialogs or requests: %r' % probs[:5])
    # the summary as a person sees it first
    pg.load(url(path))
    pg.screenshot(os.path.join(SHOTS, 'analyze-summary.png'))
    pg.close()


def test_small_analyze(br, multi_path, one_path):
    pg = Page(br)
    name = 'analyze-inputs'
    pg.load(url(multi_path))
    ids = pg.js('[...document.querySelectorAll("#connections > .plist > table > tbody > tr")].map(r => r.id)')
    check(ids == ['conn-f1-1', 'conn-f1-2', 'conn-f2-1', 'conn-f2-2'],
          name + ': repeated conn ids get per-input anchors (%r)' % ids)
    heads = pg.js('[...document.querySelectorAll("#connections th")].map(t => t.textContent)')
    check('input' in heads, name + ': an input column with several inputs')
    pg.js('location.hash = "#conn-f2-1"')
    pg.wait_for('document.getElementById("conn-f2-1-pkt-1") != null')
    check(pg.js('document.querySelector("tr.open").id') == 'conn-f2-1', name + ': #conn-f2-1 opens that connection')
    check(pg.js('[...document.querySelectorAll("tr.detail dd code")].some(e => e.textContent == "b.pcap")'),
          name + ': the detail names its input')
    # wnd null everywhere: no window line, the rest is drawn
    pg.js('location.hash = "#conn-f1-2"')
    pg.wait_for('document.getElementById("conn-f1-2-pkt-1") != null')
    det = '[id="conn-f1-2"] + tr.detail'
    check(pg.js('document.querySelector(%s).querySelector(".tsg-win") == null' % json.dumps(det)) and
          pg.js('document.querySelector(%s).querySelector(".tsg-ack") != null' % json.dumps(det)),
          name + ': no window line where wnd is null; the ACK line is drawn')
    pg.js('location.hash = "#conn-f2-2"')
    pg.wait_for('document.querySelector(\'[id="conn-f2-2"] + tr.detail\') != null')
    txt = pg.js('document.querySelector(\'[id="conn-f2-2"] + tr.detail\').textContent')
    check('Nothing to draw' in txt and 'No packets in the report' in txt,
          name + ': a connection without packets says so')
    probs = pg.problems()
    check(not probs, name + ': no console errors: %r' % probs)
    pg.load(url(one_path))
    check(pg.js('document.querySelectorAll("tr.open").length') == 1,
          'analyze-one: a report with one connection opens it')
    pg.screenshot(os.path.join(SHOTS, 'analyze-one-connection.png'), 'tr.detail', 2200)
    probs = pg.problems()
    check(not probs, 'analyze-one: no console errors: %r' % probs)
    pg.close()


def test_sparse(br, paths):
    pg = Page(br)
    for name, path in paths.items():
        pg.load(url(path))
        # open every row of every list, twice over (open, close, open)
        n = pg.js('(function(){var rows=[...document.querySelectorAll("tr.clickable")].filter(r => !r.closest("#summary"));'
                  'rows.forEach(r => r.click()); return rows.length;})()')
        pg.js('[...document.querySelectorAll("section:not(#summary) tr.clickable")].forEach(r => r.click())')
        pg.js('[...document.querySelectorAll("section:not(#summary) tr.clickable:not(.open)")].forEach(r => r.click())')
        fatal = pg.js('(document.querySelector(".fatal") || {}).textContent || ""')
        check(not fatal, '%s: drawn (%s)' % (name, fatal))
        probs = pg.problems()
        check(not probs, '%s: %d rows opened, no console errors: %r' % (name, n, probs))
    pg.close()


def test_matrix(br, path, run_path, doc):
    pg = Page(br)
    name = 'matrix'
    pg.load(url(path))
    rows = pg.js('document.querySelectorAll("#matrix tbody tr").length')
    check(rows == len(doc['matrix']['cases']), name + ': one row per case (%d)' % rows)
    hrefs = pg.js('[...document.querySelectorAll("#matrix td.cell a")].map(a => a.getAttribute("href"))')
    check('linux.html#case-handshake/syn-answered-by-rst' in hrefs and
          'linux-nots.html#case-handshake/timeout' in hrefs, name + ': cells link to the target reports')
    check(not any('script' in h for h in hrefs), name + ': javascript: links are not made (%r)' % hrefs)
    diff = pg.js('document.querySelectorAll("#matrix tr.differs").length')
    check(diff == 4, name + ': 4 cases differ between targets (%d)' % diff)
    by_target = pg.js('[...document.querySelectorAll("#summary h3")].find(h => h.textContent == "By target")'
                      '.parentNode.querySelectorAll("tbody tr").length')
    check(by_target == 2, name + ': a summary row per target (%r)' % by_target)
    pg.screenshot(os.path.join(SHOTS, 'matrix.png'))
    pg.js('[...document.querySelectorAll("#summary tr.clickable")].find(r => r.textContent.startsWith("checksum")).click()')
    shown = pg.js('[...document.querySelectorAll("#matrix tbody tr")].map(r => r.id)')
    check(shown == ['matrix-checksum/bad-checksum-dropped'], name + ': the by-area row filters the matrix (%r)' % shown)
    pg.js('(function(){var q=document.querySelector("#matrix input[type=search]"); q.value="";'
          'q.dispatchEvent(new Event("input"));})()')
    pg.wait_for('document.querySelectorAll("#matrix tbody tr").length == %d' % len(doc['matrix']['cases']))
    no_injection(pg, name)
    probs = pg.problems()
    check(not probs, name + ': no console errors, dialogs or requests: %r' % probs)
    # following a cell: the target's report opens at the case's ladder
    pg.js('document.querySelector("#matrix td.cell a[href=\\"linux.html#case-handshake/timeout\\"]").click()')
    pg.br.wait_event('Page.loadEventFired', pg.sid, 30)
    pg.wait_for('document.body && document.body.dataset.rendered')
    check(pg.js('location.pathname').endswith('/linux.html'), name + ': the cell opened linux.html')
    check(pg.js('document.getElementById("case-handshake/timeout").classList.contains("open")'),
          name + ': linux.html#case-handshake/timeout opens that case')
    check(pg.js('document.getElementById("case-handshake/timeout-missing") != null'),
          name + ': and draws its ladder')
    probs = pg.problems()
    check(not probs, name + ': no console errors after following the link: %r' % probs)
    pg.close()


def main():
    os.makedirs(SHOTS, exist_ok=True)
    os.makedirs(PAGES, exist_ok=True)
    rdoc, adoc, mdoc = run_doc(), analyze_doc(), matrix_doc()
    run_path = write_page(rdoc, 'run')
    write_page(run_doc('linux'), 'linux')
    write_page(run_doc('linux-nots'), 'linux-nots')
    t = time.monotonic()
    an_path = write_page(adoc, 'analyze')
    os.unlink(os.path.join(PAGES, 'analyze.json'))  # 30 MB; the page holds it
    print('html-browser: html_write wrote the 10,000-connection page in %.2f s (JSON load included)'
          % (time.monotonic() - t), flush=True)
    mx_path = write_page(mdoc, 'matrix')
    multi_path = write_page(multi_doc(), 'analyze-inputs')
    one_path = write_page(one_doc(), 'analyze-one')
    sparse = {name: write_page(d, name) for name, d in sparse_docs().items()}
    if failures:
        return finish()
    static_checks(run_path, rdoc)
    size = static_checks(an_path, adoc)
    static_checks(mx_path, mdoc)
    writer_errors()

    if not os.path.exists(CHROMIUM):
        print('html-browser: %s not found; browser checks skipped (%d file checks passed, %d failed)'
              % (CHROMIUM, passed, len(failures)))
        sys.exit(1 if failures else 77)

    br = Browser()
    try:
        test_run(br, run_path, rdoc)
        test_analyze(br, an_path, adoc, size)
        test_small_analyze(br, multi_path, one_path)
        test_sparse(br, sparse)
        test_matrix(br, mx_path, os.path.join(PAGES, 'linux.html'), mdoc)
    finally:
        br.close()
    return finish()


def finish():
    print('html-browser: %d passed, %d failed' % (passed, len(failures)))
    for f in failures:
        print('  FAILED: ' + f)
    sys.exit(1 if failures else 0)


main()
