#!/usr/bin/env python3
"""Generates a capture of real Linux TCP traffic between two network
namespaces this script creates (and always removes): many short
connections and a few bulk transfers, with random loss on the path so the
capture holds retransmissions, dup ACKs and out-of-order segments.

usage: gen_traffic.py OUT.pcap [MEGABYTES]      (root; 192.0.2.0/24 only)"""
import os
import subprocess
import sys
import time

out = os.path.abspath(sys.argv[1])
os.makedirs(os.path.dirname(out), exist_ok=True)
megabytes = int(sys.argv[2]) if len(sys.argv) > 2 else 320
if os.geteuid() != 0:
    print('skipped: needs root to create network namespaces')
    sys.exit(77)

pid = os.getpid()
A, B = 'tsbench-a-%d' % pid, 'tsbench-b-%d' % pid


def sh(*cmd, ns=None, check=True):
    if ns:
        cmd = ('ip', 'netns', 'exec', ns) + cmd
    return subprocess.run(cmd, check=check, capture_output=True, text=True)


SERVER = r'''
import socket, threading, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("192.0.2.1", 5001)); s.listen(512)
def serve(c):
    while c.recv(262144): pass
    c.close()
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
'''

CLIENT = r'''
import socket, sys, threading
total = int(sys.argv[1]) * 1024 * 1024
chunk = b"x" * 65536
def conn(n):
    c = socket.create_connection(("192.0.2.1", 5001), timeout=30)
    while n > 0:
        c.sendall(chunk[:min(n, len(chunk))]); n -= len(chunk)
    c.close()
short = total // 10                  # a tenth in 16 KiB connections
for i in range(short // 16384):
    conn(16384)
bulk = (total - short) // 4          # the rest in 4 parallel bulk streams
ts = [threading.Thread(target=conn, args=(bulk,)) for _ in range(4)]
[t.start() for t in ts]; [t.join() for t in ts]
'''

try:
    sh('ip', 'netns', 'add', A)
    sh('ip', 'netns', 'add', B)
    sh('ip', 'link', 'add', 'bench0', 'netns', A, 'type', 'veth', 'peer', 'name', 'bench1', 'netns', B)
    sh('ip', 'addr', 'add', '192.0.2.2/24', 'dev', 'bench0', ns=A)
    sh('ip', 'addr', 'add', '192.0.2.1/24', 'dev', 'bench1', ns=B)
    for ns, dev in ((A, 'bench0'), (B, 'bench1')):
        sh('ip', 'link', 'set', 'lo', 'up', ns=ns)
        sh('ip', 'link', 'set', dev, 'up', ns=ns)
        sh('ethtool', '-K', dev, 'tso', 'off', 'gso', 'off', 'gro', 'off', 'tx', 'off', 'rx', 'off', ns=ns, check=False)
    # random loss on the receiver's input: retransmissions, dup ACKs, SACK
    sh('iptables', '-A', 'INPUT', '-p', 'tcp', '-m', 'statistic', '--mode', 'random',
       '--probability', '0.003', '-j', 'DROP', ns=B)
    srv = subprocess.Popen(['ip', 'netns', 'exec', B, sys.executable, '-c', SERVER])
    dump = subprocess.Popen(['ip', 'netns', 'exec', A, 'tcpdump', '-i', 'bench0', '-s', '0',
                             '-B', '262144', '-w', out, 'tcp'], stderr=subprocess.PIPE, text=True)
    time.sleep(1.0)
    t0 = time.time()
    sh(sys.executable, '-c', CLIENT, str(megabytes), ns=A)
    time.sleep(0.5)
    dump.terminate()
    _, err = dump.communicate()
    drops = [l for l in err.splitlines() if 'dropped' in l]
    srv.kill()
    srv.wait()
    print('%s: %.0f MB in %.1f s (%s)' % (out, os.path.getsize(out) / 1e6, time.time() - t0,
                                          '; '.join(drops)))
finally:
    sh('ip', 'netns', 'del', A, check=False)
    sh('ip', 'netns', 'del', B, check=False)
