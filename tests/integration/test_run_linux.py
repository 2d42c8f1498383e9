#!/usr/bin/env python3
"""tcpspec run against the Linux kernel in network namespaces.

Runs the bundled cases (each must pass, or fail as its expect_fail says),
re-reads every saved capture with tcpspec analyze, proves failing cases
fail with a field-by-field reason, checks the reports (--json against
docs/report-schema.json, --junit against tests/data/junit.xsd, --html
written; steps and packets in every case), and that nothing is left
behind, even after SIGKILL. Then the runner's features, each with cases
that must pass and cases that must fail with the right reason: the
target's ARP requests and neighbour solicitations answered by the runner
(and not with --static-neigh), app steps through the agent (server and
client roles, async, expect_errno), timing windows and --tolerance,
variables, truncate, per-case sysctls, the analyzer's findings in the
verdict, profiles (a timestamps case fails under no-timestamps with the
options diff, a case requiring timestamps is skipped, expect_fail keyed
linux:PROFILE), and --jobs 2 giving the verdicts of --jobs 1.
Needs root; exits 77 (skipped) without it."""
import glob
import json
import os
import re
import signal
import struct
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'cli'))
from reportcheck import schema_errors, junit_errors  # noqa: E402

TCPSPEC, TESTCASES = sys.argv[1], sys.argv[2]
if os.geteuid() != 0:
    print('skipped: needs root to create network namespaces')
    sys.exit(77)

failures = []
checks = 0


def check(cond, what):
    global checks
    checks += 1
    if not cond:
        failures.append(what)
        print('FAIL:', what)


