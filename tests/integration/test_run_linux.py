#!/usr/bin/env python3
"""tcpspec run against the Linux kernel in network namespaces.

Runs the bundled cases (they must all pass), re-reads every saved capture
with tcpspec analyze, proves failing cases fail with a field-by-field
reason, checks the reports (--json against docs/report-schema.json,
--junit against tests/data/junit.xsd, --html written; steps and packets
in every case), and that nothing is left behind, even after SIGKILL.
Needs root; exits 77 (skipped) without it."""
import glob
import json
import os
import re
import signal
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
        check(len(steps) >= 2 and all(s['text'].startswith(s['kind'] + ':') for s in steps),
              '%s: %s: every step with its text: %r' % (what, c['id'], steps))
        check(pk and pk[0]['step'] == 1 and pk[0]['dir'] == 0 and
              (c['verdict'] != 'pass' or any(p['dir'] == 1 for p in pk)),
              '%s: %s: packets (both ways when it passed), the first sent by step 1: %r'
              % (what, c['id'], pk[:2]))
        # each step that sent or judged a frame names it, and only once
        named = [p['step'] for p in pk if p['step'] is not None]
        check(len(named) == len(set(named)) and all(1 <= n <= len(steps) for n in named),
              '%s: %s: packet steps %r' % (what, c['id'], named))
        if c['target_isn'] is not None:
            check(any(p['dir'] == 1 and 'S' in p['flags'] and p['seq'] == 0 for p in pk),
                  '%s: %s: the target\'s SYN is seq 0' % (what, c['id']))
    return ET.parse(out_junit).getroot()


n_cases = len(glob.glob(os.path.join(TESTCASES, '**', '*.yaml'), recursive=True))

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
    check(doc['schema'] == 'tcpspec-report/1' and doc['kind'] == 'run' and doc['target'] == 'linux',
          'a tcpspec-report/1 run report')
    check(doc['summary']['cases'] == n_cases and doc['summary']['passed'] == n_cases,
          'JSON summary counts %d passing cases: %r' % (n_cases, doc['summary']))
    check(all(c['verdict'] == 'pass' and c['rfc'] for c in doc['cases']), 'every case passed, with RFC refs')
    check(all(c['pcap'] and c['pcap'].startswith(pcaps) for c in doc['cases']), 'the kept pcaps are named')
    check(leftovers() == [], 'nothing left on the host after a run: %r' % leftovers())
    junit = check_reports(doc, out_junit, out_html, 'bundled suite')
    check(int(junit.get('tests')) == n_cases and int(junit.get('failures')) == 0,
          'JUnit counts the cases: %r' % junit.attrib)
    check(sum(c['findings_by_level'][l] for c in doc['cases'] for l in ('MUST', 'SHOULD', 'MAY')) == 0,
          'the analyzer finds nothing on the kernel\'s segments (the same judgement as below)')

    # judge every capture again with the analyzer: real Linux segments must
    # carry good checksums; the only bad ones are those the cases injected
    for c in doc['cases']:
        rc, out, err = run('analyze', '--json', '--packets', c['pcap'])
        recs = [json.loads(l) for l in out.splitlines()]
        pk = [r for r in recs if r['type'] == 'packet']
        bad = [r for r in recs if r['type'] == 'finding' and r['id'] == 'TCP-CHECKSUM-BAD']
        # only the target's segments are judged here: the scripts' own
        # segments may break rules on purpose, or for want of variables
        # (a case that offers timestamps cannot echo the target's TSval yet)
        other = [r for r in recs if r['type'] == 'finding' and r['id'] != 'TCP-CHECKSUM-BAD'
                 and r['endpoints']['src'] in ('192.0.2.1', '2001:db8::1')]
        check(rc == 0 and len(pk) >= 2, '%s: capture readable with packets both ways' % c['id'])
        check(any(r['src'] in ('192.0.2.1', '2001:db8::1') for r in pk),
              '%s: capture holds the target\'s segments' % c['id'])
        want_bad = 1 if c['id'].startswith('checksum/') else 0
        check(len(bad) == want_bad and all(b['endpoints']['src'] in ('192.0.2.2', '2001:db8::2') for b in bad),
              '%s: %d bad checksum(s), all injected: %r' % (c['id'], want_bad, bad))
        # a MUST/SHOULD/MAY finding on the kernel's own segments would be a
        # false verdict of ours or a Linux bug to explain: there must be none
        check(other == [], '%s: no other findings: %r' % (c['id'], other))

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

    # SIGKILL mid-run leaves nothing behind: the namespaces are anonymous
    p = subprocess.Popen([TCPSPEC, 'run', TESTCASES], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.0)
    p.send_signal(signal.SIGKILL)
    p.wait()
    time.sleep(0.5)
    check(leftovers() == [], 'nothing left after SIGKILL: %r' % leftovers())

print('%d checks, %d failed' % (checks, len(failures)))
sys.exit(1 if failures else 0)
