#!/usr/bin/env python3
"""tcpspec run against the Linux kernel in network namespaces.

Runs the bundled cases (they must all pass), re-reads every saved capture
with tcpspec analyze, proves failing cases fail with a field-by-field
reason, and checks that nothing is left behind, even after SIGKILL.
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


n_cases = len(glob.glob(os.path.join(TESTCASES, '**', '*.yaml'), recursive=True))

with tempfile.TemporaryDirectory() as d:
    out_json = os.path.join(d, 'out.json')
    pcaps = os.path.join(d, 'pcaps')
    os.mkdir(pcaps)
    rc, out, err = run('run', TESTCASES, '--json', out_json, '--pcap-dir', pcaps)
    print(out, err, sep='')
    check(rc == 0, 'bundled suite passes against Linux (exit %d)' % rc)
    doc = json.load(open(out_json))
    check(doc['summary']['cases'] == n_cases and doc['summary']['passed'] == n_cases,
          'JSON summary counts %d passing cases: %r' % (n_cases, doc['summary']))
    check(all(c['verdict'] == 'pass' and c['rfc'] for c in doc['cases']), 'every case passed, with RFC refs')
    check(leftovers() == [], 'nothing left on the host after a run: %r' % leftovers())

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
    rc, out, err = run('run', neg, '--json', out_json)
    print(out, err, sep='')
    check(rc == 1, 'failing cases exit 1, got %d' % rc)
    doc = json.load(open(out_json))
    by = {c['id']: c for c in doc['cases']}
    check(all(c['verdict'] == 'fail' for c in doc['cases']) and len(by) == 4, 'all four fail')
    check('flags: expected SA, observed RA' in by['neg/expect-synack-from-closed-port']['reason'],
          'flags diff: %r' % by['neg/expect-synack-from-closed-port'].get('reason'))
    check('neg.yaml:' in by['neg/expect-synack-from-closed-port']['reason'], 'reason names the file')
    check('expected no segment' in by['neg/expect-none-but-synack-comes']['reason'], 'expect_none reason')
    check(re.search(r'ack: expected 2 \(abs \d+\), observed 1 \(abs \d+\)', by['neg/wrong-ack']['reason']),
          'ack diff: %r' % by['neg/wrong-ack'].get('reason'))
    check('nothing arrived within 300 ms' in by['neg/nothing-comes']['reason'], 'timeout reason')

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