def run(*args, timeout=120):
    p = subprocess.run([TCPSPEC, *args], capture_output=True, text=True, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def leftovers():
    """The run's veth ends, if still on the host (its namespaces are
    anonymous: nothing else of ours can be named)."""
    links = subprocess.run(['ip', '-o', 'link', 'show'], capture_output=True, text=True).stdout
    return [l for l in links.splitlines() if re.search(r'\btcpspec[01]\b', l)]


def check_reports(doc, out_junit, out_html, what):
    """The run's three reports agree with the schema, the XSD and each other."""
    errs = schema_errors(doc)
    check(not errs, '%s: JSON valid against docs/report-schema.json: %s' % (what, errs[:5]))
    errs = junit_errors(out_junit)
    check(not errs, '%s: JUnit valid against tests/data/junit.xsd: %s' % (what, errs[-500:]))
    check(os.path.getsize(out_html) > 1000 and 'id="report-data"' in open(out_html).read(),
          '%s: HTML page written' % what)
    for c in doc['cases']:
        steps, pk = c['steps'], c['packets']
        if c['verdict'] == 'skip':
            check(pk == [] and c['reason'], '%s: %s: skipped, no packets, a reason' % (what, c['id']))
            continue
        check(len(steps) >= 1 and all(s['text'].startswith(s['kind'] + ':') for s in steps),
              '%s: %s: every step with its text: %r' % (what, c['id'], steps))
        # (a frame cut short is not listed: the first one may be a later step's)
        check(pk and pk[0]['step'] is not None and
              (c['verdict'] != 'pass' or any(p['dir'] == 1 for p in pk)),
              '%s: %s: packets (both ways when it passed), the first one a step\'s: %r'
              % (what, c['id'], pk[:2]))
        # each step that sent or judged a frame names it, and only once
        named = [p['step'] for p in pk if p['step'] is not None]
        check(len(named) == len(set(named)) and all(1 <= n <= len(steps) for n in named),
              '%s: %s: packet steps %r' % (what, c['id'], named))
        if c['target_isn'] is not None:
            check(any(p['dir'] == 1 and 'S' in p['flags'] and p['seq'] == 0 for p in pk),
                  '%s: %s: the target\'s SYN is seq 0' % (what, c['id']))
    return ET.parse(out_junit).getroot()


def pcap_frames(path):
    """The frames of a pcap file (either timestamp precision)."""
    data = open(path, 'rb').read()
    off, out = 24, []
    while off + 16 <= len(data):
        incl = struct.unpack('<I', data[off + 8:off + 12])[0]
        out.append(data[off + 16:off + 16 + incl])
        off += 16 + incl
    return out


def neigh(frames):
    """(ARP requests for 192.0.2.2 from the target, our ARP replies,
    neighbour solicitations for 2001:db8::2, our advertisements)."""
    tgt, tst = bytes([2, 0, 0, 0, 0, 1]), bytes([2, 0, 0, 0, 0, 2])
    us4, us6 = bytes([192, 0, 2, 2]), bytes.fromhex('20010db8000000000000000000000002')
    req = [f for f in frames if f[12:14] == b'\x08\x06' and f[20:22] == b'\x00\x01'
           and f[6:12] == tgt and f[38:42] == us4]
    rep = [f for f in frames if f[12:14] == b'\x08\x06' and f[20:22] == b'\x00\x02'
           and f[6:12] == tst and f[22:28] == tst and f[28:32] == us4 and f[0:6] == tgt]
    ns = [f for f in frames if f[12:14] == b'\x86\xdd' and f[20] == 58 and f[54] == 135
          and f[6:12] == tgt and f[62:78] == us6]
    na = [f for f in frames if f[12:14] == b'\x86\xdd' and f[20] == 58 and f[54] == 136
          and f[6:12] == tst and f[62:78] == us6 and f[80:86] == tst]
    return req, rep, ns, na


def run_json(path, *args, env=None, timeout=300):
    """tcpspec run PATH --json: (rc, stdout, {id: case}, doc)."""
    with tempfile.TemporaryDirectory() as t:
        out = os.path.join(t, 'r.json')
        p = subprocess.run([TCPSPEC, 'run', path, '--json', out, *args], capture_output=True,
                           text=True, timeout=timeout, env=env)
        print(p.stdout, p.stderr, sep='')
        doc = json.load(open(out)) if os.path.exists(out) else {'cases': []}
        return p.returncode, p.stdout + p.stderr, {c['id']: c for c in doc['cases']}, doc

with tempfile.TemporaryDirectory() as d:
    out_json = os.path.join(d, 'out.json')
    out_junit, out_html = os.path.join(d, 'out.xml'), os.path.join(d, 'out.html')
    pcaps = os.path.join(d, 'pcaps')
    os.mkdir(pcaps)
    rc, out, err = run('run', TESTCASES, '--json', out_json, '--pcap-dir', pcaps,
                       '--junit', out_junit, '--html', out_html)
    print(out, err, sep='')
    check(rc == 0, 'bundled suite passes against Linux (exit %d)' % rc)
    doc = json.load(open(out_json))
    n_cases = len(doc['cases'])
    check(doc['schema'] == 'tcpspec-report/1' and doc['kind'] == 'run' and doc['target'] == 'linux',
          'a tcpspec-report/1 run report')
    summ = doc['summary']
    check(n_cases > 0 and summ['cases'] == n_cases and
          summ['passed'] + summ['xfail'] + summ.get('skipped', 0) == n_cases,
          'JSON summary counts %d cases, each passed or failed as expected: %r' % (n_cases, summ))
    check(all(c['verdict'] in ('pass', 'xfail') and c['rfc'] for c in doc['cases']),
          'every case passed (or failed as its expect_fail says), with RFC refs')
    check(all(c['pcap'] and c['pcap'].startswith(pcaps) for c in doc['cases']), 'the kept pcaps are named')
    check(leftovers() == [], 'nothing left on the host after a run: %r' % leftovers())
    junit = check_reports(doc, out_junit, out_html, 'bundled suite')
    check(int(junit.get('tests')) == n_cases and int(junit.get('failures')) == 0,
          'JUnit counts the cases: %r' % junit.attrib)
    # a MUST finding on the kernel's segments fails a case (fail_on: must)
    check(all(c['findings_by_level']['MUST'] == 0 for c in doc['cases'] if c['verdict'] == 'pass'),
          'no MUST finding on the kernel\'s segments of a passing case')

    # judge every capture again with the analyzer: real Linux segments must
    # carry good checksums; the only bad ones are those the cases injected
    for c in doc['cases']:
        rc, out, err = run('analyze', '--json', '--packets', c['pcap'])
        recs = [json.loads(l) for l in out.splitlines()]
        pk = [r for r in recs if r['type'] == 'packet']
        bad = [r for r in recs if r['type'] == 'finding' and r['id'] == 'TCP-CHECKSUM-BAD']
        # only the target's segments are judged here: the scripts' own
        # segments may break rules on purpose
        must = [r for r in recs if r['type'] == 'finding' and r.get('level') == 'MUST'
                and r['endpoints']['src'] in ('192.0.2.1', '2001:db8::1')]
        check(rc == 0 and len(pk) >= 2, '%s: capture readable with packets both ways' % c['id'])
        check(any(r['src'] in ('192.0.2.1', '2001:db8::1') for r in pk),
              '%s: capture holds the target\'s segments' % c['id'])
        check(all(b['endpoints']['src'] in ('192.0.2.2', '2001:db8::2') for b in bad),
              '%s: every bad checksum is one we injected: %r' % (c['id'], bad))
        # the verdict's judgement (the tracker over the same capture) and
        # analyze's agree: no MUST finding on the kernel's segments
        check(c['verdict'] != 'pass' or must == [] or c['findings_by_level']['MUST'],
              '%s: analyze finds MUST findings the run did not: %r' % (c['id'], must))

    # cases that must fail do fail, and say why, field by field
    neg = os.path.join(d, 'neg.yaml')
    open(neg, 'w').write('''
- id: neg/expect-synack-from-closed-port
  target: {role: closed, port: 9}
  steps:
    - send:   {flags: S, seq: 0}
    - expect: {flags: SA, ack: 1, within: 1s}
- id: neg/expect-none-but-synack-comes
  target: {role: server, port: 8080}
  steps:
    - send:   {flags: S, seq: 0}
    - expect_none: {for: 500ms}
- id: neg/wrong-ack
  target: {role: server, port: 8080}
  steps:
    - send:   {flags: S, seq: 0}
    - expect: {flags: SA, ack: 2}
- id: neg/nothing-comes
  target: {role: server, port: 8080}
  steps:
    - send:   {flags: A, seq: 1, ack: 1, checksum: bad}
    - expect: {flags: R, within: 300ms}
''')
    # no --pcap-dir: the reports still have packets, read from a private
    # temporary directory that is gone afterwards
    tmp = os.path.join(d, 'tmp')
    os.mkdir(tmp)
    p = subprocess.run([TCPSPEC, 'run', neg, '--json', out_json, '--junit', out_junit, '--html', out_html],
                       capture_output=True, text=True, timeout=120, env=dict(os.environ, TMPDIR=tmp))
    rc, out, err = p.returncode, p.stdout, p.stderr
    print(out, err, sep='')
    check(rc == 1, 'failing cases exit 1, got %d' % rc)
    check(os.listdir(tmp) == [], 'the temporary captures are removed: %r' % os.listdir(tmp))
    doc = json.load(open(out_json))
    junit = check_reports(doc, out_junit, out_html, 'failing cases')
    check(all(c['pcap'] is None for c in doc['cases']), 'no pcap named when none was kept')
    tcs = {tc.get('name'): tc for tc in junit.iter('testcase')}
    fail = tcs['neg/wrong-ack'].find('failure')
    check(fail is not None and fail.get('type') == 'fail' and
          re.search(r'ack: expected 2 \(abs \d+\), observed 1', fail.get('message') or '') and
          'neg.yaml:16:' in fail.get('message') and 'step 2: expect: {flags: SA, ack: 2}' in (fail.text or ''),
          'the JUnit failure holds the field-by-field diff and the step as written: %r %r' %
          (fail.attrib if fail is not None else None, fail.text if fail is not None else None))
    check(int(junit.get('failures')) == 4 and [s.get('name') for s in junit.iter('testsuite')] == ['neg'],
          'JUnit: one suite for the area, four failures')
    by = {c['id']: c for c in doc['cases']}
    check(all(c['verdict'] == 'fail' for c in doc['cases']) and len(by) == 4, 'all four fail')
    check('flags: expected SA, observed RA' in by['neg/expect-synack-from-closed-port']['reason'],
          'flags diff: %r' % by['neg/expect-synack-from-closed-port'].get('reason'))
    check('neg.yaml:' in by['neg/expect-synack-from-closed-port']['reason'], 'reason names the file')
    check('expected no segment' in by['neg/expect-none-but-synack-comes']['reason'], 'expect_none reason')
    check(re.search(r'ack: expected 2 \(abs \d+\), observed 1 \(abs \d+\)', by['neg/wrong-ack']['reason']),
          'ack diff: %r' % by['neg/wrong-ack'].get('reason'))
    check('nothing arrived within 300 ms' in by['neg/nothing-comes']['reason'], 'timeout reason')
    wa = by['neg/wrong-ack']
    check(wa['failed_step'] == 2 and wa['steps'][1] == {'index': 2, 'kind': 'expect', 'line': 16,
                                                          'text': 'expect: {flags: SA, ack: 2}'},
          'the failed step as written: %r' % wa['steps'])
    check([p['step'] for p in wa['packets'][:2]] == [1, 2] and wa['packets'][1]['flags'] == 'SA'
          and wa['packets'][1]['ack'] == 1 and wa['target_isn'] is not None,
          'the SYN came from step 1, the SYN-ACK was judged by step 2: %r' % wa['packets'])
    en = by['neg/expect-none-but-synack-comes']
    check([p['step'] for p in en['packets'][:2]] == [1, 2], 'expect_none names the segment it caught')

    # broken input: one line naming file:line:col, exit 2, nothing started
    broken = os.path.join(d, 'broken.yaml')
    open(broken, 'w').write('id: x\ntarget: {role: server, port: 8080}\nsteps:\n  - send: {flags: SX}\n')
    rc, out, err = run('run', broken)
    check(rc == 2 and broken + ':4:' in err and len(err.splitlines()) == 1, 'broken YAML: %r' % err)
    rc, out, err = run('run', '--target', 'freebsd', neg)
    check(rc == 2 and "unknown target 'freebsd'" in err, 'unknown target: %r' % err)
    rc, out, err = run('run', '--profile', 'no-such', neg)
    check(rc == 2 and "unknown profile 'no-such'" in err and 'no-timestamps' in err, 'unknown profile: %r' % err)
    rc, out, err = run('run', '--tolerance', '4 ms', neg)
    check(rc == 2 and '--tolerance' in err, 'bad tolerance: %r' % err)
    rc, out, err = run('run', '--jobs', '0', neg)
    check(rc == 2 and '--jobs' in err, 'bad jobs: %r' % err)
    rc, out, err = run('run', '--target', '192.0.2.1', neg)
    check(rc == 2 and '--iface' in err and '--agent' in err, 'external host without iface: %r' % err)

    # SIGKILL mid-run leaves nothing behind: the namespaces are anonymous
    # (its temporary captures stay: TMPDIR keeps them in ours)
    p = subprocess.Popen([TCPSPEC, 'run', TESTCASES], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         env=dict(os.environ, TMPDIR=tmp))
    time.sleep(1.0)
    p.send_signal(signal.SIGKILL)
    p.wait()
    time.sleep(0.5)
    check(leftovers() == [], 'nothing left after SIGKILL: %r' % leftovers())


# ---- the runner's features ----

FEATURES = r"""
- id: app/accept-write-read-close
  target: {port: 9000}
  steps:
    - app: {listen: true}
    - send: {flags: S, seq: 0, options: [mss 1460]}
    - expect: {flags: SA, ack: 1}
    - send: {flags: A, seq: 1, ack: 1}
    - app: {accept: true}
    - app: {write: 5}
    - expect: {flags: PA, seq: 1, ack: 1, data: "abcde"}
    - send: {flags: A, seq: 1, ack: 6}
    - send: {flags: PA, seq: 1, ack: 6, data: "hello"}
    - expect: {flags: A, ack: 6}
    - app: {read: {data: "hello"}}
    - app: {shutdown: wr}
    - expect: {flags: FA, seq: 6, ack: 6}
    - app: {setsockopt: {SO_LINGER: 0}}
- id: app/client-connect
  target: {role: client}
  steps:
    - app: {connect: true}
    - expect: {flags: S, seq: 0, capture: {seq: {abs: cli_isn}, win: w}}
    - send: {flags: SA, seq: 0, ack: 1, options: [mss 1460]}
    - expect: {flags: A, seq: 1, ack: 1}
    - app: {write: 3}
    - expect: {flags: PA, seq: 1, data: "abc"}
    - send: {flags: A, seq: 1, ack: {abs: $cli_isn+4}}
- id: app/client-connect-refused
  target: {role: client}
  steps:
    - app: {connect: true, expect_errno: ECONNREFUSED}
    - expect: {flags: S}
    - send: {flags: RA, seq: 0, ack: 1}
- id: app/async-read-then-data
  target: {port: 9001}
  steps:
    - app: {listen: 9001}
    - send: {flags: S, seq: 0}
    - expect: {flags: SA, ack: 1}
    - send: {flags: A, seq: 1, ack: 1}
    - app: {accept: true}
    - app: {read: {timeout: 2s, data: "late"}, async: true}
    - send: {flags: PA, seq: 1, ack: 1, data: "late", at: 100ms}
    - expect: {flags: A, ack: 5}
- id: timing/windows
  target: {port: 8080}
  steps:
    - send: {flags: S, seq: 0}
    - expect: {flags: SA, ack: 1, at: 0}
    - send: {flags: A, seq: 1, ack: 1, at: 50ms}
    - send: {flags: PA, seq: 1, ack: 1, data: "x"}
    - expect: {flags: A, ack: 2, at: 0, tolerance: 5ms}
    - wait: 50ms
    - send: {flags: PA, seq: 2, ack: 1, data: "y", at_abs: 300ms}
    - expect: {flags: A, ack: 3, at_abs: 300ms}
- id: vars/ts-echo
  target: {port: 8080}
  ts_base: random
  steps:
    - send: {flags: S, seq: 0, options: [mss 1460, sackOK, ts 100 0, nop, wscale 7]}
    - expect: {flags: SA, ack: 1, options: {ts: {val: any, ecr: 100}}, capture: {tsval: t}}
    - send: {flags: A, seq: 1, ack: 1, options: [nop, nop, ts 110 $t]}
    - send: {flags: PA, seq: 1, ack: 1, data: "x", options: [nop, nop, ts 120 $t]}
    - expect: {flags: A, ack: 2, options: [nop, nop, ts $t..$t+1000 120]}
- id: faults/truncated-syn-ignored
  target: {port: 8080}
  steps:
    - send: {flags: S, seq: 0, truncate: 12}
    - expect_none: {for: 100ms}
    - send: {flags: S, seq: 0}
    - expect: {flags: SA, ack: 1}
- id: sysctl/case-sets-no-timestamps
  target: {port: 8080, sysctl: {net.ipv4.tcp_timestamps: 0}}
  steps:
    - send: {flags: S, seq: 0, options: [mss 1460, sackOK, ts 100 0, nop, wscale 7]}
    - expect: {flags: SA, ack: 1, options: {ts: absent}}
- id: sysctl/restored-after-the-case
  target: {port: 8080}
  steps:
    - send: {flags: S, seq: 0, options: [mss 1460, sackOK, ts 100 0, nop, wscale 7]}
    - expect: {flags: SA, ack: 1, options: {ts: any}}
- id: findings/required-and-seen
  target: {port: 8080}
  findings: {require: [TCP-RETRANSMISSION]}
  steps:
    - send: {flags: S, seq: 0}
    - expect: {flags: SA, ack: 1}
    - expect: {flags: SA, ack: 1, within: 2s}
"""

NEGATIVE = r"""
- id: neg/timing-too-early
  target: {port: 8080}
  steps:
    - send: {flags: S, seq: 0}
    - expect: {flags: SA, ack: 1, at: 100ms}
- id: neg/timing-nothing-in-window
  target: {port: 8080}
  steps:
    - send: {flags: S, seq: 0}
    - expect: {flags: SA, ack: 1}
    - send: {flags: A, seq: 1, ack: 1}
    - expect: {flags: A, at: 50ms, tolerance: 10ms}
- id: neg/read-wrong-data
  target: {port: 9002}
  steps:
    - app: {listen: true}
    - send: {flags: S, seq: 0}
    - expect: {flags: SA, ack: 1}
    - send: {flags: A, seq: 1, ack: 1}
    - app: {accept: true}
    - send: {flags: PA, seq: 1, ack: 1, data: "hellx"}
    - expect: {flags: A, ack: 6}
    - app: {read: {data: "hello"}}
- id: neg/wrong-errno
  target: {role: client}
  steps:
    - app: {connect: true, expect_errno: ETIMEDOUT}
    - expect: {flags: S}
    - send: {flags: RA, seq: 0, ack: 1}
- id: neg/accept-without-listen
  target: {port: 9003}
  steps:
    - app: {accept: true}
- id: neg/required-finding-missing
  target: {port: 8080}
  findings: {require: [RST-NOT-HONOURED]}
  steps:
    - send: {flags: S, seq: 0}
    - expect: {flags: SA, ack: 1}
- id: neg/forbidden-finding
  target: {port: 8080}
  findings: {forbid: [TCP-RETRANSMISSION]}
  steps:
    - send: {flags: S, seq: 0}
    - expect: {flags: SA, ack: 1}
    - expect: {flags: SA, ack: 1, within: 2s}
"""

TIMESTAMPS = r"""
- id: ts/offered-and-echoed
  target: {port: 8080}
  steps:
    - send: {flags: S, seq: 0, options: [mss 1460, sackOK, ts 100 0, nop, wscale 7]}
    - expect: {flags: SA, ack: 1, options: {ts: {val: any, ecr: 100}}}
- id: ts/requires-timestamps
  target: {port: 8080}
  requires: [timestamps]
  steps:
    - send: {flags: S, seq: 0, options: [mss 1460, sackOK, ts 100 0, nop, wscale 7]}
    - expect: {flags: SA, ack: 1, options: {ts: any}}
- id: ts/known-to-fail-without
  target: {port: 8080}
  expect_fail: {"linux:no-timestamps": "the profile turns timestamps off"}
  steps:
    - send: {flags: S, seq: 0, options: [mss 1460, sackOK, ts 100 0, nop, wscale 7]}
    - expect: {flags: SA, ack: 1, options: {ts: any}}
"""

with tempfile.TemporaryDirectory() as d:
    feat, neg, ts = (os.path.join(d, n) for n in ('feat.yaml', 'neg.yaml', 'ts.yaml'))
    open(feat, 'w').write(FEATURES)
    open(neg, 'w').write(NEGATIVE)
    open(ts, 'w').write(TIMESTAMPS)

    # ARP and neighbour discovery: the target asks, the runner answers
    pcaps = os.path.join(d, 'nd')
    os.mkdir(pcaps)
    one = os.path.join(d, 'one.yaml')
    open(one, 'w').write(r"""
- id: nd/v4
  target: {port: 8080}
  steps: [send: {flags: S, seq: 0}, expect: {flags: SA, ack: 1}]
- id: nd/v6
  target: {port: 8080, ip: 6}
  steps: [send: {flags: S, seq: 0}, expect: {flags: SA, ack: 1}]
""")
    rc, out, err = run('run', one, '--pcap-dir', pcaps)
    req, rep, ns, na = neigh(pcap_frames(os.path.join(pcaps, 'nd_v4.pcap')))
    check(rc == 0 and len(req) >= 1 and len(rep) >= 1,
          'the target\'s ARP request for 192.0.2.2 is in the capture, and our reply: %d/%d %r'
          % (len(req), len(rep), out))
    req6, rep6, ns6, na6 = neigh(pcap_frames(os.path.join(pcaps, 'nd_v6.pcap')))
    check(len(ns6) >= 1 and len(na6) >= 1,
          'the target\'s neighbour solicitation for 2001:db8::2 and our advertisement: %d/%d'
          % (len(ns6), len(na6)))
    rc, out, err = run('run', one, '--pcap-dir', pcaps, '--static-neigh')
    req, rep, ns, na = neigh(pcap_frames(os.path.join(pcaps, 'nd_v4.pcap')))
    req6, rep6, ns6, na6 = neigh(pcap_frames(os.path.join(pcaps, 'nd_v6.pcap')))
    check(rc == 0 and not req and not ns6, '--static-neigh: the target never asks: %r' % out)

    # the features: every case passes
    rc, out, by, doc = run_json(feat)
    check(rc == 0 and all(c['verdict'] == 'pass' for c in by.values()) and len(by) == 10,
          'every feature case passes: %r' % {i: c['reason'] for i, c in by.items() if c['verdict'] != 'pass'})
    cc = by.get('app/client-connect', {})
    check(cc.get('target_isn') is not None and any(p['dir'] == 1 and p['flags'] == 'S' and p['seq'] == 0
                                                   for p in cc.get('packets', [])),
          'a client case: the target\'s SYN is seq 0, its ISN known')
    check(by.get('findings/required-and-seen', {}).get('findings_by_level', {}).get('ANALYSIS', 0) >= 1,
          'the retransmitted SYN-ACK is counted as an ANALYSIS finding')

    # and the cases that must fail, fail with the right reason
    rc, out, by, doc = run_json(neg)
    why = {i: c['reason'] for i, c in by.items()}
    check(rc == 1 and len(by) == 7, 'negative cases exit 1: %d %r' % (rc, why))
    check(re.search(r'neg\.yaml:6: step 2 \(expect\): \[SA\] seq 0 ack 1 win \d+ len 0 arrived at '
                    r'\d+\.\d{3} ms, expected 100\.000 \xb1 16\.500 ms \(after step 1\)',
                    why.get('neg/timing-too-early', '')), 'early arrival: %r' % why.get('neg/timing-too-early'))
    check(re.search(r'step 4 \(expect\): nothing arrived by 1\d\d\.\d{3} ms, expected 50\.000 \xb1 '
                    r'10\.000 ms \(after step 3\)', why.get('neg/timing-nothing-in-window', '')),
          'nothing in the window: %r' % why.get('neg/timing-nothing-in-window'))
    check('step 8 (app read): data: expected "hello", read "hellx"' in why.get('neg/read-wrong-data', ''),
          'read data diff: %r' % why.get('neg/read-wrong-data'))
    check(by.get('neg/read-wrong-data', {}).get('verdict') == 'fail', 'a wrong read fails the case')
    check('step 1 (app connect): expected ETIMEDOUT, got ECONNREFUSED' in why.get('neg/wrong-errno', ''),
          'errno compared: %r' % why.get('neg/wrong-errno'))
    check(by.get('neg/accept-without-listen', {}).get('verdict') == 'error' and
          'no listening socket for accept' in why.get('neg/accept-without-listen', ''),
          'accept before listen is an error of the case: %r' % why.get('neg/accept-without-listen'))
    check('analyzer: expected RST-NOT-HONOURED on the target\'s segments' in
          why.get('neg/required-finding-missing', ''), 'required finding: %r' % why.get('neg/required-finding-missing'))
    check('analyzer: TCP-RETRANSMISSION on the target\'s packet' in why.get('neg/forbidden-finding', '')
          and 'which the case forbids' in why.get('neg/forbidden-finding', ''),
          'forbidden finding: %r' % why.get('neg/forbidden-finding'))

    # --tolerance widens every window that does not set its own
    rc, out, by, doc = run_json(neg, '--tolerance', '150ms')
    check(by.get('neg/timing-too-early', {}).get('verdict') == 'pass',
          '--tolerance 150ms: an answer at 0 ms is in 100 ms +/- 150 ms: %r'
          % by.get('neg/timing-too-early', {}).get('reason'))

    # profiles: the negative test of the issue. A timestamps case under
    # no-timestamps fails with the option diff; one that requires
    # timestamps is skipped; expect_fail may name linux:no-timestamps
    rc, out, by, doc = run_json(ts)
    check(rc == 0 and [c['verdict'] for c in by.values()] == ['pass', 'pass', 'pass'] and
          doc['target'] == 'linux', 'timestamps cases pass on the default profile: %r' % out)
    with tempfile.TemporaryDirectory() as t:
        junit = os.path.join(t, 'j.xml')
        rc, out, by, doc = run_json(ts, '--profile', 'no-timestamps', '--junit', junit)
        junit_root = ET.parse(junit).getroot() if os.path.exists(junit) else None
    off = by.get('ts/offered-and-echoed', {})
    check(rc == 1 and off.get('verdict') == 'fail' and
          re.search(r'ts\.yaml:6: step 2 \(expect\): got \[SA\] .*; options\.ts: expected any 100, '
                    r'observed absent', off.get('reason', '')),
          'under no-timestamps the timestamps case fails with the options diff: %r' % off.get('reason'))
    sk = by.get('ts/requires-timestamps', {})
    check(sk.get('verdict') == 'skip' and sk.get('reason') ==
          'requires timestamps, which the target lacks (profile no-timestamps)' and sk.get('packets') == [],
          'a case requiring timestamps is skipped, not failed: %r' % sk)
    check(by.get('ts/known-to-fail-without', {}).get('verdict') == 'xfail',
          'expect_fail keyed linux:no-timestamps applies: %r' % by.get('ts/known-to-fail-without'))
    check(doc.get('target') == 'linux:no-timestamps' and doc['summary'].get('skipped') == 1 and
          doc['summary']['failed'] == 1 and doc['summary']['xfail'] == 1,
          'the report names the profile and counts the skipped case: %r' % doc.get('summary'))
    check(not schema_errors(doc), 'a report with a skipped case is valid: %r' % schema_errors(doc)[:3])
    skipped = [tc for tc in junit_root.iter('testcase') if tc.find('skipped') is not None] if junit_root is not None else []
    check(junit_root is not None and sum(int(t.get('skipped')) for t in junit_root.iter('testsuite')) == 2 and
          sorted(tc.find('skipped').get('type') for tc in skipped) == ['skip', 'xfail'],
          'JUnit: <skipped type="skip"> and <skipped type="xfail">')
    check('SKIP  ts/requires-timestamps' in out and '1 skipped' in out, 'the console says SKIP: %r' % out)

    # --jobs 2: the same verdicts, in case order
    rc1, out1, by1, doc1 = run_json(feat)
    rc2, out2, by2, doc2 = run_json(feat, '--jobs', '2')
    check(rc2 == 0 and list(by2) == list(by1) and
          [c['verdict'] for c in by2.values()] == [c['verdict'] for c in by1.values()],
          '--jobs 2 gives the verdicts of --jobs 1, in case order: %r' % out2)
    check([l.split()[1] for l in out2.splitlines() if l.startswith('PASS')] == list(by1),
          'the console lists the cases in order with --jobs 2')
    check(leftovers() == [], 'nothing left after the feature runs: %r' % leftovers())

print('%d checks, %d failed' % (checks, len(failures)))
sys.exit(1 if failures else 0)
