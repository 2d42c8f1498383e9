#!/usr/bin/env python3
"""tcpspec analyze -i: live capture on one end of a veth pair between two
network namespaces this test creates (named with its pid, 192.0.2.0/24
only, always removed), while the Linux kernel runs short TCP exchanges.

Checks: --count stops after N packets with the handshake summarised;
--duration stops by itself and a full exchange is SF with JSON records;
SIGINT stops a capture with no limit and still prints the summary; an
interface that does not exist is a one-line error naming it.
Exit 77 (skipped) without root or iproute2."""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time

TCPSPEC = sys.argv[1]
if os.geteuid() != 0 or not shutil.which('ip'):
    print('skipped: needs root and iproute2 for network namespaces')
    sys.exit(77)

pid = os.getpid()
NS_C, NS_S = 'tcpspec-lc-%d' % pid, 'tcpspec-ls-%d' % pid
VETH_C, VETH_S = 'tslc%d' % (pid % 100000), 'tsls%d' % (pid % 100000)
PORT = 5555
failures = []
checks = 0


def check(cond, what):
    global checks
    checks += 1
    if not cond:
        failures.append(what)
        print('FAIL:', what)


def sh(*cmd, ns=None, check_rc=True):
    if ns:
        cmd = ('ip', 'netns', 'exec', ns) + cmd
    return subprocess.run(cmd, check=check_rc, capture_output=True, text=True)


SERVER = r'''
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("192.0.2.1", %d)); s.listen(8)
print("ready", flush=True)
while True:
    c, _ = s.accept()
    data = c.recv(100)
    if data:
        c.sendall(data.upper())
    c.close()
''' % PORT

CLIENT = r'''
import socket, sys
c = socket.create_connection(("192.0.2.1", %d), timeout=5)
if sys.argv[1] == "talk":
    c.sendall(b"hello")
    assert c.recv(100) == b"HELLO"
    c.recv(100)            # the server's FIN
c.close()
''' % PORT


def client(mode):
    sh(sys.executable, '-c', CLIENT, mode, ns=NS_C)


def analyze(*args):
    cmd = ['ip', 'netns', 'exec', NS_C, TCPSPEC, 'analyze', '-i', VETH_C, *args]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def settle():
    # pcap_activate has no "ready" signal; give the socket time to bind
    time.sleep(1.0)


server = None
try:
    sh('ip', 'netns', 'add', NS_C)
    sh('ip', 'netns', 'add', NS_S)
    sh('ip', 'link', 'add', VETH_C, 'netns', NS_C, 'type', 'veth', 'peer', 'name', VETH_S,
       'netns', NS_S)
    sh('ip', 'addr', 'add', '192.0.2.2/24', 'dev', VETH_C, ns=NS_C)
    sh('ip', 'addr', 'add', '192.0.2.1/24', 'dev', VETH_S, ns=NS_S)
    for ns, dev in ((NS_C, VETH_C), (NS_S, VETH_S)):
        sh('ip', 'link', 'set', dev, 'up', ns=ns)
        sh('ip', 'link', 'set', 'lo', 'up', ns=ns)
    # checksum offload off: the capture then holds real checksums
    offload_off = bool(shutil.which('ethtool'))
    for ns, dev in ((NS_C, VETH_C), (NS_S, VETH_S)):
        if offload_off and sh('ethtool', '-K', dev, 'tx', 'off', 'rx', 'off', 'tso', 'off',
                              'gso', 'off', 'gro', 'off', ns=ns, check_rc=False).returncode:
            offload_off = False
    server = subprocess.Popen(['ip', 'netns', 'exec', NS_S, sys.executable, '-c', SERVER],
                              stdout=subprocess.PIPE, text=True)
    check(server.stdout.readline().strip() == 'ready', 'server listening')
    client('connect')           # ARP resolved before the captures start

    # --count: the handshake, three packets, then it stops by itself
    p = analyze('-f', 'tcp port %d' % PORT, '--count', '3')
    settle()
    client('connect')
    out, err = p.communicate(timeout=20)
    check(p.returncode == 0 and not err, '--count run exits 0: %d %r' % (p.returncode, err))
    check(re.search(r'^conn 1: A 192\.0\.2\.2:\d+ -> B 192\.0\.2\.1:%d  S1  ShA$' % PORT, out,
                    re.M), 'handshake-only connection S1 ShA: %r' % out)
    check(re.search(r'handshake rtt \d+\.\d{3} ms', out), 'handshake RTT measured')
    check(re.search(r'^interface %s: 3 packets \(3 TCP, 0 other\), 1 connections' % VETH_C,
                    out, re.M), 'interface summary: %r' % out)

    # --duration: a whole exchange, as JSON
    p = analyze('-f', 'tcp port %d' % PORT, '--duration', '3s', '--json')
    settle()
    t0 = time.monotonic()
    client('talk')
    out, err = p.communicate(timeout=20)
    check(p.returncode == 0 and not err, '--duration run exits 0: %d %r' % (p.returncode, err))
    check(time.monotonic() - t0 < 10, '--duration stops by itself')
    recs = [json.loads(l) for l in out.splitlines()]
    conns = [r for r in recs if r['type'] == 'connection']
    check(len(conns) == 1, 'one connection: %r' % conns)
    if conns:
        c = conns[0]
        check(c['conn_state'] == 'SF' and c['history'].startswith('ShAD') and 'F' in c['history']
              and 'f' in c['history'], 'full exchange SF: %s %s' % (c['conn_state'], c['history']))
        check(c['endpoints']['dport'] == PORT and c['orig']['unique_bytes'] == 5 and
              c['resp']['unique_bytes'] == 5, 'bytes both ways: %r' % c)
        if offload_off:
            check(c['findings']['MUST'] == 0, 'a Linux exchange has no MUST finding: %r'
                  % [r for r in recs if r['type'] == 'finding'])
    tot = recs[-1] if recs else {}
    check(tot.get('type') == 'summary' and tot.get('scope') == 'total' and tot.get('complete')
          and tot.get('connections') == 1, 'total summary %r' % tot)
    fs = [r for r in recs if r['type'] == 'summary' and r['scope'] == 'file']
    check(fs and fs[0]['source'] == 'interface' and fs[0]['file'] == VETH_C and
          isinstance(fs[0].get('dropped'), int), 'interface summary with drops: %r' % fs)

    # no limit: SIGINT stops it and the summary is printed as for a file
    p = analyze('-f', 'tcp port %d' % PORT)
    settle()
    client('talk')
    time.sleep(0.5)
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=10)
    check(p.returncode == 0, 'SIGINT ends the capture cleanly: %d %r' % (p.returncode, err))
    check(re.search(r'^conn 1: .* SF ', out, re.M) and
          re.search(r'^interface %s: \d+ packets' % VETH_C, out, re.M),
          'summary after SIGINT: %r' % out)

    # an interface that does not exist
    r = subprocess.run([TCPSPEC, 'analyze', '-i', 'tsnope%d' % (pid % 100000)],
                       capture_output=True, text=True)
    check(r.returncode == 2 and len(r.stderr.splitlines()) == 1 and
          "interface 'tsnope" in r.stderr, 'missing interface: %r' % r.stderr)
finally:
    if server:
        server.kill()
        server.wait()
    for ns in (NS_C, NS_S):
        subprocess.run(['ip', 'netns', 'del', ns], capture_output=True)

print('%d checks, %d failed' % (checks, len(failures)))
sys.exit(1 if failures else 0)
