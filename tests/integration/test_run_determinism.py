#!/usr/bin/env python3
"""The bundled suite against Linux gives the same verdicts run after run.

Runs `tcpspec run TESTCASES` TCPSPEC_DETERMINISM_RUNS times (default 3;
the issue's bar is 10), alternating --jobs 1 and --jobs 2, and compares
every case's verdict with the first run's: any difference is a failure,
listed with both reasons. Prints the wall time of each run, and checks
that a --jobs 2 run of the whole suite takes under 60 s. Needs root;
exits 77 (skipped) without it."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

TCPSPEC, TESTCASES = sys.argv[1], sys.argv[2]
if os.geteuid() != 0:
    print('skipped: needs root to create network namespaces')
    sys.exit(77)

RUNS = int(os.environ.get('TCPSPEC_DETERMINISM_RUNS', '3'))
LIMIT_S = 60.0
failures = []


def run(jobs, out):
    t0 = time.monotonic()
    p = subprocess.run([TCPSPEC, 'run', TESTCASES, '--quiet', '--jobs', str(jobs), '--json', out],
                       capture_output=True, text=True, timeout=600)
    dt = time.monotonic() - t0
    doc = json.load(open(out)) if os.path.exists(out) else {'cases': []}
    return p, dt, {c['id']: (c['verdict'], c['reason']) for c in doc['cases']}


first, times = None, {1: [], 2: []}
with tempfile.TemporaryDirectory() as d:
    # a snapshot: the suite may be edited while this runs
    TESTCASES = os.path.join(d, 'testcases')
    shutil.copytree(sys.argv[2], TESTCASES, symlinks=True)
    for r in range(RUNS):
        jobs = 1 if r % 2 == 0 else 2
        p, dt, v = run(jobs, os.path.join(d, 'run%d.json' % r))
        times[jobs].append(dt)
        last = p.stdout.strip().splitlines()[-1] if p.stdout.strip() else p.stderr.strip()
        print('run %d (--jobs %d): %.1f s, exit %d: %s' % (r + 1, jobs, dt, p.returncode, last))
        if p.returncode == 2 or not v:
            failures.append('run %d: exit %d: %s' % (r + 1, p.returncode, p.stderr.strip()))
            continue
        if first is None:
            first = v
            continue
        for cid in sorted(set(first) | set(v)):
            a, b = first.get(cid, ('absent', '')), v.get(cid, ('absent', ''))
            if a[0] != b[0]:
                failures.append('run %d: %s: %s (%s) but run 1: %s (%s)' % (r + 1, cid, b[0], b[1], a[0], a[1]))
    if first is not None:
        print('%d cases, %d runs; verdicts: %s' % (len(first), RUNS, {
            k: sum(1 for x in first.values() if x[0] == k) for k in sorted({x[0] for x in first.values()})}))
    for jobs, ts in times.items():
        if ts:
            print('--jobs %d: %s s' % (jobs, ', '.join('%.1f' % t for t in ts)))
    if times[2] and max(times[2]) > LIMIT_S:
        failures.append('the suite took %.1f s with --jobs 2 (limit %.0f s)' % (max(times[2]), LIMIT_S))

for f in failures:
    print('FAIL:', f)
print('%d runs, %d differences or failures' % (RUNS, len(failures)))
sys.exit(1 if failures else 0)
