#!/usr/bin/env python3
"""Reports without root (docs/report-model.md): analyze --report-json and
--html on captures written here, report render (JUnit, HTML) and report
merge on synthetic run reports with hostile strings, error paths.

Every JSON report is validated against docs/report-schema.json (with
python3-jsonschema when it is installed, and always with the small
validator below), every JUnit file against tests/data/junit.xsd with
xmllint, and the field tables of docs/report-model.md are checked against
the schema. Run reports from real runs are checked by
tests/integration/test_run_linux.py (root)."""
import copy
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from reportcheck import ROOT, SCHEMA, schema_errors, junit_errors, validate  # noqa: E402

TCPSPEC = sys.argv[1]
MODEL = os.path.join(ROOT, 'docs', 'report-model.md')
failures = []
checks = 0


def check(cond, what):
    global checks
    checks += 1
    if not cond:
        failures.append(what)
        print('FAIL:', what)


def run(*args):
    p = subprocess.run([TCPSPEC, *args], capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def valid_report(path, what):
    try:
        doc = json.load(open(path))
    except (OSError, ValueError) as e:
        check(False, '%s: %s is JSON: %s' % (what, path, e))
        return None
    errs = schema_errors(doc)
    check(not errs, '%s: valid against docs/report-schema.json: %s' % (what, errs[:5]))
    return doc


def valid_junit(path, what):
    errs = junit_errors(path)
    check(not errs, '%s: JUnit valid against tests/data/junit.xsd: %s' % (what, errs[-500:]))
    return ET.parse(path).getroot()


# ---- the model page and the schema name the same fields ----

def model_tables():
    """{section: set(field)} from the first column of the model's tables."""
    out, sec = {}, None
    for line in open(MODEL):
        if line.startswith('## '):
            sec = line[3:].strip()
        elif sec and line.startswith('| `'):
            out.setdefault(sec, set()).update(re.findall(r'`(\w+)`', line.split('|')[1]))
    return out


def props(name):
    return set(SCHEMA['$defs'][name]['properties'])


tables = model_tables()
pairs = {
    'Top level': set(SCHEMA['properties']),
    '`summary`': props('summary'),
    '`cases[]` (run)': props('case'),
    '`connections[]` (analyze)': props('connection'),
    'Packets': props('packet'),
    'Findings': props('finding'),
    'Limits': set(SCHEMA['$defs']['limits']['properties']) - {'truncated'},
    'Matrix (`report merge`)': props('matrix') | {'cells'},
}
for sec, fields in pairs.items():
    doc = tables.get(sec, set())
    check(doc, 'docs/report-model.md has the section %r' % sec)
    # the summary table lists counters in one row; steps' fields are in a sentence
    check(doc <= fields, '%s: documented but not in the schema: %s' % (sec, doc - fields))
    check(fields <= doc, '%s: in the schema but not documented: %s' % (sec, fields - doc))

# ---- captures ----


def csum(data):
    if len(data) % 2:
        data += b'\0'
    s = sum(struct.unpack('!%dH' % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


def tcp_v4(src, dst, sport, dport, seq, ack, flags, win=65535, opts=b'', data=b'', bad=False,
           ihl=5):
    doff = (20 + len(opts)) // 4
    hdr = struct.pack('!HHIIBBHHH', sport, dport, seq, ack, doff << 4, flags, win, 0, 0)
    seg = hdr + opts + data
    c = csum(bytes(src) + bytes(dst) + struct.pack('!BBH', 0, 6, len(seg)) + seg)
    if bad:
        c ^= 0x5555
    seg = seg[:16] + struct.pack('!H', c) + seg[18:]
    ip = struct.pack('!BBHHHBBH4s4s', 0x40 | ihl, 0, 20 + len(seg), 1, 0x4000, 64, 6, 0,
                     bytes(src), bytes(dst))
    ip = ip[:10] + struct.pack('!H', csum(ip)) + ip[12:]
    return bytes.fromhex('020000000001020000000002') + b'\x08\x00' + ip + seg


def pcap(records):
    out = struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1)
    for t, frame in records:
        sec, usec = int(t), int(round((t - int(t)) * 1e6))
        out += struct.pack('<IIII', sec, usec, len(frame), len(frame)) + frame
    return out


C, S, CP, SP = [192, 0, 2, 2], [192, 0, 2, 1], 40000, 8080
A, SYN, SA, PA, FA = 0x10, 0x02, 0x12, 0x18, 0x11
WS7 = bytes([2, 4, 5, 0xb4, 1, 3, 3, 7])        # mss 1460, nop, wscale 7
WS2 = bytes([2, 4, 5, 0xb4, 1, 3, 3, 2])
SACKOK = bytes([4, 2, 1, 1])


def c2s(seq, ack, flags, **kw):
    return tcp_v4(C, S, CP, SP, seq, ack, flags, **kw)


def s2c(seq, ack, flags, **kw):
    return tcp_v4(S, C, SP, CP, seq, ack, flags, **kw)


def sack(l, r):
    return bytes([1, 1, 5, 10]) + struct.pack('!II', l, r)


T = 1000.0
conn = [
    (T + 0.000, c2s(1000, 0, SYN, opts=WS7 + SACKOK)),
    (T + 0.010, s2c(5000, 1001, SA, opts=WS2 + SACKOK)),
    (T + 0.020, c2s(1001, 5001, A, win=100)),
    (T + 0.030, c2s(1001, 5001, PA, data=b'a' * 100)),
    (T + 0.031, c2s(1201, 5001, PA, data=b'c' * 100)),
    (T + 0.041, s2c(5001, 1101, A, win=300, opts=sack(1201, 1301))),
    (T + 0.300, c2s(1101, 5001, PA, data=b'b' * 100)),
    (T + 0.301, c2s(1301, 5001, PA, data=b'd', bad=True)),   # MUST: bad checksum
    (T + 0.310, s2c(5001, 1301, A)),
    (T + 0.320, c2s(1301, 5001, FA)),
    (T + 0.330, s2c(5001, 1302, FA)),
    (T + 0.340, c2s(1302, 5002, A)),
    (T + 0.350, c2s(1, 1, A, ihl=4)),                         # IHL 4: on no connection
]

work = tempfile.mkdtemp(prefix='tcpspec-reports-')
try:
    cap = os.path.join(work, 'c.pcap')
    open(cap, 'wb').write(pcap(conn))

    # ---- analyze --report-json / --html ----
    rj, html = os.path.join(work, 'a.json'), os.path.join(work, 'a.html')
    rc, out, err = run('analyze', '--report-json', rj, '--html', html, cap)
    check(rc == 0, 'analyze with reports exits 0: %d %s' % (rc, err))
    check('conn 1' in out, 'the text output is unchanged by the report options')
    doc = valid_report(rj, 'analyze report')
    check(os.path.getsize(html) > 1000 and 'id="report-data"' in open(html).read(),
          'analyze --html writes the page with the report embedded')
    if doc:
        # the validators do catch a broken report
        bad = copy.deepcopy(doc)
        del bad['limits']
        bad['connections'][0]['packets'][0]['extra'] = 1
        bad['connections'][0]['packets'][1]['dir'] = 2
        errs = validate(bad, SCHEMA)
        check(len(errs) == 3 and len(schema_errors(bad)) >= 3, 'broken reports are caught: %r' % errs)
        check(doc['kind'] == 'analyze' and doc['target'] is None and doc['inputs'] == [cap],
              'analyze: kind, target, inputs: %r' % [doc['kind'], doc['target'], doc['inputs']])
        check(doc['outputs'] == {'json': rj, 'html': html, 'junit': None}, 'outputs: %r' % doc['outputs'])
        check(doc['summary']['connections'] == 1 and len(doc['connections']) == 1,
              'one connection: %r' % doc['summary'])
        c = doc['connections'][0]
        pk = c['packets']
        check(len(pk) == 12 and [p['num'] for p in pk] == list(range(1, 13)),
              'every packet of the connection, numbered as in the file: %r' % [p['num'] for p in pk])
        check(pk[0]['seq'] == 0 and pk[0]['ack'] is None and pk[1]['ack'] == 1 and pk[3]['seq'] == 1,
              'relative seq/ack, ack null on the SYN: %r' % [(p['seq'], p['ack']) for p in pk[:4]])
        check(pk[0]['wnd'] == 65535 and pk[2]['wnd'] == 100 << 7 and pk[5]['wnd'] == 300 << 2,
              'wnd scaled by each sender\'s shift after both SYNs: %r' % [p['wnd'] for p in pk[:6]])
        check(pk[5]['sack'] == [[201, 301]] and pk[0]['sack'] == [],
              'SACK blocks relative to the receiver\'s ISN: %r' % pk[5]['sack'])
        check('previous_segment_not_captured' in pk[4]['labels'] and 'retransmission' not in pk[3]['labels'],
              'analysis labels on packets: %r' % [p['labels'] for p in pk])
        check(pk[0]['options'] == 'mss 1460,nop,wscale 7,sackOK,nop,nop', 'options text: %r' % pk[0]['options'])
        check(pk[7]['csum'] == 'bad' and pk[0]['csum'] == 'ok', 'checksum verdicts')
        check(all(p['dir'] == (1 if i in (1, 5, 8, 10) else 0) for i, p in enumerate(pk)), 'directions')
        check(abs(pk[1]['t'] - 0.010) < 1e-6, 't since the connection\'s first packet: %r' % pk[1]['t'])
        f = [x for x in c['findings'] if x['id'] == 'TCP-CHECKSUM-BAD']
        check(len(f) == 1 and f[0]['packet'] == 8 and f[0]['dir'] == 0 and f[0]['level'] == 'MUST',
              'the connection lists its MUST finding: %r' % c['findings'])
        check(all(x['level'] != 'ANALYSIS' for x in c['findings']), 'ANALYSIS findings are not listed')
        check(c['findings_by_level']['ANALYSIS'] >= 1 and c['findings_by_level']['MUST'] == 1,
              'findings_by_level counts every level: %r' % c['findings_by_level'])
        check(c['input'] == cap and c['conn'] == 1 and c['conn_state'] == 'SF', 'connection summary')
        check(set(c['stats']) == {'orig', 'resp'} and c['stats']['orig']['packets'] == 8,
              'per-direction statistics: %r' % c['stats'].get('orig', {}).get('packets'))
        top = doc['findings']
        check(len(top) == 1 and top[0]['id'] == 'IP-BAD-IHL' and top[0]['input'] == cap
              and top[0]['dir'] is None and top[0]['packet'] == 13,
              'a finding on no connection goes to the top level: %r' % top)
        total = doc['summary']['findings']
        check(total['MUST'] == 2 and total['ANALYSIS'] >= 1, 'summary counts every finding: %r' % total)
        check(doc['limits']['truncated'] == {'packets': 0, 'connections': 0, 'findings': 0},
              'nothing truncated: %r' % doc['limits'])

    # more packets than packets_per_item: listed up to the limit, the rest counted
    big = [(T, c2s(1000, 0, SYN, opts=WS7)), (T + 0.01, s2c(5000, 1001, SA, opts=WS7))]
    for i in range(5100):
        big.append((T + 0.02 + i * 1e-4, c2s(1001 + i, 5001, PA, data=b'x')))
    open(os.path.join(work, 'big.pcap'), 'wb').write(pcap(big))
    rc, out, err = run('analyze', '--report-json', rj, os.path.join(work, 'big.pcap'))
    doc = valid_report(rj, 'analyze report of a long connection')
    if doc:
        c = doc['connections'][0]
        check(len(c['packets']) == 5000 and c['packets_truncated'] is True and
              doc['limits']['truncated']['packets'] == 102,
              'packets over packets_per_item are counted: %d listed, %r' %
              (len(c['packets']), doc['limits']['truncated']))

    # outputs are checked before any input is read
    rc, out, err = run('analyze', '--report-json', os.path.join(work, 'no', 'x.json'), cap)
    check(rc == 2 and 'cannot write there' in err and out == '', 'unwritable --report-json: %r' % err)
    rc, out, err = run('analyze', '--html', work, cap)
    check(rc == 2 and 'a directory' in err, '--html to a directory: %r' % err)

    # ---- synthetic run reports: render and merge ----
    nasty = '<script>alert(1)</script> ]]> "q" \'a\' & \x01\x1b\x7f \ufffe end'

    def packet(num, t, d, flags, seq, ack, step):
        return {'num': num, 't': t, 'dir': d, 'flags': flags, 'seq': seq, 'ack': ack, 'win': 65535,
                'wnd': None, 'len': 0, 'options': '', 'sack': [], 'csum': 'ok', 'labels': [],
                'step': step}

    def case(cid, verdict, reason='', level='MUST'):
        fail = verdict != 'pass'
        return {
            'id': cid, 'title': 'title of ' + cid, 'area': cid.split('/')[0], 'file': 'x.yaml',
            'line': 1, 'rfc': ['RFC9293 3.5'], 'level': level, 'tags': [], 'verdict': verdict,
            'reason': reason, 'failed_step': 2 if fail else None, 'failed_line': 5 if fail else None,
            'duration_ms': 250.0, 'pcap': None, 'tester_port': 40000, 'tester_isn': 7,
            'target_isn': 9,
            'steps': [{'index': 1, 'kind': 'send', 'line': 4, 'text': 'send: {flags: S, seq: 0}'},
                      {'index': 2, 'kind': 'expect', 'line': 5, 'text': 'expect: {flags: SA, ack: 1}'}],
            'packets': [packet(1, 0.0, 0, 'S', 0, None, 1), packet(2, 0.001, 1, 'RA', 0, 1, 2)],
            'packets_truncated': False, 'findings': [], 'findings_truncated': False,
            'findings_by_level': {'MUST': 0, 'SHOULD': 0, 'MAY': 0, 'ANALYSIS': 0}}

    def run_report(target, cases, html=None):
        counts = {k: 0 for k in ('passed', 'failed', 'errors', 'xfail', 'xpass')}
        name = {'pass': 'passed', 'fail': 'failed', 'error': 'errors', 'xfail': 'xfail', 'xpass': 'xpass'}
        for c in cases:
            counts[name[c['verdict']]] += 1
        return {
            'schema': 'tcpspec-report/1', 'kind': 'run', 'tool': {'name': 'tcpspec', 'version': '0.1.0'},
            'created': '2026-11-21T17:40:00Z', 'target': target, 'inputs': ['t/'], 'duration_ms': 50.0,
            'summary': dict(cases=len(cases), **counts, by_area={}, by_rfc={}, by_level={}, by_target={},
                            connections=0, findings={'MUST': 1, 'SHOULD': 0, 'MAY': 0, 'ANALYSIS': 0}),
            'cases': cases, 'connections': [], 'findings': [], 'findings_truncated': False,
            'limits': {'packets_per_item': 5000, 'packets_total': 100000, 'detailed_connections': 10000,
                       'findings_per_item': 1000, 'truncated': {'packets': 0, 'connections': 0, 'findings': 0}},
            'matrix': None, 'outputs': {'json': None, 'html': html, 'junit': None}}

    r1 = run_report('linux', [case('handshake/a', 'pass'), case('handshake/b', 'fail', nasty),
                              case('data/c', 'error', 'x.yaml:5: step 2 (send): injection failed')])
    r2 = run_report('linux', [case('handshake/a', 'fail', 'x.yaml:5: step 2 (expect): flags: expected SA, observed RA'),
                              case('data/d', 'xfail', 'known: ' + nasty, 'SHOULD')])
    r3 = run_report('bsd', [case('handshake/b', 'pass'), case('data/c', 'xpass')])
    for i, r in enumerate((r1, r2, r3)):
        check(not schema_errors(r), 'synthetic run report %d is valid: %s' % (i + 1, schema_errors(r)[:3]))
    os.mkdir(os.path.join(work, 'runs'))
    paths = []
    for i, r in enumerate((r1, r2, r3)):
        p = os.path.join(work, 'runs', 'r%d.json' % (i + 1))
        if i != 1:
            # r1 names its page by an absolute path; r3 by a path that is not
            # there any more: found beside its JSON
            r['outputs']['html'] = os.path.join(work, 'runs', 'r1.html') if i == 0 else 'elsewhere/r3.html'
        json.dump(r, open(p, 'w'))
        paths.append(p)

    # render: JUnit and HTML of a saved run report
    x1, h1 = os.path.join(work, 'runs', 'r1.xml'), os.path.join(work, 'runs', 'r1.html')
    rc, out, err = run('report', 'render', paths[0], '--junit', x1, '--html', h1)
    check(rc == 0, 'report render: %d %s' % (rc, err))
    rc, out, err = run('report', 'render', paths[2], '--html', os.path.join(work, 'runs', 'r3.html'))
    check(rc == 0, 'report render r3: %d %s' % (rc, err))
    root = valid_junit(x1, 'render r1')
    tcs = {tc.get('name'): tc for tc in root.iter('testcase')}
    check([s.get('name') for s in root.iter('testsuite')] == ['handshake', 'data'],
          'one testsuite per area, in run order')
    fb = tcs['handshake/b'].find('failure')
    check(fb is not None and fb.get('type') == 'fail', 'a failed case has <failure type="fail">')
    vis = nasty.replace('\x01', '\\x01').replace('\x1b', '\\x1b').replace('\ufffe', '\\ufffe')
    check(fb is not None and fb.get('message') == vis,
          'the reason survives escaping, control characters made visible: %r' % (fb.get('message') if fb is not None else None))
    check(fb is not None and vis in fb.text and 'x.yaml:5: step 2: expect: {flags: SA, ack: 1}' in fb.text
          and '< target [RA] seq 0 ack 1' in fb.text,
          'the failure body has the reason, the failed step as written, the packets: %r' % (fb.text if fb is not None else None))
    err_el = tcs['data/c'].find('error')
    check(err_el is not None and err_el.get('type') == 'error' and 'injection failed' in err_el.get('message'),
          'a runner error is <error>')
    check(tcs['handshake/a'].find('failure') is None and tcs['handshake/a'].get('time') == '0.250',
          'a pass has no failure, time in seconds')
    propmap = {p.get('name'): p.get('value') for p in root.iter('property')}
    check(propmap.get('handshake/b rfc') == 'RFC9293 3.5' and propmap.get('handshake/b level') == 'MUST'
          and propmap.get('target') == 'linux', 'rfc and level as properties: %r' % propmap)
    raw = open(x1, encoding='utf-8').read()
    check('<script' not in raw and ']]>' not in raw and '\x01' not in raw, 'no raw markup or control characters')
    x2 = os.path.join(work, 'r2.xml')
    rc, out, err = run('report', 'render', paths[1], '--junit', x2)
    root = valid_junit(x2, 'render r2')
    sk = [tc.find('skipped') for tc in root.iter('testcase') if tc.get('name') == 'data/d'][0]
    check(sk is not None and sk.get('type') == 'xfail' and sk.get('message').startswith('known: '),
          'xfail is <skipped> with its reason')
    x3 = os.path.join(work, 'r3.xml')
    run('report', 'render', paths[2], '--junit', x3)
    root = valid_junit(x3, 'render r3')
    xp = [tc.find('failure') for tc in root.iter('testcase') if tc.get('name') == 'data/c'][0]
    check(xp is not None and xp.get('type') == 'xpass', 'xpass is a failure of type xpass')

    # merge: the matrix case x target
    os.mkdir(os.path.join(work, 'out'))
    mh, mj = os.path.join(work, 'out', 'm.html'), os.path.join(work, 'out', 'm.json')
    rc, out, err = run('report', 'merge', *paths, '--html', mh, '--json', mj)
    check(rc == 0, 'report merge: %d %s' % (rc, err))
    m = valid_report(mj, 'matrix report')
    check(os.path.exists(mh) and 'id="report-data"' in open(mh).read(), 'merge writes the matrix page')
    if m:
        mx = m['matrix']
        check(mx['targets'] == ['linux', 'linux-2', 'bsd'], 'targets, a repeated name suffixed: %r' % mx['targets'])
        rows = {r['id']: r for r in mx['cases']}
        check([r['id'] for r in mx['cases']] == ['handshake/a', 'handshake/b', 'data/c', 'data/d'],
              'the union of case ids in first-seen order: %r' % list(rows))
        check(rows['data/d']['cells']['linux']['verdict'] == 'absent' and
              rows['data/d']['cells']['linux']['report'] is None, 'missing cells are absent')
        check(rows['handshake/b']['cells']['linux']['reason'] == nasty, 'cells keep the reason')
        check(rows['handshake/a']['cells']['linux']['report'] == '../runs/r1.html#case-handshake/a',
              'a cell links to its case in the run\'s page: %r' % rows['handshake/a']['cells']['linux']['report'])
        check(rows['handshake/a']['cells']['linux-2']['report'] is None, 'no page, no link')
        check(rows['handshake/b']['cells']['bsd']['report'] == '../runs/r3.html#case-handshake/b',
              'the page is found beside its JSON: %r' % rows['handshake/b']['cells']['bsd']['report'])
        s = m['summary']
        check(s['cases'] == 4 and s['passed'] == 2 and s['failed'] == 2 and s['errors'] == 1
              and s['xfail'] == 1 and s['xpass'] == 1, 'summary counts cells: %r' % s)
        check(s['by_target']['bsd'] == {'passed': 1, 'failed': 0, 'errors': 0, 'xfail': 0, 'xpass': 1,
                                        'cases': 2, 'absent': 2}, 'summary per target: %r' % s['by_target'])
        check(s['findings']['MUST'] == 3, 'findings summed over the runs')
        check(m['inputs'] == paths and m['outputs']['html'] == mh, 'inputs and outputs')

    # merge errors: not a run report, no output, broken JSON
    rc, out, err = run('report', 'merge', rj, '--json', mj)
    check(rc == 2 and "a report of kind 'analyze'" in err, 'merging an analyze report: %r' % err)
    rc, out, err = run('report', 'merge', paths[0])
    check(rc == 2 and 'no output' in err, 'merge without output: %r' % err)
    broken = os.path.join(work, 'broken.json')
    open(broken, 'w').write('{"schema": "tcpspec-report/1",\n "kind": ')
    rc, out, err = run('report', 'merge', broken, '--json', mj)
    check(rc == 2 and broken + ':2:' in err, 'broken JSON names file:line: %r' % err)
    rc, out, err = run('report', 'render', cap, '--html', mh)
    check(rc == 2 and cap in err, 'render of a capture: %r' % err)
    rc, out, err = run('report', 'render', rj, '--junit', x2)
    check(rc == 2 and 'run report' in err, 'JUnit of an analyze report: %r' % err)
    rc, out, err = run('report', 'frobnicate')
    check(rc == 2 and "unknown subcommand 'frobnicate'" in err, 'unknown subcommand: %r' % err)
    rc, out, err = run('report', '--help')
    check(rc == 0 and 'report merge RUN.json' in out, 'report --help')
finally:
    shutil.rmtree(work)

print('%d checks, %d failed' % (checks, len(failures)))
sys.exit(1 if failures else 0)
