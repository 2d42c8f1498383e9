#!/usr/bin/env python3
"""tcpspec run against an external host: --target ADDR --iface IF --agent.

The "external host" is simulated with two named network namespaces the
test creates (and always deletes): the target namespace runs
`tcpspec agent --listen 192.0.2.129:7777 --drain 8080`; the tester
namespace runs `tcpspec run`. Two veth pairs join them: the tested link
(xt0, no address, <-> xt1 192.0.2.1/25, 2001:db8::1/64) and a separate
control link (xc0 192.0.2.130/28 <-> xc1 192.0.2.129/28): the agent is
never reached over the link under test. Checks: the cases pass over that
link (a drained server port, an app listen/accept/write, a client
connect), the runner found the target's MAC by ARP (which tells the
target ours; a request of its own is answered), IPv6 cases are skipped against an IPv4 address (and run
against an IPv6 one), a profile's sysctl is set through the agent and
restored after the run, and a tester address configured on the tester's
host is refused. Needs root; exits 77 (skipped) without it."""
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time

TCPSPEC = os.path.abspath(sys.argv[1])
if os.geteuid() != 0:
    print('skipped: needs root to create network namespaces')
    sys.exit(77)
if not shutil.which('ethtool'):
    print('skipped: ethtool not found')
    sys.exit(77)

TST, TGT = 'tcpspec-ext-tst-%d' % os.getpid(), 'tcpspec-ext-tgt-%d' % os.getpid()
failures = []
checks = 0


def check(cond, what):
    global checks
    checks += 1
    if not cond:
        failures.append(what)
        print('FAIL:', what)


def sh(*args, ns=None, check_rc=True):
    cmd = (['ip', 'netns', 'exec', ns] if ns else []) + list(args)
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    if check_rc and p.returncode != 0:
        raise RuntimeError('%s: %s' % (' '.join(cmd), p.stderr.strip()))
    return p.stdout.strip()


def setup():
    sh('ip', 'netns', 'add', TST)
    sh('ip', 'netns', 'add', TGT)
    for ns in (TST, TGT):
        sh('ip', 'link', 'set', 'lo', 'up', ns=ns)
    # the tester's kernel: no IPv6 on the tested link, no forwarding
    sh('sysctl', '-qw', 'net.ipv6.conf.default.disable_ipv6=1', ns=TST)
    sh('sysctl', '-qw', 'net.ipv4.ip_forward=0', ns=TST)
    sh('ip', 'link', 'add', 'xt0', 'netns', TST, 'type', 'veth', 'peer', 'name', 'xt1', 'netns', TGT)
    sh('ip', 'link', 'add', 'xc0', 'netns', TST, 'type', 'veth', 'peer', 'name', 'xc1', 'netns', TGT)
    for ns, dev in ((TST, 'xt0'), (TGT, 'xt1')):
        sh('ethtool', '-K', dev, 'rx', 'off', 'tx', 'off', 'tso', 'off', 'gso', 'off', 'gro', 'off',
           ns=ns, check_rc=False)
        sh('ip', 'link', 'set', dev, 'up', ns=ns)
    sh('ip', 'addr', 'add', '192.0.2.1/25', 'dev', 'xt1', ns=TGT)
    sh('ip', '-6', 'addr', 'add', '2001:db8::1/64', 'dev', 'xt1', 'nodad', ns=TGT)
    sh('ip', 'addr', 'add', '192.0.2.130/28', 'dev', 'xc0', ns=TST)
    sh('ip', 'addr', 'add', '192.0.2.129/28', 'dev', 'xc1', ns=TGT)
    sh('ip', 'link', 'set', 'xc0', 'up', ns=TST)
    sh('ip', 'link', 'set', 'xc1', 'up', ns=TGT)


