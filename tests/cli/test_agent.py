#!/usr/bin/env python3
"""tcpspec agent as a command: options, the UNIX and TCP control
channels, --once, --drain, stopping on SIGTERM with the socket file
removed. Loopback only; no root needed."""
import os
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time

TCPSPEC = sys.argv[1]
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print('FAIL:', what)


def run(*args):
    p = subprocess.run([TCPSPEC, 'agent', *args], capture_output=True, text=True, timeout=30)
    return p.returncode, p.stdout, p.stderr


def free_port():
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_for(cond, secs=5.0):
    end = time.monotonic() + secs
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.02)
    return False


class Chan:
    def __init__(self, fam, addr):
        self.s = socket.socket(fam, socket.SOCK_STREAM)
        self.s.settimeout(10)
        self.s.connect(addr)
        self.f = self.s.makefile('rw', newline='\n')

    def call(self, line):
        self.f.write(line + '\n')
        self.f.flush()
        return self.f.readline().rstrip('\n')

    def close(self):
        self.f.close()
        self.s.close()


def connect_retry(fam, addr, secs=5.0):
    """A channel once the agent listens (None if it never does)."""
    end = time.monotonic() + secs
    while time.monotonic() < end:
        try:
            return Chan(fam, addr)
        except (ConnectionRefusedError, FileNotFoundError):
            time.sleep(0.02)
    return None


# options
rc, out, _ = run('--help')
check(rc == 0 and 'UNAUTHENTICATED' in out, '--help exits 0 and warns about the TCP port')
rc, _, err = run()
check(rc == 2 and 'exactly one of' in err, 'no channel: exit 2 (%d %r)' % (rc, err))
rc, _, err = run('--unix', '/tmp/x', '--listen', '127.0.0.1:1')
check(rc == 2, 'two channels: exit 2')
rc, _, err = run('--listen', 'localhost:80')
check(rc == 2 and 'not an IPv4 or IPv6 address' in err, 'a host name is refused: %r' % err)
rc, _, err = run('--listen', '127.0.0.1')
check(rc == 2 and 'ADDR:PORT' in err, 'no port is refused: %r' % err)
rc, _, err = run('--unix', '/tmp/x', '--drain', '70000')
check(rc == 2 and '--drain 70000' in err, 'bad --drain port: %r' % err)
rc, _, err = run('--unix', '/tmp/x', 'extra')
check(rc == 2 and 'extra' in err, 'stray argument: %r' % err)

with tempfile.TemporaryDirectory() as d:
    # --unix: mode 0600, commands, SIGTERM removes the socket
    path = os.path.join(d, 'agent.sock')
    drain = free_port()
    p = subprocess.Popen([TCPSPEC, 'agent', '--unix', path, '--drain', str(drain)],
                         stderr=subprocess.PIPE, text=True)
    check(wait_for(lambda: os.path.exists(path)), 'the socket appears')
    check(stat.S_IMODE(os.stat(path).st_mode) == 0o600, 'socket mode 0600')
    c = Chan(socket.AF_UNIX, path)
    check(c.call('ping').startswith('ok tcpspec-agent '), 'ping over UNIX')
    r = c.call('listen 0 127.0.0.1')
    port = r.split()[2]
    check(r.startswith('ok s1 '), 'listen: %r' % r)
    check(c.call('connect 127.0.0.1 %s' % port) == 'ok s2', 'connect')
    check(c.call('accept s1').startswith('ok s3 127.0.0.1 '), 'accept')
    check(c.call('write s2 3') == 'ok 3', 'write')
    check(c.call('read s3') == 'ok 3 616263', 'read gives the pattern')
    check(c.call('listen %d' % drain).startswith('err EADDRINUSE '), '--drain port is taken')
    r = c.call('connect 127.0.0.1 %d' % drain)
    check(r == 'ok s4', 'the --drain port accepts: %r' % r)
    # a second agent on a live socket is refused
    rc, _, err = run('--unix', path)
    check(rc == 2 and 'Address already in use' in err, 'live socket kept: %r' % err)
    c.close()
    p.send_signal(signal.SIGTERM)
    check(p.wait(timeout=10) == 0, 'SIGTERM: exit 0')
    check(not os.path.exists(path), 'SIGTERM removes the socket file')

    # a stale socket file is replaced; any other file is not
    s = socket.socket(socket.AF_UNIX)
    s.bind(path)
    s.close()
    p = subprocess.Popen([TCPSPEC, 'agent', '--unix', path, '--once'], stderr=subprocess.PIPE)
    c = connect_retry(socket.AF_UNIX, path)
    check(c is not None and c.call('ping').startswith('ok '), 'stale socket replaced')
    if c:
        c.close()
    check(p.wait(timeout=10) == 0, '--once: exits when its client leaves')
    open(path, 'w').close()
    rc, _, err = run('--unix', path)
    check(rc == 2 and path in err, 'a regular file is not replaced: %r' % err)

# --listen with --once: the one client, then exit
port = free_port()
p = subprocess.Popen([TCPSPEC, 'agent', '--listen', '127.0.0.1:%d' % port, '--once'],
                     stderr=subprocess.PIPE, text=True)
c = connect_retry(socket.AF_INET, ('127.0.0.1', port))
check(c is not None and c.call('ping').startswith('ok tcpspec-agent '), 'ping over TCP')
check(c is not None and c.call('read s9') == 'err EBADF no such handle s9', 'errors over TCP')
if c:
    c.close()
check(p.wait(timeout=10) == 0, '--listen --once: exits when its client leaves')
check('unauthenticated' in p.stderr.read(), 'the TCP channel says it is unauthenticated')

print('%d failures' % len(failures))
sys.exit(1 if failures else 0)