def wait_agent(deadline):
    while time.monotonic() < deadline:
        p = subprocess.run(['ip', 'netns', 'exec', TST, sys.executable, '-c',
                            'import socket; socket.create_connection(("192.0.2.129", 7777), 1).close()'],
                           capture_output=True)
        if p.returncode == 0:
            return True
        time.sleep(0.1)
    return False


def pcap_frames(path):
    data = open(path, 'rb').read()
    off, out = 24, []
    while off + 16 <= len(data):
        incl = struct.unpack('<I', data[off + 8:off + 12])[0]
        out.append(data[off + 16:off + 16 + incl])
        off += 16 + incl
    return out


CASES = r"""
- id: ext/handshake-drained-port
  target: {port: 8080}
  steps:
    - send: {flags: S, seq: 0, options: [mss 1460, sackOK, ts 100 0, nop, wscale 7]}
    - expect: {flags: SA, ack: 1, options: {mss: 1460}}
    - send: {flags: A, seq: 1, ack: 1}
    - send: {flags: PA, seq: 1, ack: 1, data: "hello"}
    - expect: {flags: A, ack: 6}
- id: ext/app-listen-accept-write
  target: {port: 9000}
  steps:
    - app: {listen: true}
    - send: {flags: S, seq: 0}
    - expect: {flags: SA, ack: 1}
    - send: {flags: A, seq: 1, ack: 1}
    - app: {accept: true}
    - app: {write: 4}
    - expect: {flags: PA, seq: 1, data: "abcd"}
- id: ext/client-connect
  target: {role: client}
  steps:
    - app: {connect: true}
    - expect: {flags: S}
    - send: {flags: SA, seq: 0, ack: 1}
    - expect: {flags: A, ack: 1}
- id: ext/ipv6
  target: {port: 8080, ip: 6}
  steps:
    - send: {flags: S, seq: 0}
    - expect: {flags: SA, ack: 1, options: {mss: 1440}}
- id: ext/needs-timestamps
  target: {port: 8080}
  requires: [timestamps]
  steps:
    - send: {flags: S, seq: 0, options: [ts 1 0]}
    - expect: {flags: SA, ack: 1, options: {ts: any}}
"""

agent = None
try:
    setup()
    agent = subprocess.Popen(['ip', 'netns', 'exec', TGT, TCPSPEC, 'agent', '--listen', '192.0.2.129:7777',
                              '--drain', '8080'], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    check(wait_agent(time.monotonic() + 10), 'the agent listens on the control link')
    tgt_mac = sh('cat', '/sys/class/net/xt1/address', ns=TGT)
    ts_before = sh('sysctl', '-n', 'net.ipv4.tcp_timestamps', ns=TGT)
    with tempfile.TemporaryDirectory() as d:
        cases = os.path.join(d, 'ext.yaml')
        open(cases, 'w').write(CASES)
        pcaps = os.path.join(d, 'pcaps')
        os.mkdir(pcaps)
        out = os.path.join(d, 'r.json')
        base = [TCPSPEC, 'run', cases, '--iface', 'xt0', '--agent', '192.0.2.129:7777']

        def run(*args):
            p = subprocess.run(['ip', 'netns', 'exec', TST] + base + list(args), capture_output=True,
                               text=True, timeout=120)
            print(p.stdout, p.stderr, sep='')
            doc = json.load(open(out)) if os.path.exists(out) else {'cases': []}
            if os.path.exists(out):
                os.unlink(out)
            return p, {c['id']: c for c in doc['cases']}, doc

        p, by, doc = run('--target', '192.0.2.1', '--pcap-dir', pcaps, '--json', out,
                         '--target-name', 'linux')
        v = {k: c['verdict'] for k, c in by.items()}
        check(p.returncode == 0 and v == {'ext/handshake-drained-port': 'pass',
                                          'ext/app-listen-accept-write': 'pass',
                                          'ext/client-connect': 'pass', 'ext/ipv6': 'skip',
                                          'ext/needs-timestamps': 'pass'},
              'the cases pass over the external link; IPv6 skipped for an IPv4 target: %r' % v)
        check(by.get('ext/ipv6', {}).get('reason') == 'an IPv6 case: the target has no IPv6 address',
              'the skip says why: %r' % by.get('ext/ipv6', {}).get('reason'))
        check(doc.get('target') == 'linux', '--target-name names the target: %r' % doc.get('target'))
        frames = [f for n in sorted(os.listdir(pcaps)) for f in pcap_frames(os.path.join(pcaps, n))]
        mac = bytes.fromhex(tgt_mac.replace(':', ''))
        syn = [f for f in frames if f[12:14] == b'\x08\x00' and f[23] == 6 and f[26:30] == bytes([192, 0, 2, 2])]
        check(syn and all(f[0:6] == mac for f in syn),
              'our segments go to the target\'s MAC, learned by ARP (%s)' % tgt_mac)
        asked = [f for f in frames if f[12:14] == b'\x08\x06' and f[20:22] == b'\x00\x01' and f[6:12] == mac]
        told = [f for f in frames if f[12:14] == b'\x08\x06' and f[20:22] == b'\x00\x02' and f[0:6] == mac]
        # our ARP request for the target's MAC already tells it ours (an
        # ARP request to a host updates its entry for the sender): it may
        # never need to ask; if it did, the runner answered
        entry = sh('ip', 'neigh', 'show', '192.0.2.2', 'dev', 'xt1', ns=TGT)
        check((asked and told) or ('02:00:00:00:00:02' in entry and 'PERMANENT' not in entry),
              'the target reaches 192.0.2.2 at our MAC, learned by ARP: %r, %d/%d'
              % (entry, len(asked), len(told)))

        # a profile through the agent, restored afterwards
        p, by, doc = run('--target', '192.0.2.1', '--json', out, '--profile', 'no-timestamps')
        v = {k: c['verdict'] for k, c in by.items()}
        check(p.returncode == 0 and v.get('ext/needs-timestamps') == 'skip' and
              v.get('ext/handshake-drained-port') == 'pass' and doc.get('target') == 'host:no-timestamps',
              'no-timestamps on the external host: %r %r' % (v, doc.get('target')))
        check(sh('sysctl', '-n', 'net.ipv4.tcp_timestamps', ns=TGT) == ts_before,
              'the profile\'s sysctl is restored after the run')

        # the same host by its IPv6 address: the IPv4 cases are skipped
        p, by, doc = run('--target', '2001:db8::1', '--json', out)
        v = {k: c['verdict'] for k, c in by.items()}
        check(p.returncode == 0 and v.get('ext/ipv6') == 'pass' and
              v.get('ext/handshake-drained-port') == 'skip',
              'an IPv6 target: the IPv6 case runs, IPv4 ones are skipped: %r' % v)

        # refused setups: an address of this host, no agent
        p, by, doc = run('--target', '192.0.2.1', '--tester-ip', '192.0.2.130')
        check(p.returncode == 2 and 'configured on this host' in p.stderr,
              'a tester address configured on the tester host is refused: %r' % p.stderr)
        p = subprocess.run(['ip', 'netns', 'exec', TST, TCPSPEC, 'run', cases, '--target', '192.0.2.1',
                            '--iface', 'xt0', '--agent', '192.0.2.129:7778'], capture_output=True,
                           text=True, timeout=60)
        check(p.returncode == 2 and 'agent 192.0.2.129:7778' in p.stderr,
              'no agent there: a setup error: %r' % p.stderr)
finally:
    if agent:
        agent.terminate()
        try:
            agent.wait(5)
        except subprocess.TimeoutExpired:
            agent.kill()
    for ns in (TST, TGT):
        subprocess.run(['ip', 'netns', 'del', ns], capture_output=True)

print('%d checks, %d failed' % (checks, len(failures)))
sys.exit(1 if failures else 0)
